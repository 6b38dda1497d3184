;; tests/programs/startfn_order.wat: the start function runs before the
;; entry, which returns what it set (startfn.c expects exit status 42).
(module
  (global $g (mut i32) (i32.const 0))
  (func $init (global.set $g (i32.const 42)))
  (start $init)
  (func (export "_start") (result i32) (global.get $g)))
