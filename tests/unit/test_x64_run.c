/* tests/unit/test_x64_run.c: the back end and runtime end to end on one
 * small module (its text is in the comment below, compiled with
 * `wat2wasm --debug-names`): trap kinds with the function names and Wasm
 * backtrace, stack exhaustion and recovery, host functions that see the
 * caller's memory or trap, memory.grow against the maximum, INT_MIN / -1,
 * multi-value results, and both bounds modes.
 *
 * (module
 *   (import "host" "add" (func $hadd (param i32 i32) (result i32)))
 *   (import "host" "fail" (func $hfail))
 *   (memory (export "mem") 1 2)
 *   (func $inner (export "inner") (param i32) (result i32) (i32.load (local.get 0)))
 *   (func $middle (param i32) (result i32) (call $inner (local.get 0)))
 *   (func $outer (export "outer") (param i32) (result i32) (call $middle (local.get 0)))
 *   (func $rec (export "recurse") (param i64) (result i64)
 *     (i64.add (call $rec (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
 *   (func (export "callhost") (param i32 i32) (result i32)
 *     (call $hadd (local.get 0) (local.get 1)))
 *   (func (export "hostfail") (call $hfail))
 *   (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
 *   (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
 *   (func (export "multi") (param i64 f64) (result f64 i64 i32)
 *     (local.get 1) (local.get 0) (i32.const 7)))
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/wasm.h"
#include "engine_fixture.h"

static const uint8_t module_bytes[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1c, 0x05, 0x60,
  0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01,
  0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x02, 0x7e, 0x7c, 0x03, 0x7c,
  0x7e, 0x7f, 0x02, 0x18, 0x02, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x03, 0x61,
  0x64, 0x64, 0x00, 0x00, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x04, 0x66, 0x61,
  0x69, 0x6c, 0x00, 0x01, 0x03, 0x0a, 0x09, 0x02, 0x02, 0x02, 0x03, 0x00,
  0x01, 0x02, 0x00, 0x04, 0x05, 0x04, 0x01, 0x01, 0x01, 0x02, 0x07, 0x4c,
  0x09, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x05, 0x69, 0x6e, 0x6e, 0x65,
  0x72, 0x00, 0x02, 0x05, 0x6f, 0x75, 0x74, 0x65, 0x72, 0x00, 0x04, 0x07,
  0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65, 0x00, 0x05, 0x08, 0x63, 0x61,
  0x6c, 0x6c, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x06, 0x08, 0x68, 0x6f, 0x73,
  0x74, 0x66, 0x61, 0x69, 0x6c, 0x00, 0x07, 0x04, 0x67, 0x72, 0x6f, 0x77,
  0x00, 0x08, 0x03, 0x64, 0x69, 0x76, 0x00, 0x09, 0x05, 0x6d, 0x75, 0x6c,
  0x74, 0x69, 0x00, 0x0a, 0x0a, 0x4a, 0x09, 0x07, 0x00, 0x20, 0x00, 0x28,
  0x02, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x10, 0x02, 0x0b, 0x06, 0x00,
  0x20, 0x00, 0x10, 0x03, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x42, 0x01, 0x7c,
  0x10, 0x05, 0x42, 0x01, 0x7c, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01,
  0x10, 0x00, 0x0b, 0x04, 0x00, 0x10, 0x01, 0x0b, 0x06, 0x00, 0x20, 0x00,
  0x40, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b, 0x08,
  0x00, 0x20, 0x01, 0x20, 0x00, 0x41, 0x07, 0x0b, 0x00, 0x49, 0x04, 0x6e,
  0x61, 0x6d, 0x65, 0x01, 0x29, 0x06, 0x00, 0x04, 0x68, 0x61, 0x64, 0x64,
  0x01, 0x05, 0x68, 0x66, 0x61, 0x69, 0x6c, 0x02, 0x05, 0x69, 0x6e, 0x6e,
  0x65, 0x72, 0x03, 0x06, 0x6d, 0x69, 0x64, 0x64, 0x6c, 0x65, 0x04, 0x05,
  0x6f, 0x75, 0x74, 0x65, 0x72, 0x05, 0x03, 0x72, 0x65, 0x63, 0x02, 0x17,
  0x0b, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05,
  0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x0a, 0x00
};


static const uint8_t t_ii_i[] = { WASM_I32, WASM_I32 };
static const uint8_t t_i[] = { WASM_I32 };

/* host.add: reads a word of the caller's memory at the first argument
 * and adds the second. */
