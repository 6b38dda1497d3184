# tests/spec/codegen.py: generates tests/spec/codegen.wast (run: python3 tests/spec/codegen.py tests/spec/codegen.wast).
import re, sys

I32 = [  # each leaves one i32 on the stack; B32((e)) / B64((e)) mark the barriers
 "(select (local.get $x) (local.get $y) B32((i32.lt_s (local.get $x) (local.get $y))))",
 "(select (local.get $x) (local.get $y) B32((i32.lt_u (local.get $x) (local.get $y))))",
 "(select (local.get $y) (local.get $x) B32((i32.gt_s (local.get $x) (i32.const 5))))",
 "(select (local.get $x) (i32.const 99) B32((i32.ge_u (i32.const 7) (local.get $y))))",
 "(select (i32.const 11) (local.get $y) B32((i32.eqz (i32.ne (local.get $x) (local.get $y)))))",
 "(select (local.get $x) (local.get $y) B32((i32.eqz (i32.eqz (i32.le_s (local.get $y) (local.get $x))))))",
 "(select (i32.add (local.get $x) (i32.const 1)) (i32.sub (local.get $y) (i32.const 1)) B32((i32.eqz (i32.and (local.get $x) (i32.const 1)))))",
 "(select (local.get $y) (i32.mul (local.get $x) (i32.const 3)) B32((i32.and (local.get $x) (local.get $y))))",
 "(select (local.get $x) (local.get $y) B32((i32.and (local.get $x) (i32.const 0x80000000))))",
 "(select (local.get $x) (local.get $y) B32((i32.eqz (i32.and (local.get $y) (i32.const 0x100)))))",
 "(select (local.get $x) (local.get $y) B32((i32.and (i32.const 0xff) (local.get $y))))",
 "(select (local.get $x) (local.get $y) B32((i32.eqz (local.get $x))))",
 "(select (local.get $x) (local.get $y) B32((i32.lt_s (i32.const -3) (local.get $x))))",
 "(select (local.get $x) (local.get $y) (i32.lt_s B32((i32.const -3)) (local.get $x)))",
 "(select (local.get $x) (local.get $y) (i32.gt_s B32((i32.const 100)) (local.get $y)))",
 "(select (local.get $x) (local.get $y) (i32.le_u B32((i32.const 0x80000000)) (local.get $x)))",
 "(select (local.get $x) (local.get $y) (i32.ge_u B32((i32.const 0xff)) (local.get $y)))",
 "(select (local.get $x) (local.get $y) (i32.gt_u B32((i32.const 0x7f)) (local.get $y)))",
 "(select (local.get $x) (local.get $y) (i32.le_s B32((i32.const 1)) (local.get $y)))",
 "(select (local.get $x) (local.get $y) (i32.ge_s B32((i32.const 0)) (local.get $x)))",
 "(select (local.get $x) (local.get $y) (i32.lt_u B32((i32.const 3)) (local.get $x)))",
 "(i32.lt_s B32((i32.const 7)) (local.get $x))",
 "(i32.gt_s B32((i32.const 7)) (local.get $x))",
 "(i32.le_u B32((i32.const 7)) (local.get $x))",
 "(i32.ge_u B32((i32.const 7)) (local.get $x))",
 "(select (i32.add (local.get $x) (local.get $y)) (local.get $x) B32((i32.gt_u (local.get $y) (i32.const 0x7f))))",
 "(if (result i32) B32((i32.and (local.get $x) (i32.const 0x10))) (then (i32.const 1)) (else (i32.const 2)))",
 "(if (result i32) B32((i32.eqz (i32.and (local.get $x) (local.get $y)))) (then (i32.const 3)) (else (i32.const 4)))",
 "(if (result i32) B32((local.get $y)) (then (i32.const 3)) (else (i32.const 4)))",
 "(block (result i32) (br_if 0 (i32.const 5) B32((i32.and (local.get $y) (i32.const -2)))) (drop) (i32.const 6))",
 "(block (result i32) (br_if 0 (i32.const 7) B32((i32.eqz (i32.eqz (i32.gt_u (local.get $x) (local.get $y)))))) (drop) (i32.const 8))",
 "(block (result i32) (br_if 0 (i32.const 9) B32((i32.eqz (i32.and (local.get $x) (i32.const 3))))) (drop) (i32.const 10))",
 "(block (result i32) (br_if 0 (i32.const 9) B32((local.get $x))) (drop) (i32.const 10))",
 "(i32.add (i32.mul (local.get $x) B32((i32.const 3))) B32((i32.const 7)))",
 "(i32.sub (i32.mul (local.get $y) B32((i32.const 5))) B32((i32.const 3)))",
 "(i32.mul (local.get $x) B32((i32.const 9)))",
 "(i32.mul B32((i32.const 2)) (local.get $x))",
 "(i32.add (i32.mul (local.get $x) B32((i32.const 4))) B32((i32.const 1)))",
 "(i32.mul (local.get $y) B32((i32.const 8)))",
 "(i32.mul (local.get $x) B32((i32.const 16)))",
 "(i32.mul (local.get $x) B32((i32.const 0x80000000)))",
 "(i32.mul (local.get $x) B32((i32.const -1)))",
 "(i32.mul (local.get $x) B32((i32.const 1)))",
 "(i32.mul (local.get $x) B32((i32.const 100)))",
 "(i32.mul (i32.add (local.get $x) (local.get $y)) B32((i32.const 3)))",
 "(i32.mul (local.get $x) B32((local.get $y)))",
 "(i32.add (i32.shl (local.get $x) B32((i32.const 2))) B32((i32.const 12345)))",
 "(i32.sub (i32.shl (i32.add (local.get $x) (local.get $y)) B32((i32.const 3))) B32((i32.const 5)))",
 "(i32.add (local.get $y) (i32.shl (local.get $x) B32((i32.const 2))))",
 "(i32.add (i32.shl (local.get $x) B32((i32.const 3))) (local.get $y))",
 "(i32.add (i32.shl (local.get $x) B32((i32.const 1))) (local.get $x))",
 "(i32.add (i32.const 100) (i32.shl (local.get $x) B32((i32.const 2))))",
 "(i32.add (i32.mul (local.get $x) (local.get $y)) (i32.shl (local.get $y) B32((i32.const 1))))",
 "(i32.add (i32.wrap_i64 (local.get $a)) (i32.shl (local.get $y) B32((i32.const 3))))",
 "(local.set $t (local.get $x)) (local.set $t (i32.add (local.get $y) (i32.shl (local.get $t) B32((i32.const 2))))) (local.get $t)",
 "(local.set $t (local.get $x)) (local.set $t (i32.add (i32.shl (local.get $y) B32((i32.const 2))) (local.get $t))) (local.get $t)",
 "(local.set $t (i32.add (i32.shl (local.get $y) B32((i32.const 3))) B32((i32.const -1)))) (local.get $t)",
 "(i32.shl (local.get $x) B32((i32.const 32)))",
 "(i32.shr_u (local.get $x) B32((i32.const 33)))",
 "(i32.xor (local.get $x) B32((i32.const -1)))",
 "(i32.and (local.get $x) B32((i32.const 0xff)))",
 "(i32.and B32((i32.const 0xffff)) (local.get $y))",
 "(i32.add (i32.and (local.get $x) B32((i32.const 0xff))) (i32.and (local.get $y) B32((i32.const 0xffff))))",
 "(local.set $t (local.get $x)) (local.set $t (i32.and (local.get $t) B32((i32.const 0xff)))) (local.get $t)",
 "(local.set $t (i32.and (local.get $y) B32((i32.const 0xffff)))) (local.get $t)",
 "(local.set $t (i32.and (local.get $x) B32((i32.const 0xff)))) (local.get $t)",
 "(i32.lt_s (local.get $x) B32((i32.const 5)))",
 "(i32.lt_u B32((i32.const 5)) (local.get $x))",
 "(i32.ge_s B32((i32.const -5)) (local.get $y))",
 "(i32.eq (local.get $x) B32((local.get $y)))",
 "(i32.add (i32.gt_u (local.get $x) B32((local.get $y))) (i32.ne (local.get $x) B32((i32.const 0))))",
 "(i32.eqz B32((local.get $y)))",
 "(i32.add (i32.eqz B32((i32.add (local.get $x) (local.get $y)))) (i32.const 2))",
 "(i32.sub B32((i32.const 10)) (local.get $x))",
 "(i32.add B32((i32.const 10)) (local.get $x))",
 "(i32.sub (local.get $x) B32((i32.const 10)))",
 "(i32.add (local.get $x) B32((local.get $y)))",
 "(i32.and B32((i32.const 0xf0f0)) (i32.add (local.get $x) (local.get $y)))",
 "(local.set $t (local.get $x)) (local.set $t (i32.add (local.get $t) B32((i32.const 1)))) (local.get $t)",
 "(local.set $t (local.get $x)) (local.set $t (i32.sub (local.get $y) B32((local.get $t)))) (local.get $t)",
 "(local.set $t (local.get $x)) (local.set $t (i32.sub (local.get $t) B32((local.get $y)))) (local.get $t)",
 "(local.set $t (local.get $x)) (local.set $t (i32.add (local.get $t) B32((local.get $t)))) (local.get $t)",
 "(local.set $t (local.get $x)) (local.set $t (i32.shl (local.get $t) B32((i32.const 3)))) (local.get $t)",
 "(local.set $t (i32.shr_s (local.get $x) B32((i32.const 1)))) (local.get $t)",
 "(local.set $t (local.get $y)) (local.set $t (i32.add (i32.mul (local.get $t) B32((i32.const 3))) B32((i32.const 1)))) (local.get $t)",
 "(local.set $t (i32.add (i32.mul (local.get $x) B32((i32.const 5))) B32((i32.const -9)))) (local.get $t)",
 "(local.set $t (i32.mul (local.get $x) B32((i32.const 64)))) (local.get $t)",
 "(local.set $t (i32.add (local.get $x) B32((i32.const 100)))) (local.get $t)",
 "(local.set $t (i32.add (local.get $x) B32((local.get $y)))) (local.get $t)",
 "(local.set $t (i32.sub B32((i32.const 7)) (local.get $x))) (local.get $t)",
 "(local.set $t (i32.xor (local.get $x) (local.get $y))) (i32.add (local.tee $t (i32.or (local.get $t) B32((local.get $x)))) (local.get $t))",
 "(local.set $t (local.get $x)) (i32.add (local.get $t) (local.tee $t (i32.add (local.get $t) B32((i32.const 1)))))",
 "(local.set $t (local.get $x)) (i32.add (local.get $t) (local.tee $t (i32.mul (local.get $t) B32((i32.const 9)))))",
 "(local.set $t (local.get $x)) (i32.sub (local.get $t) (local.tee $t (i32.shl (local.get $t) B32((i32.const 4)))))",
 "(local.set $t (local.get $x)) (i32.sub (local.get $t) (local.tee $t (i32.sub B32((local.get $y)) (local.get $t))))",
 "(local.set $t (local.get $x)) (block (result i32) (drop (br_if 0 (local.get $t) B32((local.tee $t (i32.sub (local.get $t) (i32.const 1)))))) (i32.add (local.get $t) (i32.const 100)))",
 "(local.set $t (local.get $x)) (block (result i32) (drop (br_if 0 (local.get $t) B32((local.tee $t (i32.add (local.get $t) (local.get $y)))))) (i32.add (local.get $t) (i32.const 100)))",
 "(local.set $t (local.get $y)) (if (result i32) (i32.eqz B32((local.tee $t (i32.and (local.get $t) (local.get $x))))) (then (local.get $t)) (else (i32.sub (i32.const 0) (local.get $t))))",
 "(local.set $t (local.get $y)) (if (result i32) B32((local.tee $t (i32.or (local.get $t) (i32.const 0x100)))) (then (local.get $t)) (else (i32.const 1)))",
 "(local.set $t (local.get $x)) (i32.add (select (local.get $y) (local.get $t) B32((local.tee $t (i32.xor (local.get $t) (i32.const 5))))) (local.get $t))",
 "(local.set $t (local.get $x)) (i32.add (select (local.get $y) (local.get $t) (i32.eqz (i32.eqz B32((local.tee $t (i32.sub (local.get $t) (local.get $t))))))) (local.get $t))",
 "(local.set $t (i32.and (local.get $x) (i32.const 15))) (local.set $d0 (i32.const 0)) (block (loop $l (br_if 1 (i32.eqz (local.get $t))) (local.set $d0 (i32.add (local.get $d0) (local.get $t))) (br_if $l B32((local.tee $t (i32.sub (local.get $t) (i32.const 1))))))) (i32.add (local.get $d0) (local.get $t))",
 "(i32.store8 (i32.const 100) B32((local.get $x))) (i32.store16 (i32.const 102) B32((local.get $y))) (i32.store (i32.const 104) B32((local.get $x))) (i32.load (i32.const 100))",
 "(i64.store32 (i32.const 112) B64((local.get $a))) (i32.store (i32.const 116) B32((i32.wrap_i64 (local.get $b)))) (i32.add (i32.load (i32.const 112)) (i32.load (i32.const 116)))",
 "(i32.wrap_i64 B64((i64.extend_i32_u (local.get $x))))",
 "(i32.wrap_i64 B64((i64.shr_u (i64.extend_i32_u (local.get $x)) (i64.const 1))))",
 "(i32.add B32((i32.wrap_i64 (i64.add (local.get $a) (local.get $b)))) (local.get $x))",
 "(i32.mul B32((i32.wrap_i64 (i64.add (local.get $a) (local.get $b)))) (i32.const 3))",
 "(i32.add (local.get $y) (i32.shl B32((i32.wrap_i64 (i64.add (local.get $a) (local.get $b)))) (i32.const 2)))",
 "(i32.add (i32.const 5) (i32.mul (i32.const 9) B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b))))))",
 "(i32.shr_u B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))) (i32.const 3))",
 "(i32.rotl B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))) (local.get $y))",
 "(i32.shl (local.get $x) B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))))",
 "(select (local.get $x) (local.get $y) (i32.lt_s B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))) (i32.const 3)))",
 "(select (local.get $x) (local.get $y) (i32.eqz (i32.and B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))) (i32.const 0x101))))",
]

