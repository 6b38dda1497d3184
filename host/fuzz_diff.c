/* host/fuzz_diff.c: build/fuzz-diff-run FILE.wasm, Coral's side of the
 * differential fuzzing against binaryen (scripts/fuzz-diff).
 *
 * Does what binaryen's --fuzz-exec-before does with a module made by
 * `wasm-opt -ttf`: instantiates it with the `fuzzing-support` logging
 * imports, calls every exported function in export order with zero
 * arguments on that one instance (calling its hangLimitInitializer export
 * before each, as binaryen does), going on after a trap, and prints the
 * same kind of lines, with each value's type so that the comparison can
 * read binaryen's numbers exactly:
 *
 *   [fuzz-exec] calling NAME
 *   [fuzz-exec] note result: NAME => i32:-5      (or a tuple: (i32:1, f64:0x...))
 *   [LoggingExternalInterface logging i32:7]     (log-i64: two i32 halves)
 *   [trap KIND]
 *
 * Floats are printed as bit patterns (f32:0x7fc00000). Exit status 0, or
 * 1 when the module does not load (printed as `[load-failed MESSAGE]`). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/file.h"
#include "wasm/wasm.h"

static void print_val(uint8_t type, uint64_t bits)
{
    switch (type) {
    case WASM_I32: printf("i32:%" PRId32, (int32_t)(uint32_t)bits); break;
    case WASM_I64: printf("i64:%" PRId64, (int64_t)bits); break;
    case WASM_F32: printf("f32:0x%08" PRIx32, (uint32_t)bits); break;
    case WASM_F64: printf("f64:0x%016" PRIx64, bits); break;
    default: printf("ref:%s", bits ? "nonnull" : "null"); break;
    }
}

static int log_i32(wasm_caller *c, uint64_t *io)
{
    (void)c;
    printf("[LoggingExternalInterface logging ");
    print_val(WASM_I32, io[0]);
    printf("]\n");
    return 0;
}

static int log_i64(wasm_caller *c, uint64_t *io)
{
    (void)c;
    printf("[LoggingExternalInterface logging ");
    print_val(WASM_I32, (uint32_t)io[0]);
    printf(" ");
    print_val(WASM_I32, io[0] >> 32);
    printf("]\n");
    return 0;
}

static int log_f32(wasm_caller *c, uint64_t *io)
{
    (void)c;
    printf("[LoggingExternalInterface logging ");
    print_val(WASM_F32, io[0]);
    printf("]\n");
    return 0;
}

/* A v128 as binaryen prints it (i32x4 lanes in hex), each token tagged
 * for scripts/fuzz-diff-compare. */
static void print_v128(const uint64_t *q)
{
    printf("v128:i32x4");
    for (int k = 0; k < 4; k++)
        printf(" lane:0x%08" PRIx32, (uint32_t)(q[k / 2] >> (32 * (k % 2))));
}

static int log_v128(wasm_caller *c, uint64_t *io)
{
    (void)c;
    printf("[LoggingExternalInterface logging ");
    print_v128(io);
    printf("]\n");
    return 0;
}

static int log_f64(wasm_caller *c, uint64_t *io)
{
    (void)c;
    printf("[LoggingExternalInterface logging ");
    print_val(WASM_F64, io[0]);
    printf("]\n");
    return 0;
}

typedef struct logger {
    const char *name;
    uint8_t param;
    wasm_host_fn *fn;
} logger;

static const logger loggers[] = {
    { "log-i32", WASM_I32, log_i32 },
    { "log-i64", WASM_I64, log_i64 },
    { "log-f32", WASM_F32, log_f32 },
    { "log-f64", WASM_F64, log_f64 },
    { "log-v128", WASM_V128, log_v128 },
};

