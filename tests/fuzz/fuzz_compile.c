/* tests/fuzz/fuzz_compile.c: libFuzzer target for the engine's back end:
 * every input the front end accepts is compiled, in both bounds modes
 * (the first byte of the input picks the mode, the rest is the module),
 * and instantiated when it imports nothing and has no start function
 * (nothing is run: a random module may loop forever). Built like
 * fuzz_decode (clang, ASan+UBSan). Beyond "does not crash", a module the
 * validator accepted must compile unless the error is an honest
 * UNSUPPORTED (SIMD) or RESOURCE one. Run it with
 *   make build/fuzz/fuzz_compile && build/fuzz/fuzz_compile CORPUS... */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/wasm.h"

static wasm_engine *engine;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasm_error err;
    if (!engine && !(engine = wasm_engine_new()))
        abort();
    if (size < 1)
        return 0;
    unsigned flags = (data[0] & 1) ? WASM_MODULE_EXPLICIT_BOUNDS : 0;
    data++;
    size--;
    wasm_module *v = wasm_module_new(engine, data, size, WASM_MODULE_VALIDATE_ONLY, &err);
    if (!v)
        return 0;
    uint32_t nimports = wasm_module_import_count(v);
    wasm_module_free(v);
    wasm_module *m = wasm_module_new(engine, data, size, flags, &err);
    if (!m) {
        if (err.kind != WASM_ERR_UNSUPPORTED && err.kind != WASM_ERR_RESOURCE)
            abort();   /* valid but the compiler refused it */
        return 0;
    }
    wasm_module_stats st;
    wasm_module_get_stats(m, &st);
    if (st.functions && !st.machine_bytes)
        abort();
    if (nimports == 0) {
        /* Instantiation runs segment initialization (and a start function,
         * which -ttf style inputs rarely have); cap it by skipping modules
         * whose start could run: none is known without running, so only
         * modules without a start section are instantiated. */
        const uint8_t start_id = 8;
        int has_start = 0;
        /* A cheap scan: section ids at top level. */
        size_t p = 8;
        while (p < size) {
            uint8_t id = data[p++];
            uint64_t len = 0;
            int shift = 0;
            while (p < size && shift < 35) {
                uint8_t b = data[p++];
                len |= (uint64_t)(b & 0x7f) << shift;
                shift += 7;
                if (!(b & 0x80))
                    break;
            }
            if (id == start_id)
                has_start = 1;
            if (len > size - p)
                break;
            p += len;
        }
        if (!has_start) {
            wasm_instance *inst = wasm_instance_new(m, NULL, 0, &err);
            if (inst)
                wasm_instance_free(inst);
        }
    }
    wasm_module_free(m);
    return 0;
}
