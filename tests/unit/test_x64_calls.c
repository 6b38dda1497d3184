/* tests/unit/test_x64_calls.c: the calling convention between compiled
 * functions, host functions and instances (wasm/x64/codegen.c, stubs.c):
 * a single result comes back in rax/xmm0 as well as in its slot (an i32
 * from a host function, whose slot may hold garbage above bit 31, must
 * come out zero-extended, directly and through call_indirect; f32/f64
 * from host functions); call_indirect within the instance (plain call)
 * and into another instance (context switch, that instance's memory,
 * then our own again), and a direct call of an imported Wasm function
 * (which runs on its own instance's memory: r14 is switched too); a result returned from inside a block by br_if
 * or br_table while the stack goes on; the three call_indirect traps.
 *
 * Instance "b" (wat2wasm of the text below):
 * (module
 *   (memory (export "mem") 1)
 *   (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
 *   (func (export "deep") (param i32) (result i32)
 *     (if (result i32) (i32.eqz (local.get 0))
 *       (then (i32.load (i32.const 0)))
 *       (else (call_indirect (param i32) (result i32)
 *               (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
 *   (table (export "tab") 1 funcref)
 *   (elem (i32.const 0) 1)
 *   (data (i32.const 0) "\e8\03\00\00\c8\00\00\00"))
 *
 * Instance "a":
 * (module
 *   (import "host" "wide" (func $wide (result i32)))
 *   (import "host" "f32" (func $hf32 (result f32)))
 *   (import "host" "f64" (func $hf64 (param f64) (result f64)))
 *   (import "b" "peek" (func $peek (param i32) (result i32)))
 *   (import "b" "tab" (table $bt 1 funcref))
 *   (memory (export "mem") 1)
 *   (type $v_i (func (result i32)))
 *   (type $i_i (func (param i32) (result i32)))
 *   (table $t 4 funcref)
 *   (elem (table $t) (i32.const 0) func $wide $own $peek)
 *   (func $own (result i32) (i32.load (i32.const 8)))
 *   ;; i32 results of host functions are zero-extended, direct and indirect
 *   (func (export "wide_direct") (result i64) (i64.extend_i32_u (call $wide)))
 *   (func (export "wide_indirect") (result i64)
 *     (i64.extend_i32_u (call_indirect $t (type $v_i) (i32.const 0))))
 *   (func (export "wide_addr") (result i32) (i32.load8_u (call $wide)))
 *   (func (export "floats") (result f64)
 *     (f64.add (f64.promote_f32 (call $hf32)) (call $hf64 (f64.const 0.5))))
 *   ;; same instance, other instance (its memory), then ours again
 *   (func (export "mixed") (result i32)
 *     (i32.add
 *       (i32.add (call_indirect $t (type $v_i) (i32.const 1))
 *                (call_indirect $t (type $i_i) (i32.const 4) (i32.const 2)))
 *       (i32.add (i32.load (i32.const 8))
 *                (call_indirect $bt (type $i_i) (i32.const 3) (i32.const 0)))))
 *   ;; a result returned from inside a block by br_if, while the fallthrough
 *   ;; path keeps using the stack below it
 *   (func (export "early") (param i32) (result i32)
 *     (i32.add (i32.const 100)
 *       (block (result i32)
 *         (drop (br_if 1 (i32.const 7) (local.get 0)))
 *         (i32.const 5))))
 *   (func (export "early_tab") (param i32) (result i32)
 *     (i32.add (i32.const 100)
 *       (block (result i32)
 *         (drop (block (result i32)
 *           (br_table 0 2 (i32.const 9) (local.get 0))))
 *         (i32.const 5))))
 *   (func (export "peek_direct") (result i32) (call $peek (i32.const 4)))
 *   (func (export "null") (result i32) (call_indirect $t (type $v_i) (i32.const 3)))
 *   (func (export "oob") (result i32) (call_indirect $t (type $v_i) (i32.const 4)))
 *   (func (export "sig") (result i32) (call_indirect $t (type $v_i) (i32.const 1)) (drop) (call_indirect $t (type $v_i) (i32.const 2)))
 *   (data (i32.const 8) "\0b\00\00\00")
 *   (data (i32.const 42) "\33"))
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/wasm.h"
#include "engine_fixture.h"

static const uint8_t b_bytes[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x00, 0x04, 0x04, 0x01,
  0x70, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x1b, 0x04, 0x03,
  0x6d, 0x65, 0x6d, 0x02, 0x00, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x00,
  0x04, 0x64, 0x65, 0x65, 0x70, 0x00, 0x01, 0x03, 0x74, 0x61, 0x62, 0x01,
  0x00, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x01, 0x0a, 0x22,
  0x02, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x18, 0x00, 0x20,
  0x00, 0x45, 0x04, 0x7f, 0x41, 0x00, 0x28, 0x02, 0x00, 0x05, 0x20, 0x00,
  0x41, 0x01, 0x6b, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b, 0x0b, 0x0b, 0x0e,
  0x01, 0x00, 0x41, 0x00, 0x0b, 0x08, 0xe8, 0x03, 0x00, 0x00, 0xc8, 0x00,
  0x00, 0x00
};
static const uint8_t a_bytes[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1b, 0x06, 0x60,
  0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7d,
  0x60, 0x01, 0x7c, 0x01, 0x7c, 0x60, 0x00, 0x01, 0x7e, 0x60, 0x00, 0x01,
  0x7c, 0x02, 0x36, 0x05, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x04, 0x77, 0x69,
  0x64, 0x65, 0x00, 0x00, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x03, 0x66, 0x33,
  0x32, 0x00, 0x02, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x03, 0x66, 0x36, 0x34,
  0x00, 0x03, 0x01, 0x62, 0x04, 0x70, 0x65, 0x65, 0x6b, 0x00, 0x01, 0x01,
  0x62, 0x03, 0x74, 0x61, 0x62, 0x01, 0x70, 0x00, 0x01, 0x03, 0x0d, 0x0c,
  0x00, 0x04, 0x04, 0x00, 0x05, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
  0x04, 0x04, 0x01, 0x70, 0x00, 0x04, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
  0x77, 0x0c, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x0b, 0x77, 0x69, 0x64,
  0x65, 0x5f, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x05, 0x0d, 0x77,
  0x69, 0x64, 0x65, 0x5f, 0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74,
  0x00, 0x06, 0x09, 0x77, 0x69, 0x64, 0x65, 0x5f, 0x61, 0x64, 0x64, 0x72,
  0x00, 0x07, 0x06, 0x66, 0x6c, 0x6f, 0x61, 0x74, 0x73, 0x00, 0x08, 0x05,
  0x6d, 0x69, 0x78, 0x65, 0x64, 0x00, 0x09, 0x05, 0x65, 0x61, 0x72, 0x6c,
  0x79, 0x00, 0x0a, 0x09, 0x65, 0x61, 0x72, 0x6c, 0x79, 0x5f, 0x74, 0x61,
  0x62, 0x00, 0x0b, 0x0b, 0x70, 0x65, 0x65, 0x6b, 0x5f, 0x64, 0x69, 0x72,
  0x65, 0x63, 0x74, 0x00, 0x0c, 0x04, 0x6e, 0x75, 0x6c, 0x6c, 0x00, 0x0d,
  0x03, 0x6f, 0x6f, 0x62, 0x00, 0x0e, 0x03, 0x73, 0x69, 0x67, 0x00, 0x0f,
  0x09, 0x0b, 0x01, 0x02, 0x01, 0x41, 0x00, 0x0b, 0x00, 0x03, 0x00, 0x04,
  0x03, 0x0a, 0xa0, 0x01, 0x0c, 0x07, 0x00, 0x41, 0x08, 0x28, 0x02, 0x00,
  0x0b, 0x05, 0x00, 0x10, 0x00, 0xad, 0x0b, 0x08, 0x00, 0x41, 0x00, 0x11,
  0x00, 0x01, 0xad, 0x0b, 0x07, 0x00, 0x10, 0x00, 0x2d, 0x00, 0x00, 0x0b,
  0x11, 0x00, 0x10, 0x01, 0xbb, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0xe0, 0x3f, 0x10, 0x02, 0xa0, 0x0b, 0x1d, 0x00, 0x41, 0x01, 0x11, 0x00,
  0x01, 0x41, 0x04, 0x41, 0x02, 0x11, 0x01, 0x01, 0x6a, 0x41, 0x08, 0x28,
  0x02, 0x00, 0x41, 0x03, 0x41, 0x00, 0x11, 0x01, 0x00, 0x6a, 0x6a, 0x0b,
  0x12, 0x00, 0x41, 0xe4, 0x00, 0x02, 0x7f, 0x41, 0x07, 0x20, 0x00, 0x0d,
  0x01, 0x1a, 0x41, 0x05, 0x0b, 0x6a, 0x0b, 0x17, 0x00, 0x41, 0xe4, 0x00,
  0x02, 0x7f, 0x02, 0x7f, 0x41, 0x09, 0x20, 0x00, 0x0e, 0x01, 0x00, 0x02,
  0x0b, 0x1a, 0x41, 0x05, 0x0b, 0x6a, 0x0b, 0x06, 0x00, 0x41, 0x04, 0x10,
  0x03, 0x0b, 0x07, 0x00, 0x41, 0x03, 0x11, 0x00, 0x01, 0x0b, 0x07, 0x00,
  0x41, 0x04, 0x11, 0x00, 0x01, 0x0b, 0x0d, 0x00, 0x41, 0x01, 0x11, 0x00,
  0x01, 0x1a, 0x41, 0x02, 0x11, 0x00, 0x01, 0x0b, 0x0b, 0x10, 0x02, 0x00,
  0x41, 0x08, 0x0b, 0x04, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x41, 0x2a, 0x0b,
  0x01, 0x33
};

static const uint8_t t_i[] = { WASM_I32 };
static const uint8_t t_f[] = { WASM_F32 };
static const uint8_t t_d[] = { WASM_F64 };

/* host.wide: 42, with garbage in the slot's upper half. */
static int host_wide(wasm_caller *caller, uint64_t *io)
{
    (void)caller;
    io[0] = 0xdeadbeef0000002aull;
    return 0;
}

