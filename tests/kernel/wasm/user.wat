;; tests/kernel/wasm/user.wat: calls into another instance (lib.wat).
(module
  (import "lib" "twice" (func $twice (param i32) (result i32)))
  (import "lib" "deep" (func $deep (param i32) (result i32)))
  (func $use_twice (export "use_twice") (param i32) (result i32)
    (i32.add (call $twice (local.get 0)) (i32.const 1)))
  (func $use_deep (export "use_deep") (param i32) (result i32) (call $deep (local.get 0)))
)