static int host_add(wasm_caller *caller, uint64_t *io)
{
    uint64_t size;
    uint8_t *mem = wasm_caller_memory(caller, &size);
    if (!mem || io[0] + 4 > size || wasm_caller_data(caller) != (void *)0x1234)
        return 1;
    uint32_t v;
    memcpy(&v, mem + io[0], 4);
    io[0] = (uint32_t)(v + (uint32_t)io[1]);
    return 0;
}

static int host_fail(wasm_caller *caller, uint64_t *io)
{
    (void)caller;
    (void)io;
    return 1;
}

typedef struct fixture {
    wasm_engine *engine;
    wasm_module *module;
    wasm_instance *inst;
    wasm_func *imports[2];
} fixture;

static void setup(fixture *f, unsigned flags)
{
    f->engine = wasm_engine_new();
    assert_non_null(f->engine);
    f->module = ef_module(f->engine, module_bytes, sizeof module_bytes, flags);
    f->imports[0] = wasm_func_new_host(f->engine, t_ii_i, 2, t_i, 1, host_add, (void *)0x1234);
    f->imports[1] = wasm_func_new_host(f->engine, NULL, 0, NULL, 0, host_fail, NULL);
    wasm_extern ex[2] = { { WASM_EXTERN_FUNC, { .func = f->imports[0] } },
                          { WASM_EXTERN_FUNC, { .func = f->imports[1] } } };
    f->inst = ef_instance(f->module, ex, 2);
}

static void teardown(fixture *f)
{
    wasm_instance_free(f->inst);
    wasm_func_free(f->imports[0]);
    wasm_func_free(f->imports[1]);
    wasm_module_free(f->module);
    wasm_engine_free(f->engine);
}

static wasm_func *export(fixture *f, const char *name) { return ef_func(f->inst, name); }

static wasm_val i32(uint32_t v) { wasm_val x = { .type = WASM_I32, .of.i32 = v }; return x; }
static wasm_val i64(uint64_t v) { wasm_val x = { .type = WASM_I64, .of.i64 = v }; return x; }

