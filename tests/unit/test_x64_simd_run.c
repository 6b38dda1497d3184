/* tests/unit/test_x64_simd_run.c: SIMD in the back end and runtime end to
 * end, on the paths the spec suite barely takes: v128 arguments and
 * results of host functions (two 64-bit slots each) and of wasm_func_call,
 * more live vectors than operand registers (spills to 16-byte homes),
 * several results through the stack, block/if/loop parameters and
 * branches with vectors, call_indirect, own/imported/exported v128
 * globals (wasm_global_new/get), select, pinned scalar locals beside v128
 * locals across a helper call, and out-of-bounds v128 accesses in both
 * bounds modes. The module (wat2wasm --debug-names):
 *
 * (module
 *   (import "host" "swap" (func $hswap (param v128 i32 v128) (result v128 i64 v128)))
 *   (import "host" "g" (global $hg (mut v128)))
 *   (import "host" "c" (global $hc v128))
 *   (memory (export "mem") 1)
 *   (table 2 funcref)
 *   (elem (i32.const 0) $addq $sub4)
 *   (type $bin (func (param v128 v128) (result v128)))
 *   (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
 *   (global $gi v128 (global.get $hc))
 *   (func $addq (type $bin) (i64x2.add (local.get 0) (local.get 1)))
 *   (func $sub4 (type $bin) (i32x4.sub (local.get 0) (local.get 1)))
 *   ;; the host swaps its two vectors and returns the i32 as i64
 *   (func (export "callhost") (param v128 i32 v128) (result v128 i64 v128)
 *     (call $hswap (local.get 0) (local.get 1) (local.get 2)))
 *   ;; 12 vectors live at once: more than the 9 operand XMM registers
 *   (func (export "pressure") (param $x v128) (result v128)
 *     (local $i i32)
 *     (i32x4.splat (i32.const 1)) (i32x4.splat (i32.const 2)) (i32x4.splat (i32.const 3))
 *     (i32x4.splat (i32.const 4)) (i32x4.splat (i32.const 5)) (i32x4.splat (i32.const 6))
 *     (i32x4.splat (i32.const 7)) (i32x4.splat (i32.const 8)) (i32x4.splat (i32.const 9))
 *     (i32x4.splat (i32.const 10)) (i32x4.splat (i32.const 11))
 *     (i32x4.mul (local.get $x) (i32x4.splat (i32.const 12)))
 *     i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add
 *     i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add)
 *   ;; several results through the stack, v128 among them, and a call
 *   (func $multi (param v128 f64) (result v128 i32 v128 f64)
 *     (local.get 0) (i32.const 7) (i8x16.neg (local.get 0)) (local.get 1))
 *   (func (export "multi") (param v128 f64) (result v128 i32 v128 f64)
 *     (call $multi (local.get 0) (local.get 1)))
 *   ;; block and if with v128 parameters and results, br with values
 *   (func (export "blocks") (param $a v128) (param $c i32) (result v128)
 *     (local.get $a)
 *     (if (param v128) (result v128) (local.get $c)
 *       (then (i32x4.add (v128.const i32x4 100 0 0 0)))
 *       (else (i32x4.sub (v128.const i32x4 0 0 0 100))))
 *     (block (param v128) (result v128)
 *       (br_if 0 (i32x4.splat (i32.const 5)) (i32.eqz (local.get $c)))
 *       (i32x4.add))
 *     (loop (param v128) (result v128)
 *       (local.set $a)
 *       (br_if 0 (local.get $a) (i32.eqz (i32.const 1)))))
 *   (func (export "indirect") (param v128 v128 i32) (result v128)
 *     (call_indirect (type $bin) (local.get 0) (local.get 1) (local.get 2)))
 *   (func (export "getg") (result v128) (global.get $g))
 *   (func (export "setg") (param v128) (global.set $g (local.get 0)))
 *   (func (export "geti") (result v128) (global.get $gi))
 *   (func (export "sethost") (param v128) (global.set $hg (local.get 0)))
 *   (func (export "sel") (param v128 v128 i32) (result v128)
 *     (select (local.get 0) (local.get 1) (local.get 2)))
 *   (func (export "load") (param i32) (result v128) (v128.load offset=1 (local.get 0)))
 *   (func (export "store_lane") (param i32 v128) (v128.store32_lane 3 (local.get 0) (local.get 1)))
 *   ;; a pinned integer local and a pinned float local next to v128 locals,
 *   ;; across a helper call (memory.grow) and a loop
 *   (func (export "mixed") (param $n i32) (result v128)
 *     (local $acc v128) (local $f f64) (local $v v128)
 *     (local.set $v (v128.const i64x2 1 2))
 *     (loop $l
 *       (local.set $acc (i64x2.add (local.get $acc) (local.get $v)))
 *       (local.set $f (f64.add (local.get $f) (f64.const 1.5)))
 *       (drop (memory.grow (i32.const 0)))
 *       (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
 *     (f64x2.replace_lane 1 (local.get $acc) (local.get $f)))
 * )
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/wasm.h"
#include "engine_fixture.h"
#include "wasm_builder.h"

static const uint8_t module_bytes[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x3d, 0x0a, 0x60,
  0x02, 0x7b, 0x7b, 0x01, 0x7b, 0x60, 0x03, 0x7b, 0x7f, 0x7b, 0x03, 0x7b,
  0x7e, 0x7b, 0x60, 0x01, 0x7b, 0x01, 0x7b, 0x60, 0x02, 0x7b, 0x7c, 0x04,
  0x7b, 0x7f, 0x7b, 0x7c, 0x60, 0x02, 0x7b, 0x7f, 0x01, 0x7b, 0x60, 0x03,
  0x7b, 0x7b, 0x7f, 0x01, 0x7b, 0x60, 0x00, 0x01, 0x7b, 0x60, 0x01, 0x7b,
  0x00, 0x60, 0x01, 0x7f, 0x01, 0x7b, 0x60, 0x02, 0x7f, 0x7b, 0x00, 0x02,
  0x21, 0x03, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x04, 0x73, 0x77, 0x61, 0x70,
  0x00, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x01, 0x67, 0x03, 0x7b, 0x01,
  0x04, 0x68, 0x6f, 0x73, 0x74, 0x01, 0x63, 0x03, 0x7b, 0x00, 0x03, 0x11,
  0x10, 0x00, 0x00, 0x01, 0x02, 0x03, 0x03, 0x04, 0x05, 0x06, 0x07, 0x06,
  0x07, 0x05, 0x08, 0x09, 0x08, 0x04, 0x04, 0x01, 0x70, 0x00, 0x02, 0x05,
  0x03, 0x01, 0x00, 0x01, 0x06, 0x1b, 0x02, 0x7b, 0x01, 0xfd, 0x0c, 0x01,
  0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
  0x00, 0x00, 0x00, 0x0b, 0x7b, 0x00, 0x23, 0x01, 0x0b, 0x07, 0x7e, 0x0f,
  0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x67, 0x03, 0x02, 0x08, 0x63,
  0x61, 0x6c, 0x6c, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x03, 0x08, 0x70, 0x72,
  0x65, 0x73, 0x73, 0x75, 0x72, 0x65, 0x00, 0x04, 0x05, 0x6d, 0x75, 0x6c,
  0x74, 0x69, 0x00, 0x06, 0x06, 0x62, 0x6c, 0x6f, 0x63, 0x6b, 0x73, 0x00,
  0x07, 0x08, 0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x08,
  0x04, 0x67, 0x65, 0x74, 0x67, 0x00, 0x09, 0x04, 0x73, 0x65, 0x74, 0x67,
  0x00, 0x0a, 0x04, 0x67, 0x65, 0x74, 0x69, 0x00, 0x0b, 0x07, 0x73, 0x65,
  0x74, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x0c, 0x03, 0x73, 0x65, 0x6c, 0x00,
  0x0d, 0x04, 0x6c, 0x6f, 0x61, 0x64, 0x00, 0x0e, 0x0a, 0x73, 0x74, 0x6f,
  0x72, 0x65, 0x5f, 0x6c, 0x61, 0x6e, 0x65, 0x00, 0x0f, 0x05, 0x6d, 0x69,
  0x78, 0x65, 0x64, 0x00, 0x10, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b,
  0x02, 0x01, 0x02, 0x0a, 0xf0, 0x02, 0x10, 0x09, 0x00, 0x20, 0x00, 0x20,
  0x01, 0xfd, 0xce, 0x01, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0xfd,
  0xb1, 0x01, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x10,
  0x00, 0x0b, 0x5a, 0x01, 0x01, 0x7f, 0x41, 0x01, 0xfd, 0x11, 0x41, 0x02,
  0xfd, 0x11, 0x41, 0x03, 0xfd, 0x11, 0x41, 0x04, 0xfd, 0x11, 0x41, 0x05,
  0xfd, 0x11, 0x41, 0x06, 0xfd, 0x11, 0x41, 0x07, 0xfd, 0x11, 0x41, 0x08,
  0xfd, 0x11, 0x41, 0x09, 0xfd, 0x11, 0x41, 0x0a, 0xfd, 0x11, 0x41, 0x0b,
  0xfd, 0x11, 0x20, 0x00, 0x41, 0x0c, 0xfd, 0x11, 0xfd, 0xb5, 0x01, 0xfd,
  0xae, 0x01, 0xfd, 0xae, 0x01, 0xfd, 0xae, 0x01, 0xfd, 0xae, 0x01, 0xfd,
  0xae, 0x01, 0xfd, 0xae, 0x01, 0xfd, 0xae, 0x01, 0xfd, 0xae, 0x01, 0xfd,
  0xae, 0x01, 0xfd, 0xae, 0x01, 0xfd, 0xae, 0x01, 0x0b, 0x0c, 0x00, 0x20,
  0x00, 0x41, 0x07, 0x20, 0x00, 0xfd, 0x61, 0x20, 0x01, 0x0b, 0x08, 0x00,
  0x20, 0x00, 0x20, 0x01, 0x10, 0x05, 0x0b, 0x4f, 0x00, 0x20, 0x00, 0x20,
  0x01, 0x04, 0x02, 0xfd, 0x0c, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0xae, 0x01,
  0x05, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0xfd, 0xb1, 0x01, 0x0b, 0x02,
  0x02, 0x41, 0x05, 0xfd, 0x11, 0x20, 0x01, 0x45, 0x0d, 0x00, 0xfd, 0xae,
  0x01, 0x0b, 0x03, 0x02, 0x21, 0x00, 0x20, 0x00, 0x41, 0x01, 0x45, 0x0d,
  0x00, 0x0b, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x11,
  0x00, 0x00, 0x0b, 0x04, 0x00, 0x23, 0x02, 0x0b, 0x06, 0x00, 0x20, 0x00,
  0x24, 0x02, 0x0b, 0x04, 0x00, 0x23, 0x03, 0x0b, 0x06, 0x00, 0x20, 0x00,
  0x24, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x1b,
  0x0b, 0x08, 0x00, 0x20, 0x00, 0xfd, 0x00, 0x04, 0x01, 0x0b, 0x0b, 0x00,
  0x20, 0x00, 0x20, 0x01, 0xfd, 0x5a, 0x02, 0x00, 0x03, 0x0b, 0x4b, 0x03,
  0x01, 0x7b, 0x01, 0x7c, 0x01, 0x7b, 0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x21, 0x03, 0x03, 0x40, 0x20, 0x01, 0x20, 0x03, 0xfd, 0xce, 0x01, 0x21,
  0x01, 0x20, 0x02, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f,
  0xa0, 0x21, 0x02, 0x41, 0x00, 0x40, 0x00, 0x1a, 0x20, 0x00, 0x41, 0x01,
  0x6b, 0x22, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x22,
  0x01, 0x0b, 0x00, 0x7b, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x1b, 0x04,
  0x00, 0x05, 0x68, 0x73, 0x77, 0x61, 0x70, 0x01, 0x04, 0x61, 0x64, 0x64,
  0x71, 0x02, 0x04, 0x73, 0x75, 0x62, 0x34, 0x05, 0x05, 0x6d, 0x75, 0x6c,
  0x74, 0x69, 0x02, 0x3d, 0x11, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03,
  0x00, 0x04, 0x02, 0x00, 0x01, 0x78, 0x01, 0x01, 0x69, 0x05, 0x00, 0x06,
  0x00, 0x07, 0x02, 0x00, 0x01, 0x61, 0x01, 0x01, 0x63, 0x08, 0x00, 0x09,
  0x00, 0x0a, 0x00, 0x0b, 0x00, 0x0c, 0x00, 0x0d, 0x00, 0x0e, 0x00, 0x0f,
  0x00, 0x10, 0x04, 0x00, 0x01, 0x6e, 0x01, 0x03, 0x61, 0x63, 0x63, 0x02,
  0x01, 0x66, 0x03, 0x01, 0x76, 0x04, 0x06, 0x01, 0x00, 0x03, 0x62, 0x69,
  0x6e, 0x07, 0x10, 0x04, 0x00, 0x02, 0x68, 0x67, 0x01, 0x02, 0x68, 0x63,
  0x02, 0x01, 0x67, 0x03, 0x02, 0x67, 0x69,
};

static const uint8_t t_swap_p[] = { WASM_V128, WASM_I32, WASM_V128 };
static const uint8_t t_swap_r[] = { WASM_V128, WASM_I64, WASM_V128 };

/* host.swap(a, n, b) = (b, n, a): a in slots 0-1, n in 2, b in 3-4. */
static int host_swap(wasm_caller *caller, uint64_t *io)
{
    (void)caller;
    uint64_t a[2] = { io[0], io[1] }, n = (uint32_t)io[2];
    io[0] = io[3];
    io[1] = io[4];
    io[2] = n;
    io[3] = a[0];
    io[4] = a[1];
    return 0;
}

