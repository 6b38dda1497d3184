/* tests/fuzz/fuzz_decode.c: libFuzzer target for the engine's front end:
 * wasm_module_new(..., WASM_MODULE_VALIDATE_ONLY) on arbitrary bytes.
 * Built with clang -fsanitize=fuzzer,address,undefined (mk/host.mk), so any
 * read past the input, use after free, leak or undefined behaviour is a
 * crash. Beyond "does not crash", it checks the contract of wasm.h: a
 * rejected module comes with an error kind and a terminated, non-empty
 * message; an accepted one lists imports and exports whose names lie in
 * readable memory. One engine serves every input, as in the kernel. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/wasm.h"

static wasm_engine *engine;

/* Reads every byte of a name, so that ASan sees a name pointing outside
 * the input or into freed memory. */
static unsigned touch(const char *s, uint32_t len)
{
    unsigned sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum += (unsigned char)s[i];
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasm_error err;
    volatile unsigned sink = 0;

    if (!engine && !(engine = wasm_engine_new()))
        abort();
    memset(&err, 0xa5, sizeof err);   /* the engine must set what it reports */
    wasm_module *m = wasm_module_new(engine, data, size, WASM_MODULE_VALIDATE_ONLY, &err);
    if (!m) {
        if (err.kind == WASM_OK || !memchr(err.message, 0, sizeof err.message) || !err.message[0])
            abort();   /* rejected without a proper error */
        return 0;
    }
    for (uint32_t i = 0, n = wasm_module_import_count(m); i < n; i++) {
        wasm_import_info imp;
        wasm_module_import(m, i, &imp);
        sink += touch(imp.module, imp.module_len) + touch(imp.name, imp.name_len) + imp.kind;
    }
    for (uint32_t i = 0, n = wasm_module_export_count(m); i < n; i++) {
        wasm_export_info exp;
        wasm_module_export(m, i, &exp);
        sink += touch(exp.name, exp.name_len) + exp.kind;
    }
    wasm_module_free(m);
    (void)sink;
    return 0;
}
