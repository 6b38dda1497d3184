;; tests/spec/selftest.wast: the spec runner's own test. Each command marked
;; FAIL must be reported as failed, each marked SKIP as skipped, and every
;; other command must pass (tests/steps/22-spec-selftest checks this,
;; in both bounds modes). v128 matching is covered by tests/host/test_spec_value.c.

(module $M
  (global (export "g") i32 (i32.const 42))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "canon") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "payload") (result f32) (f32.reinterpret_i32 (i32.const 0x7fc00001)))
  (func (export "pair") (result i64 f64) (i64.const -1) (f64.const -0))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func))
  (func $loop (export "loop") (param i32) (result i32) (call $loop (local.get 0)))
  (func (export "nop"))
)
(register "M" $M)

(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))   ;; FAIL
(assert_return (invoke "add" (i32.const -1) (i32.const 0)) (i32.const 0xffffffff))
(assert_return (get "g") (i32.const 42))
(assert_return (get "g") (i32.const 43))                                    ;; FAIL
(assert_return (invoke "canon") (f32.const nan:canonical))
(assert_return (invoke "canon") (f32.const nan:arithmetic))
(assert_return (invoke "payload") (f32.const nan:arithmetic))
(assert_return (invoke "payload") (f32.const nan:canonical))                ;; FAIL
(assert_return (invoke "payload") (f32.const nan))                          ;; FAIL
(assert_return (invoke "pair") (i64.const -1) (f64.const -0))
(assert_return (invoke "pair") (i64.const -1) (f64.const 0))                ;; FAIL
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "id" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))                 ;; FAIL
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "id" (ref.extern 0)) (ref.null extern))              ;; FAIL
(assert_return (invoke "null") (ref.null func))
(invoke "nop")
(invoke "div" (i32.const 1) (i32.const 0))                                  ;; FAIL
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "unreachable")      ;; FAIL
(assert_trap (invoke "div" (i32.const 4) (i32.const 2)) "integer divide by zero") ;; FAIL
(assert_exhaustion (invoke "loop" (i32.const 0)) "call stack exhausted")
(assert_exhaustion (invoke "add" (i32.const 0) (i32.const 0)) "call stack exhausted") ;; FAIL

(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch") ;; FAIL
(assert_malformed (module binary "\00asm\01\00\00") "unexpected end")
(assert_malformed (module binary "\00asm\01\00\00\00") "unexpected end")   ;; FAIL
(assert_malformed (module quote "(func (result i32) (i32.const))") "unexpected token") ;; SKIP

(assert_unlinkable (module (import "M" "nothere" (func))) "unknown import")
(assert_unlinkable (module (import "M" "add" (func))) "incompatible import type")
(assert_unlinkable (module (import "M" "add" (func (param i32 i32) (result i32)))) "incompatible import type") ;; FAIL
(assert_unlinkable (module (import "M" "add" (func))) "unknown import")    ;; FAIL
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i32)))) "unknown import") ;; FAIL
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_trap (module (func $s) (start $s)) "unreachable")         ;; FAIL

;; A module that fails to link: later commands that use it fail too.
(module $Bad (import "M" "nothere" (func)) (func (export "f")))             ;; FAIL
(invoke $Bad "f")                                                           ;; FAIL
(register "Bad" $Bad)                                                       ;; FAIL
(assert_unlinkable (module (import "Bad" "f" (func))) "unknown import")     ;; FAIL

;; spectest, through imports.
(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "spectest" "global_i32" (global $g i32))
  (import "spectest" "global_f64" (global $h f64))
  (import "spectest" "table" (table 10 funcref))
  (import "spectest" "memory" (memory 1))
  (func (export "g") (result i32) (call $print (global.get $g)) (global.get $g))
  (func (export "h") (result f64) (global.get $h))
  (func (export "mem") (result i32) (memory.size)))
(assert_return (invoke "g") (i32.const 666))
(assert_return (invoke "h") (f64.const 666.6))
(assert_return (invoke "mem") (i32.const 1))
