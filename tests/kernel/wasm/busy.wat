;; tests/kernel/wasm/busy.wat: Wasm that calls a host function which keeps
;; the CPU (env.busy spins in C), for checking that the tick never preempts
;; kernel code called from Wasm.
(module
  (import "env" "busy" (func $busy (result i32)))
  (func $call_busy (export "call_busy") (result i32) (call $busy))
)