/* host.f32: 1.5f, with garbage in the slot's upper half. */
static int host_f32(wasm_caller *caller, uint64_t *io)
{
    (void)caller;
    io[0] = 0x123456783fc00000ull;
    return 0;
}

/* host.f64: its argument times two (0.5 -> 1.0). */
static int host_f64(wasm_caller *caller, uint64_t *io)
{
    (void)caller;
    if (io[0] != 0x3fe0000000000000ull)
        return 1;
    io[0] = 0x3ff0000000000000ull;
    return 0;
}

typedef struct fixture {
    wasm_engine *engine;
    wasm_module *ma, *mb;
    wasm_instance *a, *b;
    wasm_func *host[3];
} fixture;

static void setup(fixture *f, unsigned flags)
{
    f->engine = wasm_engine_new();
    assert_non_null(f->engine);
    f->mb = ef_module(f->engine, b_bytes, sizeof b_bytes, flags);
    f->b = ef_instance(f->mb, NULL, 0);
    f->ma = ef_module(f->engine, a_bytes, sizeof a_bytes, flags);
    f->host[0] = wasm_func_new_host(f->engine, NULL, 0, t_i, 1, host_wide, NULL);
    f->host[1] = wasm_func_new_host(f->engine, NULL, 0, t_f, 1, host_f32, NULL);
    f->host[2] = wasm_func_new_host(f->engine, t_d, 1, t_d, 1, host_f64, NULL);
    wasm_extern ex[5] = { { WASM_EXTERN_FUNC, { .func = f->host[0] } },
                          { WASM_EXTERN_FUNC, { .func = f->host[1] } },
                          { WASM_EXTERN_FUNC, { .func = f->host[2] } },
                          ef_export(f->b, "peek"), ef_export(f->b, "tab") };
    f->a = ef_instance(f->ma, ex, 5);
}

