/* host/spectest.c: the `spectest` module of the spec suite, as the reference
 * interpreter defines it: print, print_i32, print_i64, print_f32, print_f64,
 * print_i32_f32, print_f64_f64 (they print nothing here: the runner's output
 * is its counts), global_i32 = 666, global_i64 = 666, global_f32 = 666.6,
 * global_f64 = 666.6 (immutable), table (10..20 funcref), memory (1..2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/spectest.h"

enum { MAX_EXPORTS = 16 };

struct spectest {
    struct {
        const char *name;
        wasm_extern ext;
        int ok;
        char why[640];        /* why it could not be made */
    } exports[MAX_EXPORTS];
    int count;
};

static int print_fn(wasm_caller *caller, uint64_t *args_and_results)
{
    return 0;
}

static void add(spectest *s, const char *name, uint8_t kind, void *obj, const wasm_error *err)
{
    int i = s->count++;
    s->exports[i].name = name;
    s->exports[i].ext.kind = kind;
    s->exports[i].ok = obj != NULL;
    switch (kind) {
    case WASM_EXTERN_FUNC: s->exports[i].ext.of.func = obj; break;
    case WASM_EXTERN_TABLE: s->exports[i].ext.of.table = obj; break;
    case WASM_EXTERN_MEMORY: s->exports[i].ext.of.memory = obj; break;
    case WASM_EXTERN_GLOBAL: s->exports[i].ext.of.global = obj; break;
    }
    if (!obj)
        snprintf(s->exports[i].why, sizeof s->exports[i].why, "spectest.%s could not be made: %s",
                 name, err && err->message[0] ? err->message : "the engine returned NULL");
}

static void add_print(spectest *s, wasm_engine *engine, const char *name,
                      const uint8_t *params, uint32_t nparams)
{
    add(s, name, WASM_EXTERN_FUNC,
        wasm_func_new_host(engine, params, nparams, NULL, 0, print_fn, NULL), NULL);
}

static void add_global(spectest *s, wasm_engine *engine, const char *name, uint8_t type, uint64_t bits)
{
    wasm_error err = { 0 };
    wasm_val v;
    memset(&v, 0, sizeof v);
    v.type = type;
    if (type == WASM_I32 || type == WASM_F32)
        v.of.i32 = (uint32_t)bits;
    else
        v.of.i64 = bits;
    add(s, name, WASM_EXTERN_GLOBAL, wasm_global_new(engine, v, false, &err), &err);
}

spectest *spectest_new(wasm_engine *engine)
{
    static const uint8_t i32[] = { WASM_I32 }, i64[] = { WASM_I64 }, f32[] = { WASM_F32 },
        f64[] = { WASM_F64 }, i32_f32[] = { WASM_I32, WASM_F32 }, f64_f64[] = { WASM_F64, WASM_F64 };
    wasm_error err = { 0 };
    spectest *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;

    add_print(s, engine, "print", NULL, 0);
    add_print(s, engine, "print_i32", i32, 1);
    add_print(s, engine, "print_i64", i64, 1);
    add_print(s, engine, "print_f32", f32, 1);
    add_print(s, engine, "print_f64", f64, 1);
    add_print(s, engine, "print_i32_f32", i32_f32, 2);
    add_print(s, engine, "print_f64_f64", f64_f64, 2);
    add_global(s, engine, "global_i32", WASM_I32, 666);
    add_global(s, engine, "global_i64", WASM_I64, 666);
    add_global(s, engine, "global_f32", WASM_F32, 0x4426a666u);            /* 666.6f */
    add_global(s, engine, "global_f64", WASM_F64, 0x4084d4cccccccccdull);  /* 666.6 */
    add(s, "table", WASM_EXTERN_TABLE, wasm_table_new(engine, WASM_FUNCREF, 10, 20, true, &err), &err);
    memset(&err, 0, sizeof err);
    add(s, "memory", WASM_EXTERN_MEMORY, wasm_memory_new(engine, 1, 2, true, &err), &err);
    return s;
}

void spectest_free(spectest *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->count; i++) {
        if (!s->exports[i].ok)
            continue;
        wasm_extern *e = &s->exports[i].ext;
        switch (e->kind) {
        case WASM_EXTERN_FUNC: wasm_func_free(e->of.func); break;
        case WASM_EXTERN_TABLE: wasm_table_free(e->of.table); break;
        case WASM_EXTERN_MEMORY: wasm_memory_free(e->of.memory); break;
        case WASM_EXTERN_GLOBAL: wasm_global_free(e->of.global); break;
        }
    }
    free(s);
}

int spectest_lookup(spectest *s, const char *name, size_t len, wasm_extern *out,
                    char *why, size_t whycap)
{
    for (int i = 0; i < s->count; i++) {
        if (strlen(s->exports[i].name) != len || memcmp(s->exports[i].name, name, len) != 0)
            continue;
        if (!s->exports[i].ok) {
            snprintf(why, whycap, "%s", s->exports[i].why);
            return -2;
        }
        *out = s->exports[i].ext;
        return 0;
    }
    snprintf(why, whycap, "unknown import spectest.%.*s", (int)len, name);
    return -1;
}
