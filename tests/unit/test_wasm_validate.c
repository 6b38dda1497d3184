/* Unit tests for the front end (wasm/decode.c, wasm/validate.c): the type
 * stack of the validator, the error paths and their messages, and what
 * the module representation records. Modules are built by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/wasm.h"
#include "wasm/module.h"
#include "wasm/engine.h"
#include "tests/unit/wasm_builder.h"

#define I32 "\x7f"
#define I64 "\x7e"
#define F32 "\x7d"
#define V128 "\x7b"
#define FUNCREF "\x70"
#define NOLOCALS "\x00", 1
/* A body literal without its terminating NUL. */
#define B(s) s, sizeof(s) - 1

static wasm_engine *engine;

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

/* Decodes and validates; returns the error kind (WASM_OK when accepted). */
static wasm_err_kind check(const wb *w, char *msg)
{
    wasm_error err;
    wasm_module *m = wasm_module_new(engine, w->b, w->n, WASM_MODULE_VALIDATE_ONLY, &err);
    if (m) {
        wasm_module_free(m);
        return WASM_OK;
    }
    if (msg)
        strcpy(msg, err.message);
    return err.kind;
}

static wasm_err_kind func(const char *params, const char *results, const char *body, size_t n)
{
    wb w;
    wb_func_module(&w, params, results, NOLOCALS, body, n, 1);
    return check(&w, NULL);
}

static void test_header(void **state)
{
    wb w;
    char msg[512];
    wb_header(&w);
    assert_int_equal(check(&w, NULL), WASM_OK);
    w.b[0] = 'x';
    assert_int_equal(check(&w, msg), WASM_ERR_MALFORMED);
    assert_non_null(strstr(msg, "magic header not detected"));
    wb_header(&w);
    w.b[4] = 2;
    assert_int_equal(check(&w, msg), WASM_ERR_MALFORMED);
    assert_non_null(strstr(msg, "unknown binary version"));
    w.n = 6;
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    assert_null(wasm_module_new(engine, NULL, 0, WASM_MODULE_VALIDATE_ONLY, NULL));
}

static void test_operand_types(void **state)
{
    assert_int_equal(func("", I32, B("\x41\x01\x41\x02\x6a\x0b")), WASM_OK);           /* i32.add */
    assert_int_equal(func("", I32, B("\x41\x01\x42\x02\x6a\x0b")), WASM_ERR_INVALID);  /* i32 + i64 */
    assert_int_equal(func("", I32, B("\x41\x01\x6a\x0b")), WASM_ERR_INVALID);          /* one operand */
    assert_int_equal(func("", "", B("\x41\x01\x0b")), WASM_ERR_INVALID);               /* left on the stack */
    assert_int_equal(func("", I32, B("\x0b")), WASM_ERR_INVALID);                      /* result missing */
    assert_int_equal(func(I32 I64, I64, B("\x20\x01\x20\x00\xac\x7c\x0b")), WASM_OK);  /* extend + add */
    assert_int_equal(func("", I32, B("\x20\x00\x0b")), WASM_ERR_INVALID);              /* unknown local */
    assert_int_equal(func(F32, I32, B("\x20\x00\xbc\x0b")), WASM_OK);                  /* reinterpret */
    assert_int_equal(func("", "", B("\x41\x00\x28\x02\x00\x1a\x0b")), WASM_OK);        /* i32.load */
    assert_int_equal(func("", "", B("\x41\x00\x28\x03\x00\x1a\x0b")), WASM_ERR_INVALID); /* align 8 > 4 */
}

/* After unreachable, br or return the stack is polymorphic: any value can
 * be popped (the bottom type), but values pushed since must still fit. */
static void test_unreachable(void **state)
{
    assert_int_equal(func("", I32, B("\x00\x6a\x0b")), WASM_OK);
    assert_int_equal(func("", I32, B("\x00\x0b")), WASM_OK);
    assert_int_equal(func("", I32, B("\x00\x42\x00\x6a\x0b")), WASM_ERR_INVALID);
    assert_int_equal(func("", I32, B("\x00\x42\x00\x0b")), WASM_ERR_INVALID);
    assert_int_equal(func("", "", B("\x0f\x1a\x1a\x0b")), WASM_OK);                    /* return; drop; drop */
    assert_int_equal(func("", I64, B("\x02\x40\x0c\x00\x0b\x00\x0b")), WASM_OK);
    /* select in unreachable code takes its type from the known operand */
    assert_int_equal(func("", F32, B("\x00\x41\x00\x1b\x0b")), WASM_OK);
    assert_int_equal(func("", I64, B("\x00\x43\x00\x00\x00\x00\x41\x00\x1b\x0b")), WASM_ERR_INVALID);
}