I64 = [  # each leaves one i64
 "B64((i64.extend_i32_u (local.get $x)))",
 "B64((i64.extend_i32_s (local.get $x)))",
 "(i64.add (i64.extend_i32_u B32((local.get $x))) (local.get $a))",
 "(i64.add (i64.extend_i32_u B32((i32.add (local.get $x) (local.get $y)))) (i64.const 1))",
 "(i64.add (i64.extend_i32_s B32((i32.add (local.get $x) (local.get $y)))) (i64.const 1))",
 "(i64.extend_i32_u B32((i32.lt_s (local.get $x) (local.get $y))))",
 "(i64.extend_i32_u B32((i32.wrap_i64 (local.get $a))))",
 "(i64.extend_i32_u B32((i32.wrap_i64 (i64.add (local.get $a) (local.get $b)))))",
 "(i64.extend_i32_u B32((i32.add (i32.wrap_i64 (i64.add (local.get $a) (local.get $b))) B32((i32.const 0)))))",
 "(i64.extend_i32_u (i32.shl B32((i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 5)))) (i32.const 2)))",
 "(i64.extend_i32_u (i32.add B32((i32.wrap_i64 (i64.mul (local.get $a) (local.get $b)))) (local.get $x)))",
 "(i64.extend_i32_u (i32.eqz B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b))))))",
 "(i64.extend_i32_u (i32.shl B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))) (i32.const 32)))",
 "(i64.extend_i32_u (i32.lt_u B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))) (i32.const 100)))",
 "(i64.extend_i32_u (i32.xor B32((i32.wrap_i64 (i64.sub (local.get $a) (local.get $b)))) (local.get $y)))",
 "(i64.add (i64.extend_i32_u B32((i32.wrap_i64 (local.get $b)))) B64((i64.const 1)))",
 "(i64.extend_i32_u (i32.rem_u B32((i32.wrap_i64 (i64.shr_u (i64.mul (local.get $a) (local.get $b)) (i64.const 7)))) (i32.or (local.get $y) (i32.const 1))))",
 "(i64.extend_i32_u (i32.div_s B32((i32.wrap_i64 (i64.rotl (local.get $b) (i64.const 32)))) (i32.const 7)))",
 "(i64.extend_i32_u (i32.rem_s B32((i32.wrap_i64 (i64.rotl (local.get $a) (i64.const 32)))) (i32.const -1)))",
 "(i64.extend_i32_u (i32.rem_u (local.get $x) B32((i32.wrap_i64 (i64.or (local.get $b) (i64.const 1))))))",
 "(i64.extend_i32_u B32((i32.div_u (i32.wrap_i64 (i64.add (local.get $a) (local.get $b))) (i32.const 7))))",
 "(select (local.get $a) (local.get $b) B32((i64.lt_s (local.get $a) (local.get $b))))",
 "(select (local.get $a) (local.get $b) B32((i64.ge_u (local.get $a) (i64.const -7))))",
 "(select (local.get $a) (local.get $b) B32((i64.eqz (local.get $a))))",
 "(select (local.get $a) (local.get $b) B32((i64.eqz (i64.and (local.get $a) (i64.const 1)))))",
 "(select (local.get $a) (local.get $b) B32((i64.eqz (i64.and (local.get $a) (i64.const 0x100000000)))))",
 "(select (local.get $a) (local.get $b) B32((i64.eqz (i64.and (local.get $a) (i64.const 0x80)))))",
 "(select (local.get $a) (local.get $b) B32((i64.eqz (i64.and (local.get $a) (i64.const -256)))))",
 "(select (local.get $a) (local.get $b) B32((i32.eqz (i64.eqz (i64.and (local.get $a) (local.get $b))))))",
 "(select (i64.shr_u (local.get $a) (i64.const 1)) (i64.add (i64.mul (local.get $a) B64((i64.const 3))) B64((i64.const 1))) B32((i64.eqz (i64.and (local.get $a) (i64.const 1)))))",
 "(if (result i64) B32((i64.eqz (i64.and (local.get $b) (i64.const 0xff00000000)))) (then (i64.const 1)) (else (i64.const 2)))",
 "(block (result i64) (br_if 0 (i64.const 3) B32((i64.eqz (i64.and (local.get $a) (local.get $b))))) (drop) (i64.const 4))",
 "(i64.add (i64.mul (local.get $a) B64((i64.const 3))) B64((i64.const 0x7fffffff)))",
 "(i64.sub (i64.mul (local.get $a) B64((i64.const 5))) B64((i64.const -0x80000000)))",
 "(i64.add (i64.mul (local.get $a) B64((i64.const 9))) B64((i64.const 0x80000000)))",
 "(i64.mul (local.get $a) B64((i64.const 0x10000000000)))",
 "(i64.mul (local.get $b) B64((i64.const 0x8000000000000000)))",
 "(i64.mul (local.get $a) B64((i64.const 0x80000000)))",
 "(i64.mul (local.get $a) B64((i64.const 7)))",
 "(i64.mul (i64.extend_i32_u (local.get $x)) B64((i64.const -3)))",
 "(i64.add (i64.shl (local.get $a) B64((i64.const 3))) B64((i64.const -8)))",
 "(i64.add (i64.shl (local.get $a) B64((i64.const 1))) B64((i64.const 0x100000000)))",
 "(i64.add (local.get $b) (i64.shl (local.get $a) B64((i64.const 1))))",
 "(i64.add (i64.shl (local.get $a) B64((i64.const 3))) (local.get $b))",
 "(i64.add (i64.const 0x100000000) (i64.shl (local.get $a) B64((i64.const 2))))",
 "(i64.add (i64.const -0x80000000) (i64.shl (local.get $b) B64((i64.const 2))))",
 "(i64.add (i64.extend_i32_u (local.get $x)) (i64.shl (local.get $a) B64((i64.const 3))))",
 "(local.set $c (local.get $a)) (local.set $c (i64.add (local.get $c) (i64.shl (local.get $b) B64((i64.const 3))))) (local.get $c)",
 "(i64.shl (local.get $a) B64((i64.const 64)))",
 "(i64.rotl (local.get $a) B64((i64.const 65)))",
 "(i64.xor (local.get $a) B64((i64.const -1)))",
 "(i64.xor (local.get $a) B64((i64.const 0xffffffff)))",
 "(i64.and (local.get $a) B64((i64.const 0xffffffff)))",
 "(i64.and (local.get $b) B64((i64.const 0xff)))",
 "(i64.and (local.get $a) B64((i64.const 0xffff)))",
 "(local.set $c (i64.and (local.get $b) B64((i64.const 0xffffffff)))) (local.get $c)",
 "(local.set $c (local.get $a)) (local.set $c (i64.and (local.get $c) B64((i64.const 0xffff)))) (local.get $c)",
 "(i64.sub (local.get $a) B64((i64.const -0x80000000)))",
 "(i64.add (local.get $a) B64((i64.const 0x7fffffff)))",
 "(i64.add (local.get $a) B64((local.get $b)))",
 "(i64.extend_i32_u (i64.lt_u (local.get $a) B64((local.get $b))))",
 "(i64.extend_i32_u (i64.gt_s B64((i64.const 0x100000000)) (local.get $a)))",
 "(local.set $c (local.get $a)) (local.set $c (i64.add (local.get $c) B64((i64.const 1)))) (local.get $c)",
 "(local.set $c (local.get $a)) (local.set $c (i64.sub (local.get $b) B64((local.get $c)))) (local.get $c)",
 "(local.set $c (local.get $a)) (local.set $c (i64.shr_u (local.get $c) B64((i64.const 7)))) (local.get $c)",
 "(local.set $c (i64.add (i64.mul (local.get $b) B64((i64.const 3))) B64((i64.const 1)))) (local.get $c)",
 "(local.set $c (i64.add (local.get $a) B64((local.get $b)))) (local.get $c)",
 "(local.set $c (i64.add (local.get $a) B64((i64.const -1)))) (local.get $c)",
 "(local.set $c (i64.extend_i32_u (local.get $x))) (i64.add (local.get $c) (local.tee $c (i64.mul (local.get $c) B64((i64.const 8)))))",
 "(local.set $t (local.get $x)) (i64.add (i64.extend_i32_u (local.get $t)) (i64.extend_i32_u B32((i32.wrap_i64 (local.get $a)))))",
 "(i64.store8 (i32.const 200) B64((local.get $a))) (i64.store (i32.const 208) B64((local.get $b))) (i64.store (i32.const 216) B64((i64.extend_i32_u (local.get $x)))) (i64.add (i64.load (i32.const 200)) (i64.add (i64.load (i32.const 208)) (i64.load (i32.const 216))))",
 "(i64.trunc_f64_s (select (f64.convert_i32_s (local.get $x)) (f64.const 2.5) B32((i32.lt_s (local.get $x) (local.get $y)))))",
]

