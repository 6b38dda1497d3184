;; tests/kernel/wasm/basic.wat: what the kernel's `wasm` scenario runs:
;; arithmetic (i32, i64, f64), memory with a data segment, direct and
;; indirect calls, memory.grow, memory.copy/fill, and a call out to a host
;; function.
(module
  (import "env" "print" (func $print (param i32 i32)))
  (memory (export "memory") 1 8)
  (data (i32.const 16) "hello from compiled wasm")
  (type $unop (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $square $double)

  (func $square (type $unop) (i32.mul (local.get 0) (local.get 0)))
  (func $double (type $unop) (i32.add (local.get 0) (local.get 0)))

  (func $add (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))

  ;; n! by recursion
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))

  ;; sqrt(a*a + b*b), on the SSE registers
  (func $hypot (export "hypot") (param f64 f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0))
                       (f64.mul (local.get 1) (local.get 1)))))

  (func $divs (export "divs") (param i32 i32) (result i32 i32)
    (i32.div_s (local.get 0) (local.get 1))
    (i32.rem_s (local.get 0) (local.get 1)))

  ;; table[f](x)
  (func $apply (export "apply") (param $f i32) (param $x i32) (result i32)
    (call_indirect (type $unop) (local.get $x) (local.get $f)))

  ;; stores i*i for i < n at 1024 + 4*i, then sums them back
  (func $sumsq (export "sumsq") (param $n i32) (result i64)
    (local $i i32) (local $s i64)
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2))
                 (i32.mul (local.get $i) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    (local.set $i (i32.const 0))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i64.add (local.get $s)
        (i64.extend_i32_u (i32.load offset=1024 (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sum)))
    (local.get $s))

  ;; grows by n pages (-1 on failure); on success writes n + 1 into the new
  ;; memory's last word and returns the old size plus what it reads back
  (func $grow (export "grow") (param $n i32) (result i32)
    (local $old i32) (local $end i32)
    (local.set $old (memory.grow (local.get $n)))
    (if (i32.lt_s (local.get $old) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $end (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)))
    (i32.store (local.get $end) (i32.add (local.get $n) (i32.const 1)))
    (i32.add (i32.mul (local.get $old) (i32.const 1000)) (i32.load (local.get $end))))

  (func $size (export "size") (result i32) (memory.size))

  (func $copy (export "copy") (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func $fill (export "fill") (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))

  (func $hello (export "hello") (call $print (i32.const 16) (i32.const 24)))
)