static void test_blocks(void **state)
{
    assert_int_equal(func("", I32, B("\x02\x7f\x41\x01\x0b\x0b")), WASM_OK);
    assert_int_equal(func("", I32, B("\x02\x7f\x0b\x0b")), WASM_ERR_INVALID);
    assert_int_equal(func("", I32, B("\x41\x01\x04\x7f\x41\x02\x05\x41\x03\x0b\x0b")), WASM_OK);
    assert_int_equal(func("", I32, B("\x41\x01\x04\x7f\x41\x02\x0b\x0b")), WASM_ERR_INVALID); /* no else */
    assert_int_equal(func("", "", B("\x05\x0b")), WASM_ERR_INVALID);                   /* else without if */
    assert_int_equal(func("", "", B("\x0c\x01\x0b")), WASM_ERR_INVALID);               /* unknown label */
    assert_int_equal(func("", "", B("\x03\x40\x0c\x00\x0b\x0b")), WASM_OK);            /* loop; br 0 */
    assert_int_equal(func("", I32, B("\x02\x7f\x41\x00\x41\x00\x0d\x00\x0b\x0b")), WASM_OK); /* br_if */
    /* br_table: every target the same arity */
    assert_int_equal(func("", "", B("\x02\x40\x41\x00\x0e\x01\x00\x01\x0b\x0b")), WASM_OK);
    assert_int_equal(func("", "", B("\x02\x7f\x41\x00\x0e\x01\x00\x01\x0b\x1a\x0b")), WASM_ERR_INVALID);
    /* missing the final end, and bytes after it */
    assert_int_equal(func("", "", B("\x01")), WASM_ERR_MALFORMED);
    assert_int_equal(func("", "", B("\x0b\x01")), WASM_ERR_MALFORMED);
    assert_int_equal(func("", "", B("\x06\x0b")), WASM_ERR_MALFORMED);                 /* try: not in 2.0 */
}

static void test_multi_value(void **state)
{
    /* type 1 = [i32 i32] -> [i32] used as a block type */
    wb w, s;
    wb_header(&w);
    s.n = 0;
    wb_bytes(&s, "\x02\x60\x00\x01\x7f\x60\x02\x7f\x7f\x01\x7f", 11);
    wb_section(&w, 1, &s);
    wb_section_raw(&w, 3, "\x01\x00", 2);
    const char body[] = "\x00\x41\x01\x41\x02\x02\x01\x6a\x0b\x0b";
    s.n = 0;
    wb_byte(&s, 1);
    wb_u32(&s, sizeof body - 1);
    wb_bytes(&s, body, sizeof body - 1);
    wb_section(&w, 10, &s);
    assert_int_equal(check(&w, NULL), WASM_OK);
    w.b[w.n - 3] = 0x6b;         /* still fine: i32.sub */
    assert_int_equal(check(&w, NULL), WASM_OK);
    w.b[w.n - 3] = 0x51;         /* i64.eq on i32s */
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    w.b[w.n - 3] = 0x6a;
    w.b[w.n - 4] = 0x02;         /* unknown type index 2 */
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
}

