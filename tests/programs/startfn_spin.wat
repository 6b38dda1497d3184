;; tests/programs/startfn_spin.wat: a start function that never returns
;; (startfn.c kills the component running it).
(module
  (func $spin_in_start (loop $l (br $l)))
  (start $spin_in_start)
  (func (export "_start")))