def barrier(s, ref):
    # B32((e)) / B64((e)): e itself, or e through the identity function in the reference
    out = ''
    i = 0
    while True:
        m = re.search(r'B(32|64)\(', s[i:])
        if not m:
            out += s[i:]; break
        out += s[i:i+m.start()]
        j = i + m.end()
        depth = 1; k = j
        while depth:
            if s[k] == '(': depth += 1
            elif s[k] == ')': depth -= 1
            k += 1
        inner = barrier(s[j:k-1], ref)
        out += f'(call $id{m.group(1)} {inner})' if ref else inner
        i = k
    return out

def body(exprs, ref, heavy):
    lines = []
    for e in exprs:
        e = barrier(e, ref)
        # the value of e, folded into $h
        lines.append(f'      (local.set $h (i64.xor (i64.rotl (local.get $h) (i64.const 9)) {e}))')
    return lines

# Flavors: where the operands live.
#   n: no loop, so no local is pinned: every operand is in a frame slot
#   p: the expressions inside a loop (run once): the busiest locals are pinned
#   h: a busy dummy loop first: its locals take the pinned registers
#   t: a dummy loop over $t $c $y $b: those are pinned, $x and $a are not
FLAVORS = 'npht'

def func(name, exprs, conv, ref, flavor):
    out = [f'  (func ${name} (param $x i32) (param $y i32) (param $a i64) (param $b i64) (result i64)',
           '    (local $t i32) (local $c i64) (local $d0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)',
           '    (global.set $h (i64.const 0))']
    if flavor == 'h':
        out.append('    (loop $l (loop $m (local.set $d0 (i32.add (local.get $d0) (local.get $d1))) (local.set $d1 (i32.add (local.get $d1) (local.get $d2)))')
        out.append('      (local.set $d2 (i32.add (local.get $d2) (local.get $d3))) (local.set $d3 (i32.add (local.get $d3) (i32.const 1)))')
        out.append('      (br_if $m (i32.lt_u (local.get $d3) (i32.const 3)))))')
    if flavor == 't':
        out.append('    (loop $l (loop $m (local.set $t (local.get $t)) (local.set $c (local.get $c)) (local.set $y (local.get $y)) (local.set $b (local.get $b))')
        out.append('      (local.set $t (local.get $t)) (local.set $c (local.get $c)) (local.set $y (local.get $y)) (local.set $b (local.get $b))')
        out.append('      (local.set $d3 (i32.add (local.get $d3) (i32.const 1))) (br_if $m (i32.lt_u (local.get $d3) (i32.const 3)))))')
    if flavor != 'n':
        out.append('    (loop $once')
    for e in exprs:
        e = barrier(e, ref)
        if conv == 32:
            e = f'(i64.extend_i32_u (block (result i32) {e}))'
        else:
            e = f'(block (result i64) {e})'
        out.append(f'    (global.set $h (i64.xor (i64.rotl (global.get $h) (i64.const 9)) {e}))')
    if flavor != 'n':
        out.append('    )')
    out.append('    (i64.add (global.get $h) (i64.extend_i32_u (local.get $d0))))')
    return out