static void test_select_and_refs(void **state)
{
    assert_int_equal(func("", I32, B("\x41\x01\x41\x02\x41\x00\x1b\x0b")), WASM_OK);
    assert_int_equal(func("", "", B("\xd0\x70\xd0\x70\x41\x00\x1b\x1a\x0b")), WASM_ERR_INVALID);
    assert_int_equal(func("", "", B("\xd0\x70\xd0\x70\x41\x00\x1c\x01\x70\x1a\x0b")), WASM_OK);
    assert_int_equal(func("", "", B("\xd0\x70\xd0\x70\x41\x00\x1c\x02\x70\x70\x1a\x0b")), WASM_ERR_INVALID);
    assert_int_equal(func("", I32, B("\xd0\x6f\xd1\x0b")), WASM_OK);                   /* ref.is_null */
    assert_int_equal(func("", I32, B("\x41\x00\xd1\x0b")), WASM_ERR_INVALID);
    assert_int_equal(func("", "", B("\xd0\x7f\x1a\x0b")), WASM_ERR_MALFORMED);         /* ref.null i32 */
    /* ref.func needs the function declared (exported, in an element
     * segment, or in a global's initializer) */
    assert_int_equal(func("", "", B("\xd2\x00\x1a\x0b")), WASM_ERR_INVALID);
    wb w;
    wb_header(&w);
    wb_section_raw(&w, 1, "\x01\x60\x00\x00", 4);
    wb_section_raw(&w, 3, "\x01\x00", 2);
    wb_section_raw(&w, 7, "\x01\x01" "f" "\x00\x00", 5);
    wb_section_raw(&w, 10, "\x01\x05\x00\xd2\x00\x1a\x0b", 7);
    assert_int_equal(check(&w, NULL), WASM_OK);
}

