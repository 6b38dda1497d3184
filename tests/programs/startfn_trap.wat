;; tests/programs/startfn_trap.wat: a start function that traps (startfn.c
;; expects the trap to be the component's, reported by name).
(module
  (func $trap_in_start unreachable)
  (start $trap_in_start)
  (func (export "_start")))