int main(int argc, char **argv)
{
    unsigned flags = 0;
    int i = 1;
    if (i < argc && strcmp(argv[i], "--explicit-bounds") == 0) {
        flags = WASM_MODULE_EXPLICIT_BOUNDS;
        i++;
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: fuzz-diff-run [--explicit-bounds] FILE.wasm\n");
        return 2;
    }
    char why[512];
    size_t len;
    uint8_t *bytes = host_read_file(argv[i], &len, why, sizeof why);
    if (!bytes) {
        printf("[load-failed %s]\n", why);
        return 1;
    }
    wasm_error err;
    wasm_engine *engine = wasm_engine_new();
    wasm_module *m = wasm_module_new(engine, bytes, len, flags, &err);
    if (!m) {
        printf("[load-failed %s]\n", err.message);
        return 1;
    }
    uint32_t n = wasm_module_import_count(m);
    wasm_extern *ex = calloc(n + 1, sizeof *ex);
    for (uint32_t k = 0; k < n; k++) {
        wasm_import_info im;
        wasm_module_import(m, k, &im);
        const logger *lg = NULL;
        for (size_t j = 0; j < sizeof loggers / sizeof loggers[0]; j++)
            if (im.kind == WASM_EXTERN_FUNC && strlen(loggers[j].name) == im.name_len &&
                memcmp(loggers[j].name, im.name, im.name_len) == 0)
                lg = &loggers[j];
        if (!lg) {
            printf("[load-failed unknown import %.*s]\n", (int)im.name_len, im.name);
            return 1;
        }
        ex[k].kind = WASM_EXTERN_FUNC;
        ex[k].of.func = wasm_func_new_host(engine, &lg->param, 1, NULL, 0, lg->fn, NULL);
    }
    wasm_instance *inst = wasm_instance_new(m, ex, n, &err);
    if (!inst) {
        printf("[load-failed %s]\n", err.message);
        return 1;
    }
    /* binaryen resets its hang limit before each export it calls. */
    wasm_extern hang;
    bool has_hang = wasm_instance_export(inst, "hangLimitInitializer", 20, &hang) == 0 &&
                    hang.kind == WASM_EXTERN_FUNC;
    uint32_t nx = wasm_module_export_count(m);
    for (uint32_t k = 0; k < nx; k++) {
        wasm_export_info xi;
        wasm_module_export(m, k, &xi);
        if (xi.kind != WASM_EXTERN_FUNC)
            continue;
        wasm_extern fx;
        if (wasm_instance_export(inst, xi.name, xi.name_len, &fx) != 0)
            continue;
        const uint8_t *pt, *rt;
        uint32_t np, nr;
        wasm_func_type(fx.of.func, &pt, &np, &rt, &nr);
        printf("[fuzz-exec] calling %.*s\n", (int)xi.name_len, xi.name);
        fflush(stdout);
        wasm_val *args = calloc(np + 1, sizeof *args);
        wasm_val *res = calloc(nr + 1, sizeof *res);
        for (uint32_t a = 0; a < np; a++)
            args[a].type = pt[a];
        if (has_hang)
            wasm_func_call(hang.of.func, NULL, 0, NULL, 0, &err);
        if (wasm_func_call(fx.of.func, args, np, res, nr, &err) != 0) {
            printf("[trap %s]\n", err.message);
        } else if (nr > 0) {
            printf("[fuzz-exec] note result: %.*s => ", (int)xi.name_len, xi.name);
            if (nr > 1)
                printf("(");
            for (uint32_t r = 0; r < nr; r++) {
                if (r)
                    printf(", ");
                if (rt[r] == WASM_V128) {
                    uint64_t q[2];
                    memcpy(q, res[r].of.v128, 16);
                    print_v128(q);
                    continue;
                }
                print_val(rt[r], res[r].of.i64 & (rt[r] == WASM_I32 || rt[r] == WASM_F32
                                                      ? 0xffffffffull : ~0ull));
            }
            printf(nr > 1 ? ")\n" : "\n");
        }
        fflush(stdout);
        free(args);
        free(res);
    }
    wasm_instance_free(inst);
    for (uint32_t k = 0; k < n; k++)
        wasm_func_free(ex[k].of.func);
    free(ex);
    wasm_module_free(m);
    wasm_engine_free(engine);
    free(bytes);
    return 0;
}