static void teardown(fixture *f)
{
    wasm_instance_free(f->a);
    wasm_instance_free(f->b);
    for (int i = 0; i < 3; i++)
        wasm_func_free(f->host[i]);
    wasm_module_free(f->ma);
    wasm_module_free(f->mb);
    wasm_engine_free(f->engine);
}

/* Calls a's export `name` with at most one i32 argument; returns the
 * result's 64 bits, or fails the test with the error. */
static uint64_t call(fixture *f, const char *name, int nargs, uint32_t arg)
{
    wasm_val a = { .type = WASM_I32, .of.i32 = arg }, r;
    wasm_error err;
    if (wasm_func_call(ef_export(f->a, name).of.func, &a, (uint32_t)nargs, &r, 1, &err) != 0)
        fail_msg("%s: %s", name, err.message);
    return r.type == WASM_I32 ? r.of.i32 : r.of.i64;
}

static int trap_of(fixture *f, const char *name)
{
    wasm_val r;
    wasm_error err;
    assert_int_equal(wasm_func_call(ef_export(f->a, name).of.func, NULL, 0, &r, 1, &err), -1);
    assert_int_equal(err.kind, WASM_ERR_TRAP);
    return (int)err.trap;
}

static void check_calls(unsigned flags)
{
    fixture f;
    setup(&f, flags);
    assert_int_equal(call(&f, "wide_direct", 0, 0), 42);
    assert_int_equal(call(&f, "wide_indirect", 0, 0), 42);
    assert_int_equal(call(&f, "wide_addr", 0, 0), 0x33);
    assert_int_equal(call(&f, "floats", 0, 0), 0x4004000000000000ull);   /* 2.5 */
    assert_int_equal(call(&f, "mixed", 0, 0), 11 + 200 + 11 + 1000);
    assert_int_equal(call(&f, "peek_direct", 0, 0), 200);   /* b's memory, not ours */
    assert_int_equal(call(&f, "early", 1, 1), 7);
    assert_int_equal(call(&f, "early", 1, 0), 105);
    assert_int_equal(call(&f, "early_tab", 1, 0), 105);
    assert_int_equal(call(&f, "early_tab", 1, 1), 9);
    assert_int_equal(trap_of(&f, "null"), WASM_TRAP_UNINITIALIZED_ELEMENT);
    assert_int_equal(trap_of(&f, "oob"), WASM_TRAP_UNDEFINED_ELEMENT);
    assert_int_equal(trap_of(&f, "sig"), WASM_TRAP_INDIRECT_TYPE);
    /* After traps, calls still work (the context slot is rewritten at
     * each cross-instance call, never stale). */
    assert_int_equal(call(&f, "mixed", 0, 0), 11 + 200 + 11 + 1000);
    teardown(&f);
}

static void test_calls_guard(void **state) { (void)state; check_calls(0); }
static void test_calls_explicit(void **state) { (void)state; check_calls(WASM_MODULE_EXPLICIT_BOUNDS); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calls_guard),
        cmocka_unit_test(test_calls_explicit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
