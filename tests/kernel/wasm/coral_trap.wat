;; tests/kernel/wasm/coral_trap.wat: a component that traps at once
;; (ktest_coral.c).
(module
  (func $boom (export "_start") unreachable))
