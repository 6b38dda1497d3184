;; tests/programs/startfn_exit.wat: a start function that calls coral.exit
;; (startfn.c expects exit status 5; the entry is never reached).
(module
  (import "coral" "exit" (func $exit (param i32)))
  (func $exit_in_start (call $exit (i32.const 5)))
  (start $exit_in_start)
  (func (export "_start") unreachable))
