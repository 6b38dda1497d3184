/* Unit tests for wasm/engine.c: canonical function-type ids shared by all
 * modules of an engine, and their reference counting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/wasm.h"
#include "wasm/module.h"
#include "wasm/engine.h"
#include "tests/unit/wasm_builder.h"

/* A module whose type section is `types` (count first). */
static wasm_module *types_module(wasm_engine *e, wb *w, const char *types, size_t n)
{
    wb_header(w);
    wb_section_raw(w, 1, types, n);
    wasm_error err;
    return wasm_module_new(e, w->b, w->n, WASM_MODULE_VALIDATE_ONLY, &err);
}

static void test_same_type_same_id(void **state)
{
    wasm_engine *e = wasm_engine_new();
    wb w1, w2;
    /* module 1: (i32)->i32, ()->() ; module 2: ()->(), (i32)->i32, (i32)->i32 */
    wasm_module *a = types_module(e, &w1, "\x02\x60\x01\x7f\x01\x7f\x60\x00\x00", 9);
    wasm_module *b = types_module(e, &w2, "\x03\x60\x00\x00\x60\x01\x7f\x01\x7f\x60\x01\x7f\x01\x7f", 14);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->types[0].id, b->types[1].id);
    assert_int_equal(b->types[1].id, b->types[2].id);
    assert_int_equal(a->types[1].id, b->types[0].id);
    assert_int_not_equal(a->types[0].id, a->types[1].id);
    /* params and results differ only by side: different types */
    wb w3;
    wasm_module *c = types_module(e, &w3, "\x02\x60\x01\x7f\x00\x60\x00\x01\x7f", 9);
    assert_non_null(c);
    assert_int_not_equal(c->types[0].id, c->types[1].id);
    assert_int_not_equal(c->types[0].id, a->types[0].id);
    const wasm_functype *t = wasm_engine_type(e, a->types[0].id);
    assert_non_null(t);
    assert_int_equal(t->nparams, 1);
    assert_int_equal(t->params[0], WASM_I32);
    assert_int_equal(t->results[0], WASM_I32);
    wasm_module_free(a);
    wasm_module_free(b);
    wasm_module_free(c);
    wasm_engine_free(e);
}

static void test_refcount_and_reuse(void **state)
{
    wasm_engine *e = wasm_engine_new();
    wasm_functype t1, t2, t3;
    const uint8_t p[] = { WASM_I64, WASM_F64 }, r[] = { WASM_V128 };
    assert_int_equal(wasm_engine_intern_type(e, p, 2, r, 1, &t1), 0);
    assert_int_equal(wasm_engine_intern_type(e, p, 2, r, 1, &t2), 0);
    assert_int_equal(t1.id, t2.id);
    wasm_engine_release_type(e, t1.id);
    assert_non_null(wasm_engine_type(e, t1.id));     /* one holder left */
    wasm_engine_release_type(e, t2.id);
    assert_null(wasm_engine_type(e, t1.id));         /* gone */
    assert_int_equal(wasm_engine_intern_type(e, r, 1, NULL, 0, &t3), 0);
    assert_int_equal(t3.id, t1.id);                  /* the id is recycled */
    /* many distinct types: the table grows, ids stay distinct */
    uint8_t many[40];
    memset(many, WASM_I32, sizeof many);
    uint32_t ids[40];
    for (int i = 0; i < 40; i++) {
        wasm_functype t;
        assert_int_equal(wasm_engine_intern_type(e, many, (uint32_t)i, many, 1, &t), 0);
        ids[i] = t.id;
        for (int k = 0; k < i; k++)
            assert_int_not_equal(ids[k], t.id);
    }
    for (int i = 0; i < 40; i++) {
        wasm_functype t;
        assert_int_equal(wasm_engine_intern_type(e, many, (uint32_t)i, many, 1, &t), 0);
        assert_int_equal(t.id, ids[i]);
    }
    wasm_engine_free(e);
}

/* A module that fails validation gives its references back. */
static void test_failed_module_releases(void **state)
{
    wasm_engine *e = wasm_engine_new();
    wb w;
    wb_header(&w);
    wb_section_raw(&w, 1, "\x01\x60\x01\x7e\x00", 5);
    wb_section_raw(&w, 3, "\x01\x05", 2);            /* unknown type 5 */
    wasm_error err;
    assert_null(wasm_module_new(e, w.b, w.n, WASM_MODULE_VALIDATE_ONLY, &err));
    assert_int_equal(err.kind, WASM_ERR_INVALID);
    assert_int_equal(e->live, 0);
    wasm_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_type_same_id),
        cmocka_unit_test(test_refcount_and_reuse),
        cmocka_unit_test(test_failed_module_releases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
