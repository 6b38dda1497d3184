;; tests/kernel/wasm/naps.wat: a loop that spends its time blocked in a
;; host function (env.nap sleeps), for killing a thread that is not in
;; Wasm code when the request comes.
(module
  (import "env" "nap" (func $nap))
  (func $naps_forever (export "naps") (loop $l (call $nap) (br $l)))
)