static void test_simd(void **state)
{
    assert_int_equal(func("", "", B("\xfd\x0c" "0123456789abcdef" "\xfd\x62\x1a\x0b")), WASM_OK);
    assert_int_equal(func(V128, I32, B("\x20\x00\xfd\x15\x0f\x0b")), WASM_OK);          /* extract lane 15 */
    assert_int_equal(func(V128, I32, B("\x20\x00\xfd\x15\x10\x0b")), WASM_ERR_INVALID); /* lane 16 */
    assert_int_equal(func(V128, V128, B("\x20\x00\x20\x00\xfd\x0d"
                                        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x1f\x0b")),
                     WASM_OK);
    assert_int_equal(func(V128, V128, B("\x20\x00\x20\x00\xfd\x0d"
                                        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x20\x0b")),
                     WASM_ERR_INVALID);
    assert_int_equal(func(V128, V128, B("\x20\x00\xfd\xe0\x01\x0b")), WASM_OK);          /* f32x4.abs, 2-byte opcode */
    assert_int_equal(func(V128, V128, B("\x20\x00\xfd\xa2\x01\x0b")), WASM_ERR_MALFORMED); /* 0xa2: a hole */
    assert_int_equal(func("", V128, B("\x41\x00\xfd\x00\x04\x00\x0b")), WASM_OK);       /* v128.load */
    assert_int_equal(func("", V128, B("\x41\x00\xfd\x00\x05\x00\x0b")), WASM_ERR_INVALID);
}

static void test_bulk_memory(void **state)
{
    /* memory.init and data.drop need the data count section */
    assert_int_equal(func("", "", B("\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b")), WASM_ERR_MALFORMED);
    assert_int_equal(func("", "", B("\x41\x00\x41\x00\x41\x00\xfc\x0a\x00\x00\x0b")), WASM_OK);
    assert_int_equal(func("", "", B("\x41\x00\x41\x00\x41\x00\xfc\x0a\x01\x00\x0b")), WASM_ERR_MALFORMED);
    assert_int_equal(func("", "", B("\x41\x00\x41\x00\x41\x00\xfc\x0b\x00\x0b")), WASM_OK);
    assert_int_equal(func("", "", B("\x3f\x01\x1a\x0b")), WASM_ERR_MALFORMED);         /* memory.size 1 */
    assert_int_equal(func("", "", B("\x43\x00\x00\x00\x00\xfc\x00\x1a\x0b")), WASM_OK);  /* trunc_sat */
    assert_int_equal(func("", "", B("\xfc\x12\x0b")), WASM_ERR_MALFORMED);
    /* without a memory */
    wb w;
    wb_func_module(&w, "", "", NOLOCALS, B("\x3f\x00\x1a\x0b"), 0);
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
}

static void test_locals(void **state)
{
    wb w;
    char msg[512];
    /* 3 i64 and 2 i32 locals after one i32 param: local 5 is i32 */
    wb_func_module(&w, I32, I32, "\x02\x03\x7e\x02\x7f", 5, B("\x20\x05\x0b"), 0);
    assert_int_equal(check(&w, NULL), WASM_OK);
    wb_func_module(&w, I32, I32, "\x02\x03\x7e\x02\x7f", 5, B("\x20\x03\x0b"), 0);
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    wb_func_module(&w, I32, I32, "\x02\x03\x7e\x02\x7f", 5, B("\x20\x06\x0b"), 0);
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    /* more than 2^32 - 1 locals in total: malformed */
    wb_func_module(&w, "", "", "\x02\xff\xff\xff\xff\x0f\x7f\x02\x7e", 9, B("\x0b"), 0);
    assert_int_equal(check(&w, msg), WASM_ERR_MALFORMED);
    assert_non_null(strstr(msg, "too many locals"));
    /* beyond the implementation limit: rejected, saying so */
    wb_func_module(&w, "", "", "\x01\x80\x80\x04\x7f", 5, B("\x0b"), 0);
    assert_int_equal(check(&w, msg), WASM_ERR_INVALID);
    assert_non_null(strstr(msg, "limit"));
}

/* A call returning 1000 values, repeated: the operand stack limit stops it. */
static void test_stack_limit(void **state)
{
    wb w, s;
    char msg[512];
    wb_header(&w);
    s.n = 0;
    wb_bytes(&s, "\x01\x60\x00", 3);
    wb_u32(&s, 1000);
    for (int i = 0; i < 1000; i++)
        wb_byte(&s, 0x7f);
    wb_section(&w, 1, &s);
    wb_section_raw(&w, 3, "\x01\x00", 2);
    s.n = 0;
    wb_byte(&s, 1);
    wb_u32(&s, 1 + 2 * 60 + 1);
    wb_byte(&s, 0);
    for (int i = 0; i < 60; i++)
        wb_bytes(&s, "\x10\x00", 2);
    wb_byte(&s, 0x0b);
    wb_section(&w, 10, &s);
    assert_int_equal(check(&w, msg), WASM_ERR_INVALID);
    assert_non_null(strstr(msg, "limit of 50000"));
}

static void test_sections(void **state)
{
    wb w;
    char msg[512];
    /* out of order */
    wb_header(&w);
    wb_section_raw(&w, 3, "\x00", 1);
    wb_section_raw(&w, 1, "\x00", 1);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    /* repeated */
    wb_header(&w);
    wb_section_raw(&w, 1, "\x00", 1);
    wb_section_raw(&w, 1, "\x00", 1);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    /* the data count section sits between element and code */
    wb_header(&w);
    wb_section_raw(&w, 12, "\x00", 1);
    wb_section_raw(&w, 10, "\x00", 1);
    wb_section_raw(&w, 11, "\x00", 1);
    assert_int_equal(check(&w, NULL), WASM_OK);
    wb_header(&w);
    wb_section_raw(&w, 12, "\x01", 1);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    /* a function without a body */
    wb_header(&w);
    wb_section_raw(&w, 1, "\x01\x60\x00\x00", 4);
    wb_section_raw(&w, 3, "\x01\x00", 2);
    assert_int_equal(check(&w, msg), WASM_ERR_MALFORMED);
    assert_non_null(strstr(msg, "inconsistent lengths"));
    /* unknown section id, section larger than the module, size mismatch */
    wb_header(&w);
    wb_section_raw(&w, 13, "", 0);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    wb_header(&w);
    wb_bytes(&w, "\x01\x05\x00", 3);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    wb_header(&w);
    wb_section_raw(&w, 1, "\x00\x00", 2);
    assert_int_equal(check(&w, msg), WASM_ERR_MALFORMED);
    assert_non_null(strstr(msg, "type section"));
    assert_non_null(strstr(msg, "offset 11"));
    /* a custom section needs a valid UTF-8 name, nothing more */
    wb_header(&w);
    wb_section_raw(&w, 0, "\x03" "abc" "anything", 12);
    assert_int_equal(check(&w, NULL), WASM_OK);
    wb_header(&w);
    wb_section_raw(&w, 0, "\x02\xc0\x80", 3);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    wb_header(&w);
    wb_section_raw(&w, 0, "", 0);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
}

static void test_module_level(void **state)
{
    wb w;
    char msg[512];
    /* two memories */
    wb_header(&w);
    wb_section_raw(&w, 5, "\x02\x00\x01\x00\x01", 5);
    assert_int_equal(check(&w, msg), WASM_ERR_INVALID);
    assert_non_null(strstr(msg, "multiple memories"));
    /* limits */
    wb_header(&w);
    wb_section_raw(&w, 5, "\x01\x01\x02\x01", 4);
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    wb_header(&w);
    wb_section_raw(&w, 5, "\x01\x00\x81\x80\x04", 5);    /* 65537 pages */
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    wb_header(&w);
    wb_section_raw(&w, 4, "\x02\x70\x00\x00\x6f\x01\x00\x05", 8);   /* two tables */
    assert_int_equal(check(&w, NULL), WASM_OK);
    /* duplicate export names */
    wb_header(&w);
    wb_section_raw(&w, 5, "\x01\x00\x01", 3);
    wb_section_raw(&w, 7, "\x02\x01m\x02\x00\x01m\x02\x00", 9);
    assert_int_equal(check(&w, msg), WASM_ERR_INVALID);
    assert_non_null(strstr(msg, "duplicate export name"));
    /* start function must be [] -> [] */
    wb_header(&w);
    wb_section_raw(&w, 1, "\x01\x60\x01\x7f\x00", 5);
    wb_section_raw(&w, 3, "\x01\x00", 2);
    wb_section_raw(&w, 8, "\x00", 1);
    wb_section_raw(&w, 10, "\x01\x02\x00\x0b", 4);
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    /* a global initialized from a mutable import, or a later global */
    wb_header(&w);
    wb_section_raw(&w, 2, "\x01\x01m\x01g\x03\x7f\x01", 8);
    wb_section_raw(&w, 6, "\x01\x7f\x00\x23\x00\x0b", 6);
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    wb_header(&w);
    wb_section_raw(&w, 6, "\x02\x7f\x00\x41\x00\x0b\x7f\x00\x23\x00\x0b", 11);
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    wb_header(&w);
    wb_section_raw(&w, 6, "\x01\x7f\x00\x41\x00\x41\x00\x0b", 8);        /* two values */
    assert_int_equal(check(&w, NULL), WASM_ERR_INVALID);
    wb_header(&w);
    wb_section_raw(&w, 6, "\x01\x7f\x00\x41\x00\x41\x00\x6a\x0b", 9);    /* i32.add: not constant */
    assert_int_equal(check(&w, msg), WASM_ERR_INVALID);
    assert_non_null(strstr(msg, "constant expression required"));
    wb_header(&w);
    wb_section_raw(&w, 6, "\x01\x7f\x02\x41\x00\x0b", 6);                /* mutability 2 */
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
    /* an import name that is not UTF-8 */
    wb_header(&w);
    wb_section_raw(&w, 2, "\x01\x01\xff\x01g\x03\x7f\x00", 8);
    assert_int_equal(check(&w, NULL), WASM_ERR_MALFORMED);
}

/* Whatever prefix of a good module is given, the answer is an error, never
 * a crash or a read past the end (the fuzzer checks this with ASan too). */
static void test_truncations(void **state)
{
    wb w;
    wb_func_module(&w, I32, I32, "\x01\x01\x7e", 3,
                   B("\x02\x7f\x20\x00\x04\x7f\x41\x01\x05\x41\x02\x0b\x0b\x0b"), 1);
    assert_int_equal(check(&w, NULL), WASM_OK);
    for (size_t n = 9; n < w.n; n++) {
        wb t = w;
        t.n = n;
        wasm_err_kind k = check(&t, NULL);
        /* a cut at a section boundary can leave a valid module */
        assert_true(k == WASM_ERR_MALFORMED || k == WASM_OK);
    }
}

static void test_representation(void **state)
{
    wb w, s;
    wb_header(&w);
    wb_section_raw(&w, 1, "\x02\x60\x01\x7f\x01\x7f\x60\x00\x00", 9);
    wb_section_raw(&w, 2, "\x01\x03" "env" "\x01" "f" "\x00\x00", 9);
    wb_section_raw(&w, 3, "\x02\x00\x01", 3);
    wb_section_raw(&w, 4, "\x01\x70\x00\x02", 4);
    wb_section_raw(&w, 5, "\x01\x01\x01\x02", 4);
    wb_section_raw(&w, 6, "\x01\x7e\x01\x42\x2a\x0b", 6);
    wb_section_raw(&w, 7, "\x01\x03" "run" "\x00\x01", 7);
    wb_section_raw(&w, 9, "\x01\x00\x41\x00\x0b\x02\x02\x02", 8);
    s.n = 0;
    wb_byte(&s, 2);
    /* func 1: (i32) -> i32 with 2 f32 locals; nesting 3, stack 3 */
    const char f1[] = "\x01\x02\x7d\x02\x7f\x02\x7f\x20\x00\x41\x01\x41\x02\x6a\x6a\x0b\x0b\x0b";
    wb_u32(&s, sizeof f1 - 1);
    wb_bytes(&s, f1, sizeof f1 - 1);
    /* func 2: () -> () with a loop, a load and a call */
    const char f2[] = "\x00\x03\x40\x41\x00\x28\x02\x00\x10\x00\x1a\x0b\x0b";
    wb_u32(&s, sizeof f2 - 1);
    wb_bytes(&s, f2, sizeof f2 - 1);
    wb_section(&w, 10, &s);
    wb_section_raw(&w, 11, "\x01\x00\x41\x08\x0b\x03xyz", 9);
    /* the name section: module "m", functions 1 "one" and 2 "two" */
    wb_section_raw(&w, 0, "\x04name" "\x00\x02\x01m" "\x01\x0b\x02\x01\x03one\x02\x03two", 22);

    wasm_error err;
    wasm_module *m = wasm_module_new(engine, w.b, w.n, WASM_MODULE_VALIDATE_ONLY, &err);
    if (!m)
        fail_msg("%s", err.message);
    assert_int_equal(m->ntypes, 2);
    assert_int_not_equal(m->types[0].id, m->types[1].id);
    assert_int_equal(m->nfuncs, 3);
    assert_int_equal(m->nimported_funcs, 1);
    assert_int_equal(m->func_types[2], 1);
    assert_int_equal(wasm_module_import_count(m), 1);
    wasm_import_info ii;
    wasm_module_import(m, 0, &ii);
    assert_int_equal(ii.module_len, 3);
    assert_memory_equal(ii.module, "env", 3);
    assert_int_equal(ii.kind, WASM_EXTERN_FUNC);
    wasm_export_info xi;
    assert_int_equal(wasm_module_export_count(m), 1);
    wasm_module_export(m, 0, &xi);
    assert_memory_equal(xi.name, "run", 3);
    assert_int_equal(xi.index, 1);
    assert_true(m->func_flags[1] & WASM_FUNC_EXPORTED);
    assert_true(m->func_flags[2] & WASM_FUNC_IN_ELEM);
    assert_false(m->func_flags[0] & WASM_FUNC_ESCAPES);

    const wasm_code *c1 = wasm_module_code(m, 1);
    assert_int_equal(c1->nlocals, 2);
    assert_int_equal(c1->code_offset, 3);
    assert_int_equal(c1->code[0], 0x02);
    assert_int_equal(c1->body[c1->size - 1], 0x0b);
    assert_int_equal(c1->max_stack, 3);
    assert_int_equal(c1->max_depth, 3);
    assert_false(c1->flags & (WASM_CODE_CALLS | WASM_CODE_USES_MEMORY | WASM_CODE_HAS_LOOP));
    assert_int_equal(wasm_module_local_type(m, 1, 0), 0x7f);
    assert_int_equal(wasm_module_local_type(m, 1, 2), 0x7d);
    assert_int_equal(wasm_module_local_type(m, 1, 3), 0);
    const wasm_code *c2 = wasm_module_code(m, 2);
    assert_true(c2->flags & WASM_CODE_CALLS);
    assert_true(c2->flags & WASM_CODE_USES_MEMORY);
    assert_true(c2->flags & WASM_CODE_HAS_LOOP);
    assert_int_equal(c2->max_depth, 2);

    assert_int_equal(m->tables[0].min, 2);
    assert_true(m->memories[0].has_max);
    assert_int_equal(m->memories[0].max, 2);
    assert_int_equal(m->globals[0].init.op, WASM_CONST_I64);
    assert_int_equal(m->globals[0].init.value.i64, 42);
    assert_int_equal(m->nelems, 1);
    assert_int_equal(m->elems[0].mode, WASM_SEG_ACTIVE);
    assert_int_equal(m->elems[0].count, 2);
    assert_non_null(m->elems[0].funcs);
    assert_int_equal(m->elems[0].funcs[1], 2);
    assert_int_equal(m->ndatas, 1);
    assert_int_equal(m->datas[0].len, 3);
    assert_memory_equal(m->datas[0].bytes, "xyz", 3);
    assert_int_equal(m->datas[0].offset.value.i32, 8);

    uint32_t len;
    const uint8_t *name = wasm_module_func_name(m, 2, &len);
    assert_non_null(name);
    assert_int_equal(len, 3);
    assert_memory_equal(name, "two", 3);
    assert_null(wasm_module_func_name(m, 0, &len));
    assert_int_equal(m->names.module_len, 1);
    assert_int_equal(m->ncustoms, 1);
    wasm_module_free(m);
}

/* Inputs the fuzzer (ASan + UBSan) once tripped on. */
static void test_fuzz_regressions(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;
        wasm_err_kind kind;
    } cases[] = {
        /* an empty body: no locals, no operands ever pushed */
        { "\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x04"
          "\x01\x02\x00\x0b", 24, WASM_OK },
        /* a zero-length locals run, then bad 0xfc opcodes */
        { "\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x1b"
          "\x01\x19\x01\x00\x7f\xfc\xd5\xe7\xb5\x00\x00\x00\xfc\x80\x00\x00\xfc\x81\x80\x00"
          "\x00\xfc\x86\x80\xa0\x00\x00\xfc\x87\x80\x80\x80\x00\x00\x0b", 55, WASM_ERR_MALFORMED },
        /* br_if in unreachable code with nothing ever on the stack */
        { "\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x0c"
          "\x01\x0a\x00\x02\x40\x00\x00\x0d\x00\x7a\x0b\x0b", 32, WASM_ERR_INVALID },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wb w;
        memcpy(w.b, cases[i].bytes, cases[i].len);
        w.n = cases[i].len;
        assert_int_equal(check(&w, NULL), cases[i].kind);
    }
}

/* Custom sections are all kept, in order, with where they stood. */
static void test_custom_sections(void **state)
{
    wb w;
    wb_header(&w);
    for (int i = 0; i < 9; i++) {
        char sec[3] = { 1, (char)('a' + i), (char)i };
        wb_section_raw(&w, 0, sec, 3);
        if (i == 4)
            wb_section_raw(&w, 1, "\x00", 1);
    }
    wasm_error err;
    wasm_module *m = wasm_module_new(engine, w.b, w.n, WASM_MODULE_VALIDATE_ONLY, &err);
    assert_non_null(m);
    assert_int_equal(m->ncustoms, 9);
    for (int i = 0; i < 9; i++) {
        assert_int_equal(m->customs[i].name_len, 1);
        assert_int_equal(m->customs[i].name[0], 'a' + i);
        assert_int_equal(m->customs[i].len, 1);
        assert_int_equal(m->customs[i].data[0], i);
        assert_int_equal(m->customs[i].after, i <= 4 ? 0 : 1);
    }
    assert_int_equal(m->customs[0].file_offset, 8);
    wasm_module_free(m);
}

/* A broken name section does not make the module malformed. */
static void test_bad_name_section(void **state)
{
    wb w;
    wb_header(&w);
    wb_section_raw(&w, 0, "\x04name" "\x01\x07\x02\x05\x01" "a" "\x00\x01" "b", 14);
    wasm_error err;
    wasm_module *m = wasm_module_new(engine, w.b, w.n, WASM_MODULE_VALIDATE_ONLY, &err);
    assert_non_null(m);
    assert_int_equal(m->names.nfuncs, 0);    /* indices not increasing: ignored */
    wasm_module_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_operand_types),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_multi_value),
        cmocka_unit_test(test_select_and_refs),
        cmocka_unit_test(test_simd),
        cmocka_unit_test(test_bulk_memory),
        cmocka_unit_test(test_locals),
        cmocka_unit_test(test_stack_limit),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_module_level),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_representation),
        cmocka_unit_test(test_fuzz_regressions),
        cmocka_unit_test(test_custom_sections),
        cmocka_unit_test(test_bad_name_section),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
