;; tests/kernel/wasm/lib.wat: an instance that another one (user.wat)
;; calls through an import, for the `wasm-cross` scenario.
(module
  (func $twice (export "twice") (param i32) (result i32)
    (i32.add (local.get 0) (local.get 0)))
  ;; recursion n deep (then returns n), to reach the stack limit
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
)
