;; kernel/demo/hello.wat: the first Wasm module `make run` shows. It
;; computes Fibonacci numbers in a loop, formats them itself and prints a
;; line through the kernel's demo.print(ptr, len).
(module
  (import "demo" "print" (func $print (param i32 i32)))
  (memory 1)
  (data (i32.const 0) "Hello from WebAssembly, compiled by the kernel: fib(")
  ;; 52 bytes of text at 0; the line is built from there on.

  (func $fib (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $t (i64.add (local.get $a) (local.get $b)))
      (local.set $a (local.get $b))
      (local.set $b (local.get $t))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $a))

  ;; writes the decimal digits of v at p; returns the address after them
  (func $utoa (param $p i32) (param $v i64) (result i32)
    (local $q i32) (local $end i32) (local $c i32)
    (local.set $q (local.get $p))
    (loop $digit
      (i32.store8 (local.get $q)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (local.set $end (local.get $q))
    ;; reverse [p, q)
    (block $done (loop $swap
      (local.set $q (i32.sub (local.get $q) (i32.const 1)))
      (br_if $done (i32.ge_u (local.get $p) (local.get $q)))
      (local.set $c (i32.load8_u (local.get $p)))
      (i32.store8 (local.get $p) (i32.load8_u (local.get $q)))
      (i32.store8 (local.get $q) (local.get $c))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $swap)))
    (local.get $end))

  ;; "Hello ...: fib(N) = F"
  (func $main (export "main") (param $n i32)
    (local $p i32)
    (local.set $p (call $utoa (i32.const 52) (i64.extend_i32_u (local.get $n))))
    (i32.store8 (local.get $p) (i32.const 41))              ;; ')'
    (i32.store (i32.add (local.get $p) (i32.const 1)) (i32.const 0x203d20))  ;; " = "
    (local.set $p (call $utoa (i32.add (local.get $p) (i32.const 4)) (call $fib (local.get $n))))
    (call $print (i32.const 0) (local.get $p)))
)
