;; tests/pins/calls.wat: calls inside loops whose locals are pinned, and
;; loops hot on the function's parameters (tests/pins/run compares every
;; export with wasm-interp). The callee pins its own locals in the same
;; registers; host functions, memory.grow (a C helper: r9, r10 and
;; xmm9-14 are not callee-saved there) and memory.fill/copy (stubs) are
;; called with pinned locals live across them and as their operands.
(module
  (import "fuzzing-support" "log-i32" (func $log32 (param i32)))
  (import "fuzzing-support" "log-f64" (func $logf (param f64)))
  (memory 1 4)
  (table 2 funcref)
  (elem (i32.const 0) $mix $spin)

  ;; A callee with its own loop and many pinned locals: it overwrites every
  ;; pin register it uses, and must give the caller's back.
  (func $spin (param $n i32) (param $s i64) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64)
    (local $x f64) (local $y f64) (local $z f64) (local $u f64) (local $v f64) (local $w f64)
    (loop $l
      (local.set $a (i64.add (local.get $a) (local.get $s)))
      (local.set $b (i64.xor (local.get $b) (local.get $a)))
      (local.set $c (i64.add (local.get $c) (local.get $b)))
      (local.set $d (i64.sub (local.get $d) (local.get $c)))
      (local.set $e (i64.add (local.get $e) (i64.const 977)))
      (local.set $x (f64.add (local.get $x) (f64.const 1.5)))
      (local.set $y (f64.add (local.get $y) (local.get $x)))
      (local.set $z (f64.sub (local.get $z) (local.get $y)))
      (local.set $u (f64.add (local.get $u) (f64.const 3)))
      (local.set $v (f64.mul (local.get $v) (f64.const 0.5)))
      (local.set $w (f64.add (local.get $w) (local.get $u)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (i64.add (i64.add (i64.add (local.get $a) (local.get $b)) (i64.add (local.get $c) (local.get $d)))
      (i64.add (local.get $e)
        (i64.trunc_sat_f64_s (f64.add (f64.add (local.get $x) (local.get $y))
          (f64.add (f64.add (local.get $z) (local.get $u)) (f64.add (local.get $v) (local.get $w))))))))

  (func $mix (param $a i32) (param $b i64) (result i64)
    (i64.add (call $spin (i32.and (local.get $a) (i32.const 7)) (local.get $b)) (i64.const 1)))

  ;; Loops hot on the parameters (one of each type), calls of every kind
  ;; inside them, and regions that switch between the two inner loops.
  (func $work (param $p i32) (param $q i64) (param $r f32) (param $s f64) (result i64)
    (local $a i32) (local $b i32) (local $c i64) (local $d i64) (local $e i64) (local $g i64)
    (local $x f64) (local $y f64) (local $z f32) (local $t f32) (local $k i32) (local $j i32)
    (loop $outer
      (local.set $p (i32.add (local.get $p) (i32.const 3)))
      (local.set $q (i64.mul (local.get $q) (i64.const 5)))
      (local.set $r (f32.add (local.get $r) (f32.const 0.75)))
      (local.set $s (f64.sub (local.get $s) (f64.const 2.5)))
      ;; Wasm calls, direct and indirect, with pinned operands
      (local.set $q (i64.add (local.get $q)
        (call $spin (i32.and (local.get $p) (i32.const 3)) (local.get $q))))
      (local.set $q (i64.xor (local.get $q)
        (call_indirect (param i32 i64) (result i64)
          (local.get $p) (local.get $q) (i32.and (local.get $k) (i32.const 1)))))
      (call $log32 (local.get $p))
      (call $logf (local.get $s))
      ;; first inner loop: hot on a, b, c, x, z
      (local.set $j (i32.const 0))
      (loop $in1
        (local.set $a (i32.add (local.get $a) (local.get $p)))
        (local.set $b (i32.xor (local.get $b) (local.get $a)))
        (local.set $c (i64.add (local.get $c) (i64.extend_i32_u (local.get $b))))
        (local.set $x (f64.add (local.get $x) (f64.convert_i32_s (local.get $a))))
        (local.set $z (f32.add (local.get $z) (local.get $r)))
        ;; memory.grow goes through a C helper; fill and copy through stubs,
        ;; with pinned locals as their operands
        (local.set $b (i32.add (local.get $b) (memory.grow (i32.const 0))))
        (memory.fill (i32.and (local.get $a) (i32.const 0x3ff)) (local.get $b)
                     (i32.and (local.get $j) (i32.const 0x3f)))
        (memory.copy (i32.and (local.get $b) (i32.const 0x3ff)) (i32.and (local.get $a) (i32.const 0x3ff))
                     (i32.const 24))
        (local.set $c (i64.add (local.get $c) (i64.load (i32.and (local.get $a) (i32.const 0x3f8)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $in1 (i32.lt_u (local.get $j) (i32.const 6))))
      ;; second inner loop: hot on d, e, g, y, t (and a grow that succeeds
      ;; once, then fails)
      (local.set $j (i32.const 0))
      (loop $in2
        (local.set $d (i64.add (local.get $d) (local.get $q)))
        (local.set $e (i64.sub (local.get $e) (local.get $d)))
        (local.set $g (i64.add (local.get $g) (i64.extend_i32_s (memory.grow (i32.const 1)))))
        (local.set $y (f64.add (local.get $y) (local.get $s)))
        (local.set $t (f32.sub (local.get $t) (local.get $r)))
        (call $logf (local.get $y))
        (local.set $e (i64.add (local.get $e) (call $mix (local.get $j) (local.get $d))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $in2 (i32.lt_u (local.get $j) (i32.const 4))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $k) (i32.const 5))))
    (i64.add
      (i64.add (i64.add (i64.extend_i32_u (local.get $p)) (local.get $q))
               (i64.add (i64.trunc_sat_f32_s (local.get $r)) (i64.trunc_sat_f64_s (local.get $s))))
      (i64.add
        (i64.add (i64.add (i64.extend_i32_u (local.get $a)) (i64.extend_i32_u (local.get $b)))
                 (i64.add (local.get $c) (local.get $d)))
        (i64.add (i64.add (local.get $e) (local.get $g))
          (i64.add (i64.trunc_sat_f64_s (f64.add (local.get $x) (local.get $y)))
                   (i64.trunc_sat_f32_s (f32.add (local.get $z) (local.get $t))))))))

  (func (export "work") (result i64)
    (call $work (i32.const 11) (i64.const -3) (f32.const 0.5) (f64.const 100.25)))
  (func (export "work-again") (result i64 i32)
    (call $work (i32.const -7) (i64.const 123456789) (f32.const -2) (f64.const 1e6))
    (memory.size))
)
