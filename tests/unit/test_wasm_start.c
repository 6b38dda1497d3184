/* tests/unit/test_wasm_start.c: the start function held back by
 * WASM_INSTANCE_DEFER_START and run later by wasm_instance_run_start, on
 * the creating thread or on another one; without the flag it runs during
 * instantiation as before. Segments are applied (and trap) at
 * instantiation in both cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "wasm/wasm.h"

/* (module (global $g (export "g") (mut i32) (i32.const 0))
 *   (func $s (global.set $g (i32.add (global.get $g) (i32.const 7))))
 *   (start $s)) */
static const uint8_t adds7_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07, 0x05,
    0x01, 0x01, 0x67, 0x03, 0x00, 0x08, 0x01, 0x00, 0x0a, 0x0b, 0x01, 0x09, 0x00, 0x23,
    0x00, 0x41, 0x07, 0x6a, 0x24, 0x00, 0x0b
};
/* (module (global $g (export "g") (mut i32) (i32.const 0))
 *   (func $s (global.set $g (i32.const 1)) unreachable) (start $s)) */
static const uint8_t traps_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x07, 0x05,
    0x01, 0x01, 0x67, 0x03, 0x00, 0x08, 0x01, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x41,
    0x01, 0x24, 0x00, 0x00, 0x0b
};
/* (module (memory 1) (func $s) (start $s) (data (i32.const 65535) "ab")) */
static const uint8_t bad_data_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x08, 0x01, 0x00, 0x0a, 0x04,
    0x01, 0x02, 0x00, 0x0b, 0x0b, 0x0a, 0x01, 0x00, 0x41, 0xff, 0xff, 0x03, 0x0b, 0x02,
    0x61, 0x62
};

static wasm_engine *engine;

static wasm_instance *instantiate(const uint8_t *bytes, size_t len, unsigned flags,
                                  wasm_module **mod, wasm_error *err)
{
    *mod = wasm_module_new(engine, bytes, len, 0, err);
    assert_non_null(*mod);
    return wasm_instance_new_ex(*mod, NULL, 0, flags, err);
}

static int32_t global_g(wasm_instance *inst)
{
    wasm_extern ext;
    assert_int_equal(wasm_instance_export(inst, "g", 1, &ext), 0);
    assert_int_equal(ext.kind, WASM_EXTERN_GLOBAL);
    return wasm_global_get(ext.of.global).of.i32;
}

static void test_not_deferred(void **state)
{
    wasm_module *m;
    wasm_error err;
    wasm_instance *inst = instantiate(adds7_wasm, sizeof adds7_wasm, 0, &m, &err);
    assert_non_null(inst);
    assert_int_equal(global_g(inst), 7);
    assert_int_equal(wasm_instance_run_start(inst, &err), 0);   /* nothing held back */
    assert_int_equal(global_g(inst), 7);
    wasm_instance_free(inst);
    wasm_module_free(m);
}

static void test_deferred_runs_once(void **state)
{
    wasm_module *m;
    wasm_error err;
    wasm_instance *inst = instantiate(adds7_wasm, sizeof adds7_wasm,
                                      WASM_INSTANCE_DEFER_START, &m, &err);
    assert_non_null(inst);
    assert_int_equal(global_g(inst), 0);
    assert_int_equal(wasm_instance_run_start(inst, &err), 0);
    assert_int_equal(err.kind, WASM_OK);
    assert_int_equal(global_g(inst), 7);
    assert_int_equal(wasm_instance_run_start(inst, &err), 0);   /* at most once */
    assert_int_equal(global_g(inst), 7);
    wasm_instance_free(inst);
    wasm_module_free(m);
}

static void test_deferred_trap(void **state)
{
    wasm_module *m;
    wasm_error err;
    /* Without the flag the trap fails instantiation. */
    assert_null(instantiate(traps_wasm, sizeof traps_wasm, 0, &m, &err));
    assert_int_equal(err.kind, WASM_ERR_TRAP);
    assert_int_equal(err.trap, WASM_TRAP_UNREACHABLE);
    wasm_module_free(m);
    /* With it, the trap comes from run_start; the effects so far stay. */
    wasm_instance *inst = instantiate(traps_wasm, sizeof traps_wasm,
                                      WASM_INSTANCE_DEFER_START, &m, &err);
    assert_non_null(inst);
    assert_int_equal(wasm_instance_run_start(inst, &err), -1);
    assert_int_equal(err.kind, WASM_ERR_TRAP);
    assert_int_equal(err.trap, WASM_TRAP_UNREACHABLE);
    assert_int_equal(global_g(inst), 1);
    assert_int_equal(wasm_instance_run_start(inst, &err), 0);   /* not tried again */
    assert_int_equal(err.kind, WASM_OK);
    wasm_instance_free(inst);
    wasm_module_free(m);
}

static void test_deferred_segments_still_trap(void **state)
{
    wasm_module *m;
    wasm_error err;
    assert_null(instantiate(bad_data_wasm, sizeof bad_data_wasm,
                            WASM_INSTANCE_DEFER_START, &m, &err));
    assert_int_equal(err.kind, WASM_ERR_TRAP);
    assert_int_equal(err.trap, WASM_TRAP_MEMORY_OOB);
    wasm_module_free(m);
}

typedef struct start_job {
    wasm_instance *inst;
    int rc;
} start_job;

static void *start_thread(void *p)
{
    start_job *j = p;
    wasm_error err;
    j->rc = wasm_instance_run_start(j->inst, &err);
    return NULL;
}

static void test_deferred_on_other_thread(void **state)
{
    wasm_module *m;
    wasm_error err;
    wasm_instance *inst = instantiate(adds7_wasm, sizeof adds7_wasm,
                                      WASM_INSTANCE_DEFER_START, &m, &err);
    assert_non_null(inst);
    start_job j = { inst, -2 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, start_thread, &j), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(j.rc, 0);
    assert_int_equal(global_g(inst), 7);
    wasm_instance_free(inst);
    wasm_module_free(m);
}

static int setup(void **state)
{
    engine = wasm_engine_new();
    return engine ? 0 : -1;
}

static int teardown(void **state)
{
    wasm_engine_free(engine);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_deferred),
        cmocka_unit_test(test_deferred_runs_once),
        cmocka_unit_test(test_deferred_trap),
        cmocka_unit_test(test_deferred_segments_still_trap),
        cmocka_unit_test(test_deferred_on_other_thread),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
