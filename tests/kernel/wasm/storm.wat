;; tests/kernel/wasm/storm.wat: an endless loop with calls, memory traffic
;; and host calls, so that kills land everywhere: in compiled code, in
;; prologues and epilogues, in the engine's stubs, in C.
(module
  (import "env" "tick" (func $tick))
  (memory 1)
  (func $mix (param $i i32) (result i32)
    (i32.store (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 0xfffc))
               (local.get $i))
    (i32.add (local.get $i) (i32.const 1)))
  (func $storm_forever (export "storm")
    (local $i i32)
    (loop $l
      (local.set $i (call $mix (call $mix (local.get $i))))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 63))) (then (call $tick)))
      (br $l)))
)
