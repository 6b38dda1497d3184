;; tests/kernel/wasm/traps.wat: one export per trap kind, for the kernel's
;; `wasm-traps` scenario. Each export is reached through one other function
;; (the backtrace names both).
(module
  (import "env" "fail" (func $fail (result i32)))
  (memory 1)
  (type $t_i32 (func (result i32)))
  (type $t_void (func))
  (table 3 funcref)
  (elem (i32.const 0) $one $nothing)     ;; entry 2 stays null
  (func $one (type $t_i32) (i32.const 1))
  (func $nothing (type $t_void))

  (func $do_unreachable unreachable)
  (func $do_oob (result i32) (i32.load (i32.const 65536)))           ;; just past the memory
  (func $do_oob_far (result i32) (i32.load offset=0xfffffff0 (i32.const 0xfffffff0)))  ;; deep in the guard
  (func $do_div_zero (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
  (func $do_overflow (param i32) (result i32) (i32.div_s (i32.const 0x80000000) (local.get 0)))
  (func $do_convert (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func $do_undefined (result i32) (call_indirect (type $t_i32) (i32.const 7)))
  (func $do_uninitialized (result i32) (call_indirect (type $t_i32) (i32.const 2)))
  (func $do_mismatch (result i32) (call_indirect (type $t_i32) (i32.const 1)))
  (func $do_table_oob (table.set 0 (i32.const 9) (ref.null func)))
  (func $do_recurse (param i32) (result i32)
    (i32.add (call $do_recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func $do_host (result i32) (call $fail))

  (func $unreachable (export "unreachable") (call $do_unreachable))
  (func $oob (export "oob") (result i32) (call $do_oob))
  (func $oob_far (export "oob_far") (result i32) (call $do_oob_far))
  (func $div_zero (export "div_zero") (result i32) (call $do_div_zero (i32.const 0)))
  (func $overflow (export "overflow") (result i32) (call $do_overflow (i32.const -1)))
  (func $convert (export "convert") (result i32) (call $do_convert (f64.const nan)))
  (func $undefined_element (export "undefined_element") (result i32) (call $do_undefined))
  (func $uninitialized_element (export "uninitialized_element") (result i32) (call $do_uninitialized))
  (func $type_mismatch (export "type_mismatch") (result i32) (call $do_mismatch))
  (func $table_oob (export "table_oob") (call $do_table_oob))
  (func $recurse (export "recurse") (result i32) (call $do_recurse (i32.const 0)))
  (func $host (export "host") (result i32) (call $do_host))
  (func $ok (export "ok") (result i32) (i32.const 42))
)
