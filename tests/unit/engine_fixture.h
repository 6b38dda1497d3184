/* tests/unit/engine_fixture.h: what every engine-level unit test repeats:
 * load a module, instantiate it, look up an export, with the engine's own
 * error message as the test's failure. Include after <cmocka.h>. */
#ifndef TESTS_ENGINE_FIXTURE_H
#define TESTS_ENGINE_FIXTURE_H

#include <string.h>
#include "wasm/wasm.h"

static inline wasm_module *ef_module(wasm_engine *engine, const uint8_t *bytes, size_t n,
                                     unsigned flags)
{
    wasm_error err;
    wasm_module *m = wasm_module_new(engine, bytes, n, flags, &err);
    if (!m)
        fail_msg("module: %s", err.message);
    return m;
}

static inline wasm_instance *ef_instance(wasm_module *m, const wasm_extern *imports, size_t n)
{
    wasm_error err;
    wasm_instance *inst = wasm_instance_new(m, imports, n, &err);
    if (!inst)
        fail_msg("instance: %s", err.message);
    return inst;
}

static inline wasm_extern ef_export(wasm_instance *inst, const char *name)
{
    wasm_extern x;
    if (wasm_instance_export(inst, name, strlen(name), &x) != 0)
        fail_msg("no export \"%s\"", name);
    return x;
}

static inline wasm_func *ef_func(wasm_instance *inst, const char *name)
{
    wasm_extern x = ef_export(inst, name);
    if (x.kind != WASM_EXTERN_FUNC)
        fail_msg("export \"%s\" is not a function", name);
    return x.of.func;
}

/* The exported memory's bytes; its size in *size. */
static inline uint8_t *ef_memory(wasm_instance *inst, const char *name, uint64_t *size)
{
    wasm_extern x = ef_export(inst, name);
    if (x.kind != WASM_EXTERN_MEMORY)
        fail_msg("export \"%s\" is not a memory", name);
    return wasm_memory_data(x.of.memory, size);
}

#endif