VALS32 = [0, 1, 2, 3, 5, 7, 0x7f, 0x80, 0xff, 0x100, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 12345, 0xdeadbeef, 0x10]
VALS64 = [0, 1, 3, 0xff, 0x80, 0xffffffff, 0x100000000, 0x1_0000_0005, 0xffffffff_00000005, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0xfffffffffffffffe, 0x123456789abcdef0, 0x7fffffff, 0x80000000, 0xff00000000, 0x5555555555555555]

o = []
o.append(''';; tests/spec/codegen.wast: the back end's integer peepholes (docs/engine-backend.md,
;; "Instruction selection"), run by tests/steps/23-codegen-wast in both bounds modes.
;; GENERATED by tests/spec/codegen.py: edit the lists there, then run
;;   python3 tests/spec/codegen.py tests/spec/codegen.wast
;; Each expression appears twice: as is, where the compiler fuses and folds, and with
;; the operands marked in the script passed through an identity function ($id32/$id64),
;; which defeats the peephole under test. "check" runs both forms over a table of edge
;; values, with the operands in four places (FLAVORS in the script: no pinned locals,
;; pinned by use, dummy locals taking the pinned registers, some pinned and some not)
;; and counts the argument combinations whose results differ: it must be 0. The second
;; module pins a few results down by value.
(module
  (memory 1)
  (global $h (mut i64) (i64.const 0))
  (func $id32 (param i32) (result i32) (local.get 0))
  (func $id64 (param i64) (result i64) (local.get 0))''')
