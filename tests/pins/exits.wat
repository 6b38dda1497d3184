;; tests/pins/exits.wat: hand-written ways out of loops that pin different
;; locals (tests/pins/run compares every export with wasm-interp).
;; Each loop is hot on its own locals, more of them than pin registers, so
;; every loop is a region with its own choice.
(module
  (import "fuzzing-support" "log-i64" (func $log (param i64)))

  ;; br_if out of 1, 2 and 3 loops to a block outside them, with a value.
  (func $brif3 (export "brif3") (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64)
    (local $g i64) (local $h i64) (local $i i32) (local $j i32) (local $k i32)
    (local $x f64) (local $y f64) (local $z f64)
    (local.set $a (i64.const 1)) (local.set $d (i64.const 7))
    (local.set $h (block $out (result i64)
      (loop $l1
        (local.set $a (i64.add (local.get $a) (i64.const 3)))
        (local.set $b (i64.xor (local.get $b) (local.get $a)))
        (local.set $c (i64.add (local.get $c) (local.get $b)))
        (local.set $x (f64.add (local.get $x) (f64.const 0.5)))
        (local.set $j (i32.const 0))
        (loop $l2
          (local.set $d (i64.mul (local.get $d) (i64.const 3)))
          (local.set $e (i64.add (local.get $e) (local.get $d)))
          (local.set $f (i64.sub (local.get $f) (local.get $e)))
          (local.set $y (f64.sub (local.get $y) (f64.const 1.25)))
          (local.set $k (i32.const 0))
          (loop $l3
            (local.set $g (i64.add (local.get $g) (i64.const 11)))
            (local.set $h (i64.xor (local.get $h) (local.get $g)))
            (local.set $z (f64.add (local.get $z) (f64.const 2)))
            ;; 3 loops out
            (drop (br_if $out (i64.add (local.get $h) (local.get $a))
                              (i64.gt_u (local.get $g) (i64.const 400))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $l3 (i32.lt_u (local.get $k) (i32.const 4))))
          ;; 2 loops out, not taken until late
          (drop (br_if $out (i64.add (local.get $e) (local.get $c))
                            (i64.gt_s (local.get $e) (i64.const 1000000000000))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $l2 (i32.lt_u (local.get $j) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        ;; 1 loop out
        (drop (br_if $out (local.get $c) (i32.ge_u (local.get $i) (i32.const 100))))
        (br $l1))
      (i64.const -1)))
    ;; everything written in the loops must be back in place here
    (i64.add (i64.add (i64.add (local.get $a) (local.get $b)) (i64.add (local.get $c) (local.get $d)))
      (i64.add (i64.add (i64.add (local.get $e) (local.get $f)) (i64.add (local.get $g) (local.get $h)))
        (i64.add (i64.extend_i32_u (i32.add (local.get $i) (i32.add (local.get $j) (local.get $k))))
          (i64.trunc_sat_f64_s (f64.add (local.get $x) (f64.add (local.get $y) (local.get $z))))))))

  ;; br_table from the innermost of three loops to each level: itself, its
  ;; parent, a block between, the outermost loop, a block outside.
  (func $table (export "table") (result i64)
    (local $n i32) (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64)
    (local $f i64) (local $g i64) (local $p f32) (local $q f32) (local $r f64) (local $s f64)
    (local $t1 i32) (local $t2 i32) (local $t3 i32)
    (local.set $t1 (i32.const 30))
    (block $done
      (loop $l1
        (local.set $t1 (i32.sub (local.get $t1) (i32.const 1)))
        (br_if $done (i32.lt_s (local.get $t1) (i32.const 0)))
        (local.set $a (i64.add (local.get $a) (i64.const 1)))
        (local.set $p (f32.add (local.get $p) (f32.const 1.5)))
        (local.set $t2 (i32.const 3))
        (block $mid
          (loop $l2
            (local.set $t2 (i32.sub (local.get $t2) (i32.const 1)))
            (br_if $mid (i32.lt_s (local.get $t2) (i32.const 0)))
            (local.set $b (i64.add (local.get $b) (local.get $a)))
            (local.set $q (f32.mul (local.get $q) (f32.const 0.5)))
            (local.set $t3 (i32.const 4))
            (loop $l3
              (local.set $t3 (i32.sub (local.get $t3) (i32.const 1)))
              (br_if $l2 (i32.lt_s (local.get $t3) (i32.const 0)))
              (local.set $c (i64.add (local.get $c) (i64.const 5)))
              (local.set $d (i64.xor (local.get $d) (local.get $c)))
              (local.set $e (i64.add (local.get $e) (local.get $d)))
              (local.set $r (f64.add (local.get $r) (f64.const 0.25)))
              (local.set $s (f64.sub (local.get $s) (local.get $r)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br_table $l3 $l2 $mid $l1 $done $l3
                (i32.rem_u (i32.mul (local.get $n) (i32.const 7)) (i32.const 6))))))
        (local.set $f (i64.add (local.get $f) (local.get $e)))
        (br $l1)))
    (i64.add (i64.add (i64.add (local.get $a) (local.get $b)) (i64.add (local.get $c) (local.get $d)))
      (i64.add (i64.add (local.get $e) (local.get $f))
        (i64.add (i64.extend_i32_u (local.get $n))
          (i64.add (i64.trunc_sat_f32_s (f32.add (local.get $p) (local.get $q)))
                   (i64.trunc_sat_f64_s (f64.add (local.get $r) (local.get $s))))))))

  ;; Values carried out: a two-value block result through br_table from a
  ;; loop, a loop param on each back edge, an if/else result inside a loop.
  (func $values (export "values") (result i64 f64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64)
    (local $g i32) (local $h i32) (local $x f64) (local $y f64) (local $z f32) (local $w f32)
    (local $k i32)
    (local.set $x (f64.const 1))
    (block $o (result i64 f64)
      (i64.const 5)
      (loop $l (param i64)
        (local.set $a)
        (local.set $b (i64.add (local.get $b) (local.get $a)))
        (local.set $c (i64.mul (local.get $c) (i64.const 3)))
        (local.set $x (f64.mul (local.get $x) (f64.const 1.5)))
        (local.set $z (f32.add (local.get $z) (f32.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $d
          (if (result i64) (i32.and (local.get $k) (i32.const 1))
            (then (i64.add (local.get $d) (local.get $b)))
            (else (i64.sub (local.get $d) (local.get $c)))))
        (call $log (local.get $d))
        (block $go (result i64 f64)
          (local.get $b) (local.get $x)
          (br_table $go $o (i32.ge_u (local.get $k) (i32.const 9))))
        (drop) (drop)
        ;; the back edge with a param
        (br $l (i64.add (local.get $a) (i64.const 2))))
      (unreachable))
    (local.set $y) (local.set $e)
    (i64.add (local.get $e) (i64.add (local.get $d) (i64.extend_i32_u (local.get $k))))
    (f64.add (local.get $y) (f64.promote_f32 (local.get $z))))

  ;; A return from nine nested loops (the ninth has no region of its own),
  ;; each loop hot on other locals; and unreachable code after it,
  ;; including a loop.
  (func $deep (export "deep") (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64)
    (local $g i64) (local $h i64) (local $i i64) (local $x f64) (local $y f64) (local $z f64)
    (local $u f64) (local $v f64) (local $w f64) (local $q f64) (local $n i32)
    (loop $l1
      (local.set $a (i64.add (local.get $a) (i64.const 1)))
      (local.set $x (f64.add (local.get $x) (f64.const 1)))
      (loop $l2
        (local.set $b (i64.add (local.get $b) (local.get $a)))
        (local.set $y (f64.add (local.get $y) (local.get $x)))
        (loop $l3
          (local.set $c (i64.add (local.get $c) (local.get $b)))
          (local.set $z (f64.add (local.get $z) (local.get $y)))
          (loop $l4
            (local.set $d (i64.add (local.get $d) (local.get $c)))
            (local.set $u (f64.add (local.get $u) (local.get $z)))
            (loop $l5
              (local.set $e (i64.add (local.get $e) (local.get $d)))
              (local.set $v (f64.add (local.get $v) (local.get $u)))
              (loop $l6
                (local.set $f (i64.add (local.get $f) (local.get $e)))
                (local.set $w (f64.add (local.get $w) (local.get $v)))
                (loop $l7
                  (local.set $g (i64.add (local.get $g) (local.get $f)))
                  (local.set $q (f64.add (local.get $q) (local.get $w)))
                  (loop $l8
                    (local.set $h (i64.add (local.get $h) (local.get $g)))
                    (loop $l9
                      (local.set $i (i64.add (local.get $i) (local.get $h)))
                      (local.set $n (i32.add (local.get $n) (i32.const 1)))
                      (if (i32.ge_u (local.get $n) (i32.const 40))
                        (then
                          (return
                            (i64.add (i64.add (i64.add (local.get $a) (local.get $b))
                                              (i64.add (local.get $c) (local.get $d)))
                              (i64.add (i64.add (i64.add (local.get $e) (local.get $f))
                                                (i64.add (local.get $g) (local.get $h)))
                                (i64.add (local.get $i)
                                  (i64.trunc_sat_f64_s
                                    (f64.add (f64.add (f64.add (local.get $x) (local.get $y))
                                                      (f64.add (local.get $z) (local.get $u)))
                                             (f64.add (f64.add (local.get $v) (local.get $w))
                                                      (local.get $q))))))))
                          (loop $dead (local.set $a (i64.const 0)) (br $dead))
                          (drop)))
                      (br_if $l9 (i32.and (local.get $n) (i32.const 1)))
                      (br_if $l8 (i32.eq (i32.and (local.get $n) (i32.const 3)) (i32.const 2)))
                      (br_if $l5 (i32.eq (i32.and (local.get $n) (i32.const 7)) (i32.const 4)))
                      (br $l1))))))))))
    (i64.const -1))
)
