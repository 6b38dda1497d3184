;; tests/kernel/wasm/spin.wat: loops that never call anything, for the
;; preemption and kill scenarios.
(module
  (memory (export "memory") 1)
  ;; counts at address 0, forever
  (func $count_forever (export "count")
    (loop $l
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (br $l)))
  ;; the tightest loop there is
  (func $spin_forever (export "spin") (loop $l (br $l)))
)