for fl in FLAVORS:
    for ref in (False, True):
        for conv, exprs in ((32, I32), (64, I64)):
            o += func(f"{fl}{conv}{'r' if ref else 'p'}", exprs, conv, ref, fl)
n32 = len(VALS32); n64 = len(VALS64)
o.append('  ;; tables: i32 values at 0, i64 values at 1024')
o.append('  (data (i32.const 0) "' + ''.join(''.join(f'\\{b:02x}' for b in v.to_bytes(4,'little')) for v in VALS32) + '")')
o.append('  (data (i32.const 1024) "' + ''.join(''.join(f'\\{b:02x}' for b in v.to_bytes(8,'little')) for v in VALS64) + '")')
o.append(f'''  ;; the number of argument combinations where a peephole and its reference differ
  (func (export "check") (result i32)
    (local $i i32) (local $j i32) (local $x i32) (local $y i32) (local $a i64) (local $b i64) (local $bad i32)
    (loop $li
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $x (i32.load (i32.shl (i32.rem_u (local.get $i) (i32.const {n32})) (i32.const 2))))
        (local.set $y (i32.load (i32.shl (i32.rem_u (local.get $j) (i32.const {n32})) (i32.const 2))))
        (local.set $a (i64.load (i32.add (i32.const 1024) (i32.shl (i32.rem_u (local.get $i) (i32.const {n64})) (i32.const 3)))))
        (local.set $b (i64.load (i32.add (i32.const 1024) (i32.shl (i32.rem_u (local.get $j) (i32.const {n64})) (i32.const 3)))))
        (local.set $bad (i32.add (local.get $bad)\n          (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i64.ne (call $n32p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $n32r (local.get $x) (local.get $y) (local.get $a) (local.get $b)))\n            (i64.ne (call $n64p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $n64r (local.get $x) (local.get $y) (local.get $a) (local.get $b))))\n            (i64.ne (call $p32p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $p32r (local.get $x) (local.get $y) (local.get $a) (local.get $b))))\n            (i64.ne (call $p64p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $p64r (local.get $x) (local.get $y) (local.get $a) (local.get $b))))\n            (i64.ne (call $h32p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $h32r (local.get $x) (local.get $y) (local.get $a) (local.get $b))))\n            (i64.ne (call $h64p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $h64r (local.get $x) (local.get $y) (local.get $a) (local.get $b))))\n            (i64.ne (call $t32p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $t32r (local.get $x) (local.get $y) (local.get $a) (local.get $b))))\n            (i64.ne (call $t64p (local.get $x) (local.get $y) (local.get $a) (local.get $b)) (call $t64r (local.get $x) (local.get $y) (local.get $a) (local.get $b))))))\n        (br_if $lj (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const {max(n32,n64)}))))
      (br_if $li (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const {max(n32,n64)}))))
    (local.get $bad))''')