static wasm_val v32(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    wasm_val v = { .type = WASM_V128 };
    uint32_t w[4] = { a, b, c, d };
    memcpy(v.of.v128, w, 16);
    return v;
}

static wasm_val v64(uint64_t a, uint64_t b)
{
    wasm_val v = { .type = WASM_V128 };
    uint64_t q[2] = { a, b };
    memcpy(v.of.v128, q, 16);
    return v;
}

static wasm_val i32(uint32_t v) { wasm_val x = { .type = WASM_I32, .of.i32 = v }; return x; }
static wasm_val f64(uint64_t bits) { wasm_val x = { .type = WASM_F64, .of.f64 = bits }; return x; }

static void expect_v(wasm_val got, wasm_val want)
{
    assert_int_equal(got.type, WASM_V128);
    if (memcmp(got.of.v128, want.of.v128, 16) != 0) {
        uint32_t g[4], w[4];
        memcpy(g, got.of.v128, 16);
        memcpy(w, want.of.v128, 16);
        fail_msg("got %08x %08x %08x %08x, want %08x %08x %08x %08x", g[0], g[1], g[2], g[3],
                 w[0], w[1], w[2], w[3]);
    }
}

typedef struct fixture {
    wasm_engine *engine;
    wasm_module *module;
    wasm_instance *inst;
    wasm_func *swap;
    wasm_global *g, *c;
} fixture;

