;; tests/kernel/wasm/fsum.wat: a long floating-point loop whose result
;; depends on every step, for checking that the SIMD registers of Wasm
;; code survive preemption (the `wasm-preempt` scenario).
(module
  (func $fsum (export "fsum") (param $n i32) (result i64)
    (local $x f64) (local $s f64) (local $t f32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $x (f64.add (local.get $x) (f64.const 1.0)))
      (local.set $t (f32.add (local.get $t) (f32.demote_f64 (f64.sqrt (local.get $x)))))
      (local.set $s (f64.add (f64.mul (local.get $s) (f64.const 0.999999))
                             (f64.div (f64.promote_f32 (local.get $t)) (local.get $x))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (i64.xor (i64.reinterpret_f64 (local.get $s))
             (i64.extend_i32_u (i32.reinterpret_f32 (local.get $t)))))
)