o.append(')')
o.append('(assert_return (invoke "check") (i32.const 0))')
o.append('''
;; A few results by value.
(module
  (func (export "min_u") (param i32 i32) (result i32)
    (select (local.get 0) (local.get 1) (i32.lt_u (local.get 0) (local.get 1))))
  (func (export "collatz_step") (param i64) (result i64)
    (select (i64.shr_u (local.get 0) (i64.const 1))
            (i64.add (i64.mul (local.get 0) (i64.const 3)) (i64.const 1))
            (i64.eqz (i64.and (local.get 0) (i64.const 1)))))
  (func (export "wrap_extend") (param i64) (result i64)
    (i64.extend_i32_u (i32.wrap_i64 (local.get 0))))
  (func (export "wrap_shl32") (param i64) (result i64)
    (i64.extend_i32_u (i32.shl (i32.wrap_i64 (local.get 0)) (i32.const 32))))
  (func (export "mul3p7") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 7)))
  (func (export "bump") (param i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1))) (local.get 0))
  (func (export "test_hi") (param i64) (result i32)
    (if (result i32) (i64.eqz (i64.and (local.get 0) (i64.const 0x100000000)))
      (then (i32.const 0)) (else (i32.const 1)))))
(assert_return (invoke "min_u" (i32.const 3) (i32.const -1)) (i32.const 3))
(assert_return (invoke "min_u" (i32.const -1) (i32.const 3)) (i32.const 3))
(assert_return (invoke "min_u" (i32.const 0x80000000) (i32.const 0x7fffffff)) (i32.const 0x7fffffff))
(assert_return (invoke "collatz_step" (i64.const 7)) (i64.const 22))
(assert_return (invoke "collatz_step" (i64.const 8)) (i64.const 4))
(assert_return (invoke "collatz_step" (i64.const -1)) (i64.const -2))
(assert_return (invoke "wrap_extend" (i64.const 0xffffffff00000005)) (i64.const 5))
(assert_return (invoke "wrap_shl32" (i64.const 0xffffffff00000005)) (i64.const 5))
(assert_return (invoke "mul3p7" (i32.const 0x7fffffff)) (i32.const 0x80000004))
(assert_return (invoke "bump" (i32.const -1)) (i32.const 0))
(assert_return (invoke "test_hi" (i64.const 0x100000000)) (i32.const 1))
(assert_return (invoke "test_hi" (i64.const 0xffffffff)) (i32.const 0))''')
# Division and remainder by a constant (docs/engine-backend.md, "Division by a
# constant"): each op by every constant below, as compiled (shifts, multiply by a
# magic number), against the same divisions with the divisor loaded from memory
# (the general div/idiv path), over edge and pseudo-random dividends.
def divconsts(w):
    m = (1 << w) - 1
    ds = set()
    for k in range(w):                       # every power of two, both signs
        ds.add(1 << k); ds.add(-(1 << k) & m)
    for k in (2, 3, 5, 8, 13, 16, 24, 30, 31, 32, 33, 47, 61, 62, 63):
        if k < w:                            # and some of their neighbours
            ds.add(((1 << k) + 1) & m); ds.add(((1 << k) - 1) & m)
    small = [3, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 17, 19, 21, 24, 25, 28, 46, 50, 56, 60, 62, 100, 125, 126, 255,
             641, 1000, 3600, 10000, 86400, 1000000, 10**9, 0x55555555, 0xaaaaaaab, 0x12345678,
             0x7ffffffd, 0x80000007, 0xc0000001, 0xfffffff9, 0x6ac4c0a7]
    if w == 64:
        small += [10**15, 10**18, 10**19, 1000 * 2**40, 274177, 6700417, 0x5555555555555555, 0xaaaaaaaaaaaaaaab,
                  0x123456789abcdef, 0x7ffffffffffffffd, 0x8000000000000007, 0xfffffffffffffff9,
                  0x100000001 * 7, 0xcccccccccccccccd]
    for d in small:
        ds.add(d & m); ds.add(-d & m)
    ds.discard(0)
    return sorted(ds)

DIVOPS = ['div_s', 'div_u', 'rem_s', 'rem_u']
DIVEDGE = [0, 1, 2, 3, 7, 9, 10, 99, 100, 101, 0x7f, 0x80, 0xff, 999999999, 1000000000, 1000000001,
           0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x100000000,
           0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001, 0xfffffffffffffffe,
           0xffffffffffffffff, 0xffffffff80000000, 0xffffffff7fffffff, 0xffffffffc4653600,
           0xde0b6b3a763ffff, 0xde0b6b3a7640000, 0x8ac7230489e80000, 0x5555555555555556]