static void setup(fixture *f, unsigned flags)
{
    wasm_error err;
    f->engine = wasm_engine_new();
    assert_non_null(f->engine);
    f->module = ef_module(f->engine, module_bytes, sizeof module_bytes, flags);
    f->swap = wasm_func_new_host(f->engine, t_swap_p, 3, t_swap_r, 3, host_swap, NULL);
    f->g = wasm_global_new(f->engine, v32(9, 9, 9, 9), true, &err);
    f->c = wasm_global_new(f->engine, v32(0xc0, 0xc1, 0xc2, 0xc3), false, &err);
    assert_non_null(f->swap);
    assert_non_null(f->g);
    assert_non_null(f->c);
    wasm_extern ex[3] = { { WASM_EXTERN_FUNC, { .func = f->swap } },
                          { WASM_EXTERN_GLOBAL, { .global = f->g } },
                          { WASM_EXTERN_GLOBAL, { .global = f->c } } };
    f->inst = ef_instance(f->module, ex, 3);
}

static void teardown(fixture *f)
{
    wasm_instance_free(f->inst);
    wasm_func_free(f->swap);
    wasm_global_free(f->g);
    wasm_global_free(f->c);
    wasm_module_free(f->module);
    wasm_engine_free(f->engine);
}

static wasm_func *export(fixture *f, const char *name) { return ef_func(f->inst, name); }