static void check_traps(unsigned flags)
{
    fixture f;
    setup(&f, flags);
    wasm_error err;
    wasm_val r[3];

    wasm_func *outer = export(&f, "outer");
    wasm_val a = i32(8);
    assert_int_equal(wasm_func_call(outer, &a, 1, r, 1, &err), 0);
    assert_int_equal(r[0].of.i32, 0);
    a = i32(65535);                  /* straddles the end of the memory */
    assert_int_equal(wasm_func_call(outer, &a, 1, r, 1, &err), -1);
    assert_int_equal(err.kind, WASM_ERR_TRAP);
    assert_int_equal(err.trap, WASM_TRAP_MEMORY_OOB);
    assert_string_equal(err.message, "out of bounds memory access in inner "
                                     "(wasm backtrace: inner <- middle <- outer)");
    wasm_func_free(outer);

    /* Exhaust the stack, then show that the next call still works. */
    wasm_func *rec = export(&f, "recurse");
    a = i64(0);
    assert_int_equal(wasm_func_call(rec, &a, 1, r, 1, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_STACK_EXHAUSTED);
    assert_non_null(strstr(err.message, "call stack exhausted in rec"));
    wasm_func_free(rec);

    wasm_func *div = export(&f, "div");
    wasm_val d[2] = { i32(0x80000000u), i32(0xffffffffu) };
    assert_int_equal(wasm_func_call(div, d, 2, r, 1, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_INT_OVERFLOW);
    d[0] = i32(7);
    d[1] = i32(0);
    assert_int_equal(wasm_func_call(div, d, 2, r, 1, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_DIV_ZERO);
    d[0] = i32((uint32_t)-7);
    d[1] = i32(2);
    assert_int_equal(wasm_func_call(div, d, 2, r, 1, &err), 0);
    assert_int_equal(r[0].of.i32, (uint32_t)-3);
    wasm_func_free(div);
    teardown(&f);
}

static void test_traps_guard(void **state) { (void)state; check_traps(0); }
static void test_traps_explicit(void **state) { (void)state; check_traps(WASM_MODULE_EXPLICIT_BOUNDS); }

static void test_host_and_memory(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    wasm_error err;
    wasm_val r[3];

    uint64_t size;
    uint8_t *mem = ef_memory(f.inst, "mem", &size);
    assert_int_equal(size, 65536);
    mem[100] = 40;

    wasm_func *call = export(&f, "callhost");
    wasm_val a[2] = { i32(100), i32(2) };
    assert_int_equal(wasm_func_call(call, a, 2, r, 1, &err), 0);
    assert_int_equal(r[0].of.i32, 42);
    wasm_func_free(call);

    wasm_func *hf = export(&f, "hostfail");
    assert_int_equal(wasm_func_call(hf, NULL, 0, NULL, 0, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_HOST);
    wasm_func_free(hf);

    wasm_func *grow = export(&f, "grow");
    wasm_val g = i32(1);
    assert_int_equal(wasm_func_call(grow, &g, 1, r, 1, &err), 0);
    assert_int_equal(r[0].of.i32, 1);
    assert_int_equal(wasm_func_call(grow, &g, 1, r, 1, &err), 0);
    assert_int_equal(r[0].of.i32, (uint32_t)-1);      /* the maximum is 2 pages */
    ef_memory(f.inst, "mem", &size);
    assert_int_equal(size, 2 * 65536);
    wasm_func_free(grow);

    wasm_func *multi = export(&f, "multi");
    wasm_val m[2] = { i64(0x1122334455667788ull), { .type = WASM_F64, .of.f64 = 0x400921fb54442d18ull } };
    assert_int_equal(wasm_func_call(multi, m, 2, r, 3, &err), 0);
    assert_int_equal(r[0].of.f64, 0x400921fb54442d18ull);
    assert_int_equal(r[1].of.i64, 0x1122334455667788ull);
    assert_int_equal(r[2].of.i32, 7);
    /* Wrong argument types are the embedder's error, not a crash. */
    assert_int_equal(wasm_func_call(multi, m + 1, 1, r, 3, &err), -1);
    assert_int_equal(err.kind, WASM_ERR_ARGUMENT);
    wasm_func_free(multi);
    teardown(&f);
}

/* An instance made on one thread, called from another: the stack limit
 * must be the calling thread's (it travels in the frame chain), so deep
 * recursion traps cleanly there too, and normal calls work. */
typedef struct thread_job {
    fixture *f;
    int rec_rc, rec_trap, outer_rc;
    uint32_t outer_result;
} thread_job;

static void *thread_main(void *p)
{
    thread_job *job = p;
    wasm_error err;
    wasm_val r;
    wasm_extern x;
    if (wasm_instance_export(job->f->inst, "recurse", 7, &x) == 0) {
        wasm_val a = i64(0);
        job->rec_rc = wasm_func_call(x.of.func, &a, 1, &r, 1, &err);
        job->rec_trap = err.trap;
    }
    if (wasm_instance_export(job->f->inst, "outer", 5, &x) == 0) {
        wasm_val a = i32(8);
        job->outer_rc = wasm_func_call(x.of.func, &a, 1, &r, 1, &err);
        job->outer_result = r.of.i32;
    }
    return NULL;
}

static void test_other_thread(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    thread_job job = { &f, 0, 0, -1, 0 };
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 20);   /* smaller than the main thread's */
    pthread_t t;
    assert_int_equal(pthread_create(&t, &attr, thread_main, &job), 0);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    assert_int_equal(job.rec_rc, -1);
    assert_int_equal(job.rec_trap, WASM_TRAP_STACK_EXHAUSTED);
    assert_int_equal(job.outer_rc, 0);
    assert_int_equal(job.outer_result, 0);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traps_guard),
        cmocka_unit_test(test_traps_explicit),
        cmocka_unit_test(test_host_and_memory),
        cmocka_unit_test(test_other_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