DIVRAND = 20000

def divforms(w):
    # where the dividend is (flat code, after the running hash on the stack): a
    # local (pinned in the "p" flavor, a frame slot in "n"), a register, an i64
    # local or register seen through i32.wrap_i64 (its upper half is not the
    # value's: 32-bit code must not read it)
    if w == 32:
        return ['local.get $x', 'local.get $x local.get $z i32.add',
                'local.get $a i32.wrap_i64', 'local.get $a local.get $a i64.or i32.wrap_i64']
    return ['local.get $x', 'local.get $x local.get $z i64.extend_i32_u i64.add',
            'local.get $a local.get $a i64.or']

def divfuncs():
    out, data, names = [], [], []
    base = 4096
    for w in (32, 64):
        t = f'i{w}'
        ds = divconsts(w)
        forms = divforms(w)
        for op in DIVOPS:
            valid = [d for d in ds if not (op == 'div_s' and d == (1 << w) - 1)]
            for fi, fl in enumerate('np'):
                name = f'd{w}{op}{fl}'
                names.append((name, f'd{w}{op}r'))
                # a function with a loop pins its busiest locals
                out.append(f'  (func ${name} (param $x {t}) (param $a i64) (param $z i32) (result i64)')
                out.append('    (loop $pin) i64.const 0' if fl == 'p' else '    i64.const 0')
                for i, d in enumerate(valid):
                    ext = ' i64.extend_i32_u' if w == 32 else ''
                    out.append(f'    i64.const 9 i64.rotl {forms[(i + fi) % len(forms)]} {t}.const {d} {t}.{op}{ext} i64.xor')
                out.append('  )')
            # the reference: the same divisors from memory
            sh = 2 if w == 32 else 3
            e = f'({t}.{op} (local.get $x) ({t}.load offset={base} (i32.shl (local.get $i) (i32.const {sh}))))'
            if w == 32:
                e = f'(i64.extend_i32_u {e})'
            out += [f'  (func $d{w}{op}r (param $x {t}) (param $a i64) (param $z i32) (result i64) (local $h i64) (local $i i32)',
                    f'    (block $done (loop $l (br_if $done (i32.eq (local.get $i) (i32.const {len(valid)})))',
                    f'      (local.set $h (i64.xor (i64.rotl (local.get $h) (i64.const 9)) {e}))',
                    '      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))',
                    '    (local.get $h))']
            data.append(f'  (data (i32.const {base}) "' + ''.join(''.join(f'\\{b:02x}' for b in d.to_bytes(w // 8, 'little')) for d in valid) + '")')
            base += len(valid) * w // 8
    return out, data, names

# Under register pressure: six live registers on the stack (every operand
# register but one taken), so the division spills to get its registers; the
# reference passes the divisor through an identity function.
DIVPRESS = [3, 7, 10, 100, 641, 1000, 8, 2**31, -1, -7, -8, -10, -1000, 2**31 + 1, -(2**31 - 1), 1]

def divpressure():
    out, names = [], []
    for w in (32, 64):
        t = f'i{w}'
        m = (1 << w) - 1
        for op in DIVOPS:
            for ref in (False, True):
                name = f'q{w}{op}{"r" if ref else "p"}'
                out.append(f'  (func ${name} (param $x {t}) (param $a i64) (param $z i32) (result i64)')
                out.append('    i64.const 0')
                for i, d in enumerate(DIVPRESS):
                    d &= m
                    if op == 'div_s' and d == m:
                        continue
                    live = ' '.join(f'local.get $x {t}.const {k + 1} {t}.add' for k in range(6))
                    c = f'{t}.const {d} call $id{w}' if ref else f'{t}.const {d}'
                    x = 'local.get $a i32.wrap_i64' if (w == 32 and i % 2) else 'local.get $x'
                    fold = ' '.join([f'{t}.xor'] * 6)
                    ext = ' i64.extend_i32_u' if w == 32 else ''
                    out.append(f'    i64.const 9 i64.rotl {live} {x} {c} {t}.{op} {fold}{ext} i64.xor')
                out.append('  )')
            names.append((f'q{w}{op}p', f'q{w}{op}r'))
    return out, names

dfuncs, ddata, dnames = divfuncs()
pfuncs, pnames = divpressure()
dfuncs += ['  (func $id32 (param i32) (result i32) (local.get 0))',
           '  (func $id64 (param i64) (result i64) (local.get 0))'] + pfuncs
dnames += pnames
o.append(';; Division and remainder by constants: shifts and magic-number multiplies against\n'
         ';; the general div/idiv with the divisor loaded from memory. "divcheck" counts the\n'
         ';; dividends (edge values, then pseudo-random ones of every magnitude) for which some\n'
         ';; function differs from its reference: it must be 0.\n'
         '(module\n  (memory 2)')
o += dfuncs
o += ddata
o.append('  (data (i32.const 0) "' + ''.join(''.join(f'\\{b:02x}' for b in v.to_bytes(8, 'little')) for v in DIVEDGE) + '")')
def divcall(p, r, x, a):
    return (f'        (local.set $bad (i32.add (local.get $bad) (i64.ne (call ${p} (local.get {x}) (local.get {a}) (i32.const 0))'
            f' (call ${r} (local.get {x}) (local.get {a}) (i32.const 0)))))')
o.append(f'''  (func (export "divcheck") (result i32)
    (local $i i32) (local $s i64) (local $b i64) (local $x i32) (local $a i64) (local $bad i32)
    (loop $l
      (if (i32.lt_u (local.get $i) (i32.const {len(DIVEDGE)}))
        (then
          (local.set $b (i64.load (i32.shl (local.get $i) (i32.const 3))))
          (local.set $x (i32.wrap_i64 (local.get $b))))
        (else
          (local.set $s (i64.add (i64.mul (local.get $s) (i64.const 6364136223846793005)) (i64.const 1442695040888963407)))
          (local.set $b (i64.shr_s (local.get $s) (i64.shr_u (local.get $s) (i64.const 58))))
          (local.set $x (i32.shr_s (i32.wrap_i64 (i64.shr_u (local.get $s) (i64.const 32))) (i32.wrap_i64 (local.get $s))))))
      ;; $a: the i32 dividend in the low half, junk above
      (local.set $a (i64.or (i64.shl (local.get $s) (i64.const 32)) (i64.extend_i32_u (local.get $x))))''')
o += [divcall(p, r, '$x', '$a') for p, r in dnames if p.startswith('d32')]
o += [divcall(p, r, '$b', '$b') for p, r in dnames if p.startswith('d64')]
o.append(f'''      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const {len(DIVEDGE) + DIVRAND}))))
    (local.get $bad)))
(assert_return (invoke "divcheck") (i32.const 0))''')
o.append(''';; Division by a constant: traps and a few values.
(module
  (func (export "div_s_m1") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const -1)))
  (func (export "rem_s_m1") (param i32) (result i32) (i32.rem_s (local.get 0) (i32.const -1)))
  (func (export "div_s_min") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 0x80000000)))
  (func (export "div_u_0") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 0)))
  (func (export "rem_s_0") (param i32) (result i32) (i32.rem_s (local.get 0) (i32.const 0)))
  (func (export "div_0_if") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.div_s (local.get 0) (i32.const 0))) (else (i32.const 5))))
  (func (export "div_s_m1_64") (param i64) (result i64) (i64.div_s (local.get 0) (i64.const -1)))
  (func (export "rem_s_m1_64") (param i64) (result i64) (i64.rem_s (local.get 0) (i64.const -1)))
  (func (export "div_s_min_64") (param i64) (result i64) (i64.div_s (local.get 0) (i64.const 0x8000000000000000)))
  (func (export "rem_u_0_64") (param i64) (result i64) (i64.rem_u (local.get 0) (i64.const 0)))
  (func (export "div_s_m1_reg") (param i32) (result i32) (i32.div_s (i32.add (local.get 0) (i32.const 1)) (i32.const -1)))
  (func (export "fold_trap") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
  (func (export "fold_trap_64") (result i64) (i64.div_s (i64.const 0x8000000000000000) (i64.const -1)))
  (func (export "fold_0") (result i32) (i32.rem_u (i32.const 7) (i32.const 0)))
  (func (export "fold_rem") (result i32) (i32.rem_s (i32.const 0x80000000) (i32.const -1)))
  (func (export "fold_vals") (result i64)
    (i64.add (i64.extend_i32_u (i32.div_s (i32.const -7) (i32.const 2)))
      (i64.add (i64.rem_s (i64.const -7) (i64.const 2)) (i64.div_u (i64.const -1) (i64.const 10)))))
  (func (export "div10") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 10)))
  (func (export "rem7_64") (param i64) (result i64) (i64.rem_s (local.get 0) (i64.const 7))))
(assert_trap (invoke "div_s_m1" (i32.const 0x80000000)) "integer overflow")
(assert_return (invoke "div_s_m1" (i32.const 0x80000001)) (i32.const 0x7fffffff))
(assert_return (invoke "div_s_m1" (i32.const 5)) (i32.const -5))
(assert_return (invoke "rem_s_m1" (i32.const 0x80000000)) (i32.const 0))
(assert_return (invoke "div_s_min" (i32.const 0x80000000)) (i32.const 1))
(assert_return (invoke "div_s_min" (i32.const 0x80000001)) (i32.const 0))
(assert_return (invoke "div_s_min" (i32.const 0x7fffffff)) (i32.const 0))
(assert_trap (invoke "div_u_0" (i32.const 1)) "integer divide by zero")
(assert_trap (invoke "rem_s_0" (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_0_if" (i32.const 1)) "integer divide by zero")
(assert_return (invoke "div_0_if" (i32.const 0)) (i32.const 5))
(assert_trap (invoke "div_s_m1_64" (i64.const 0x8000000000000000)) "integer overflow")
(assert_return (invoke "div_s_m1_64" (i64.const 0x8000000000000001)) (i64.const 0x7fffffffffffffff))
(assert_return (invoke "rem_s_m1_64" (i64.const 0x8000000000000000)) (i64.const 0))
(assert_return (invoke "div_s_min_64" (i64.const 0x8000000000000000)) (i64.const 1))
(assert_return (invoke "div_s_min_64" (i64.const -1)) (i64.const 0))
(assert_trap (invoke "rem_u_0_64" (i64.const 3)) "integer divide by zero")
(assert_trap (invoke "div_s_m1_reg" (i32.const 0x7fffffff)) "integer overflow")
(assert_return (invoke "div_s_m1_reg" (i32.const 0x7ffffffe)) (i32.const 0x80000001))
(assert_trap (invoke "fold_trap") "integer overflow")
(assert_trap (invoke "fold_trap_64") "integer overflow")
(assert_trap (invoke "fold_0") "integer divide by zero")
(assert_return (invoke "fold_rem") (i32.const 0))
(assert_return (invoke "fold_vals") (i64.const 0x1999999a99999995))
(assert_return (invoke "div10" (i32.const 0xffffffff)) (i32.const 429496729))
(assert_return (invoke "div10" (i32.const 99)) (i32.const 9))
(assert_return (invoke "rem7_64" (i64.const -100)) (i64.const -2))
(assert_return (invoke "rem7_64" (i64.const 0x8000000000000000)) (i64.const -1))''')
open(sys.argv[1], 'w').write('\n'.join(o) + '\n')
