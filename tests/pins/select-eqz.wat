;; tests/pins/select-eqz.wat: the bug the pin test found first (fixed in
;; emit_fused, wasm/x64/codegen.c). A select whose condition is a fused
;; i32.eqz freed the register of the previous fused compare's second
;; operand (a stale copy: eqz has none), here rax, which by then held the
;; live i64 below the select; the next register allocation took rax and
;; overwrote it. Coral returned 4 instead of -144115188075854870.
(module
  (func (export "select-eqz") (result i64)
    (local $x i32) (local $y i32) (local $f f64)
    (local.set $x (i32.const 5))
    (if (i32.lt_s (local.get $y) (local.tee $x (i32.add (local.get $x) (i32.const 1))))
      (then (nop)))
    (i64.shr_s (i64.const -9223372036854775808) (i64.extend_i32_u (local.get $x)))
    (local.set $f (select (f64.const 1) (f64.const 2) (i32.eqz (local.get $x))))
    (i64.extend_i32_u (i32.add (local.get $y) (i32.const 1000)))
    (i64.add)
    (i64.add (i64.trunc_sat_f64_s (local.get $f)))))