static void check_calls(unsigned flags)
{
    fixture f;
    setup(&f, flags);
    wasm_error err;
    wasm_val r[4];

    wasm_val a[3] = { v32(1, 2, 3, 4), i32(5), v32(10, 20, 30, 40) };
    assert_int_equal(wasm_func_call(export(&f, "callhost"), a, 3, r, 3, &err), 0);
    expect_v(r[0], v32(10, 20, 30, 40));
    assert_int_equal(r[1].type, WASM_I64);
    assert_int_equal(r[1].of.i64, 5);
    expect_v(r[2], v32(1, 2, 3, 4));

    /* 1 + ... + 11 + 12 x */
    assert_int_equal(wasm_func_call(export(&f, "pressure"), a, 1, r, 1, &err), 0);
    expect_v(r[0], v32(78, 90, 102, 114));

    wasm_val m[2] = { v32(1, 0xff, 0x80, 0), f64(0x4004000000000000ull) };   /* 2.5 */
    assert_int_equal(wasm_func_call(export(&f, "multi"), m, 2, r, 4, &err), 0);
    expect_v(r[0], m[0]);
    assert_int_equal(r[1].of.i32, 7);
    expect_v(r[2], v32(0xff, 0x01, 0x80, 0));
    assert_int_equal(r[3].of.f64, 0x4004000000000000ull);

    wasm_val b[2] = { v32(1, 2, 3, 4), i32(1) };
    assert_int_equal(wasm_func_call(export(&f, "blocks"), b, 2, r, 1, &err), 0);
    expect_v(r[0], v32(106, 7, 8, 9));
    b[1] = i32(0);
    assert_int_equal(wasm_func_call(export(&f, "blocks"), b, 2, r, 1, &err), 0);
    expect_v(r[0], v32(5, 5, 5, 5));

    wasm_val c[3] = { v64(1, ~0ull), v64(2, 2), i32(0) };
    wasm_func *ind = export(&f, "indirect");
    assert_int_equal(wasm_func_call(ind, c, 3, r, 1, &err), 0);
    expect_v(r[0], v64(3, 1));
    c[2] = i32(1);
    assert_int_equal(wasm_func_call(ind, c, 3, r, 1, &err), 0);
    expect_v(r[0], v64(0x00000000ffffffffull, 0xfffffffffffffffdull));
    c[2] = i32(2);
    assert_int_equal(wasm_func_call(ind, c, 3, r, 1, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_UNDEFINED_ELEMENT);

    wasm_val s[3] = { v32(1, 1, 1, 1), v32(2, 2, 2, 2), i32(1) };
    assert_int_equal(wasm_func_call(export(&f, "sel"), s, 3, r, 1, &err), 0);
    expect_v(r[0], s[0]);
    s[2] = i32(0);
    assert_int_equal(wasm_func_call(export(&f, "sel"), s, 3, r, 1, &err), 0);
    expect_v(r[0], s[1]);

    wasm_val n = i32(3);
    assert_int_equal(wasm_func_call(export(&f, "mixed"), &n, 1, r, 1, &err), 0);
    expect_v(r[0], v64(3, 0x4012000000000000ull));   /* 3, 4.5 */
    teardown(&f);
}

static void check_globals(unsigned flags)
{
    fixture f;
    setup(&f, flags);
    wasm_error err;
    wasm_val r[1];
    assert_int_equal(wasm_func_call(export(&f, "getg"), NULL, 0, r, 1, &err), 0);
    expect_v(r[0], v32(1, 2, 3, 4));
    wasm_val v = v32(0xdead, 0xbeef, 7, 8);
    assert_int_equal(wasm_func_call(export(&f, "setg"), &v, 1, NULL, 0, &err), 0);
    assert_int_equal(wasm_func_call(export(&f, "getg"), NULL, 0, r, 1, &err), 0);
    expect_v(r[0], v);
    wasm_extern gx = ef_export(f.inst, "g");
    assert_int_equal(gx.kind, WASM_EXTERN_GLOBAL);
    expect_v(wasm_global_get(gx.of.global), v);

    assert_int_equal(wasm_func_call(export(&f, "geti"), NULL, 0, r, 1, &err), 0);
    expect_v(r[0], v32(0xc0, 0xc1, 0xc2, 0xc3));
    assert_int_equal(wasm_func_call(export(&f, "sethost"), &v, 1, NULL, 0, &err), 0);
    expect_v(wasm_global_get(f.g), v);
    teardown(&f);
}

static void check_memory(unsigned flags)
{
    fixture f;
    setup(&f, flags);
    wasm_error err;
    wasm_val r[1];
    uint64_t size;
    uint8_t *mem = ef_memory(f.inst, "mem", &size);
    for (int i = 0; i < 17; i++)
        mem[65519 + i] = (uint8_t)i;

    wasm_func *load = export(&f, "load");
    wasm_val a = i32(65519 - 1);        /* offset=1: the last 16 bytes */
    assert_int_equal(wasm_func_call(load, &a, 1, r, 1, &err), 0);
    expect_v(r[0], v32(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c));
    a = i32(65520);
    assert_int_equal(wasm_func_call(load, &a, 1, r, 1, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_MEMORY_OOB);
    a = i32(0xffffffffu);
    assert_int_equal(wasm_func_call(load, &a, 1, r, 1, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_MEMORY_OOB);

    wasm_func *st = export(&f, "store_lane");
    wasm_val s[2] = { i32(65532), v32(1, 2, 3, 0x11223344) };
    assert_int_equal(wasm_func_call(st, s, 2, NULL, 0, &err), 0);
    assert_int_equal(mem[65532], 0x44);
    assert_int_equal(mem[65535], 0x11);
    s[0] = i32(65533);
    assert_int_equal(wasm_func_call(st, s, 2, NULL, 0, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_MEMORY_OOB);
    assert_int_equal(mem[65533], 0x33);  /* nothing written */
    teardown(&f);
}

/* Shifts by a constant count take immediate forms; by a variable count,
 * the general sequences the spec suite checks. For each count K (taken
 * modulo the lane width, negative and huge ones included), a module
 * computes, for all twelve shifts, op(v, K) xor op(v, n) with n = K
 * passed at run time, and counts the shifts where they differ. */
static void test_const_shifts(void **state)
{
    (void)state;
    static const uint16_t ops[12] = { 0x6b, 0x6c, 0x6d, 0x8b, 0x8c, 0x8d,
                                      0xab, 0xac, 0xad, 0xcb, 0xcc, 0xcd };
    static const int32_t counts[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
                                      -1, 0x7fffffff };
    static const uint64_t vecs[][2] = { { 0x0123456789abcdefull, 0x8000000000000001ull },
                                        { ~0ull, 0x7f80ff0001fe8081ull } };
    wasm_engine *engine = wasm_engine_new();
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        wb body, w, s;
        body.n = 0;
        wb_bytes(&body, "\x02\x01\x7b\x01\x7f", 5);          /* locals: v128 v, i32 acc */
        wb_bytes(&body, "\x20\x00\xfd\x12\x20\x01\xfd\x1e\x01\x21\x03", 11);
        for (int k = 0; k < 12; k++) {
            wb_bytes(&body, "\x20\x04\x20\x03\x41", 5);
            int32_t v = counts[c];                          /* i32.const K (sleb) */
            for (;;) {
                uint8_t b = v & 0x7f;
                v >>= 7;
                if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
                    wb_byte(&body, b);
                    break;
                }
                wb_byte(&body, b | 0x80);
            }
            wb_byte(&body, 0xfd);
            wb_u32(&body, ops[k]);
            wb_bytes(&body, "\x20\x03\x20\x02\xfd", 5);
            wb_u32(&body, ops[k]);
            wb_bytes(&body, "\xfd\x51\xfd\x53\x6a\x21\x04", 7);  /* xor any_true add */
        }
        wb_bytes(&body, "\x20\x04\x0b", 3);
        wb_header(&w);
        wb_section_raw(&w, 1, "\x01\x60\x03\x7e\x7e\x7f\x01\x7f", 8);
        wb_section_raw(&w, 3, "\x01\x00", 2);
        wb_section_raw(&w, 7, "\x01\x01\x66\x00\x00", 5);
        s.n = 0;
        wb_byte(&s, 1);
        wb_u32(&s, (uint32_t)body.n);
        wb_bytes(&s, body.b, body.n);
        wb_section(&w, 10, &s);

        wasm_error err;
        wasm_module *m = ef_module(engine, w.b, w.n, 0);
        wasm_instance *inst = ef_instance(m, NULL, 0);
        wasm_extern fx = ef_export(inst, "f");
        for (size_t i = 0; i < 2; i++) {
            wasm_val a[3] = { { .type = WASM_I64, .of.i64 = vecs[i][0] },
                              { .type = WASM_I64, .of.i64 = vecs[i][1] },
                              { .type = WASM_I32, .of.i32 = (uint32_t)counts[c] } }, r;
            assert_int_equal(wasm_func_call(fx.of.func, a, 3, &r, 1, &err), 0);
            if (r.of.i32 != 0)
                fail_msg("count %d: %u shifts differ", counts[c], r.of.i32);
        }
        wasm_instance_free(inst);
        wasm_module_free(m);
    }
    wasm_engine_free(engine);
}

static void test_calls_guard(void **state) { (void)state; check_calls(0); }
static void test_calls_explicit(void **state) { (void)state; check_calls(WASM_MODULE_EXPLICIT_BOUNDS); }
static void test_globals(void **state) { (void)state; check_globals(0); }
static void test_memory_guard(void **state) { (void)state; check_memory(0); }
static void test_memory_explicit(void **state) { (void)state; check_memory(WASM_MODULE_EXPLICIT_BOUNDS); }

int main(void)
{
    /* Guard-mode faults first: cmocka installs its own SIGSEGV handler
     * around each test and afterwards restores the one from before, so the
     * engine's handler (installed once per process, by the first engine)
     * is only in place during the first test. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_guard),
        cmocka_unit_test(test_memory_explicit),
        cmocka_unit_test(test_calls_guard),
        cmocka_unit_test(test_calls_explicit),
        cmocka_unit_test(test_globals),
        cmocka_unit_test(test_const_shifts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
