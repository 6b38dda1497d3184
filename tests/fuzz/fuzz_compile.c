/* tests/fuzz/fuzz_compile.c: libFuzzer target for the compiler: the whole
 * of wasm_module_new (decode, validate, compile to x86-64), then
 * wasm_module_free. Nothing runs: this looks for crashes, sanitizer reports
 * and leaks in code generation on whatever the validator lets through. The
 * bounds-check mode alternates with the input's length, so that both code
 * generators are exercised from one corpus. One engine serves every input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/wasm.h"

static wasm_engine *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasm_error err;
    unsigned flags = size & 1 ? WASM_MODULE_EXPLICIT_BOUNDS : 0;

    if (!engine && !(engine = wasm_engine_new()))
        abort();
    memset(&err, 0xa5, sizeof err);   /* the engine must set what it reports */
    wasm_module *m = wasm_module_new(engine, data, size, flags, &err);
    if (!m) {
        if (err.kind == WASM_OK || !memchr(err.message, 0, sizeof err.message) || !err.message[0])
            abort();   /* rejected without a proper error */
        return 0;
    }
    wasm_module_free(m);
    return 0;
}
