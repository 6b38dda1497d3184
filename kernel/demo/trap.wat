;; kernel/demo/trap.wat: the second module `make run` shows: a store past
;; the end of its one-page memory. The access hits the memory's guard
;; region, the page fault becomes a Wasm trap, and the kernel reports it.
(module
  (memory 1)
  (func $poke (param $addr i32) (i32.store (local.get $addr) (i32.const 1)))
  (func $main (export "main") (call $poke (i32.const 0x20000)))
)
