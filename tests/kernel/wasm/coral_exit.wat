;; tests/kernel/wasm/coral_exit.wat: a component that logs a line, then
;; calls coral.exit(3) (ktest_coral.c).
(module
  (import "coral" "log" (func $log (param i32 i32) (result i32)))
  (import "coral" "exit" (func $exit (param i32)))
  (memory 1)
  (data (i32.const 0) "exiting")
  (func (export "_start")
    (drop (call $log (i32.const 0) (i32.const 7)))
    (call $exit (i32.const 3))))
