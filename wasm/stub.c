/* wasm/stub.c: placeholders for the parts of wasm/wasm.h not written yet.
 * Each returns WASM_ERR_UNSUPPORTED so that callers (the spec runner, the
 * CLI) report an honest failure. Delete a function here when its real
 * implementation lands elsewhere in wasm/. */
#include "wasm/wasm.h"
#include "lib/fmt.h"

static void unsupported(wasm_error *err, const char *what)
{
    if (!err)
        return;
    err->kind = WASM_ERR_UNSUPPORTED;
    err->trap = WASM_TRAP_NONE;
    lib_snprintf(err->message, sizeof err->message, "%s: not implemented yet", what);
}

/* ---- back end and runtime ---- */

const char *wasm_trap_name(wasm_trap_kind kind) { return "trap"; }

wasm_instance *wasm_instance_new(wasm_module *module, const wasm_extern *imports,
                                 uint32_t nimports, wasm_error *err)
{
    unsupported(err, "instantiation");
    return NULL;
}

void wasm_instance_free(wasm_instance *instance) { }
int wasm_instance_export(wasm_instance *instance, const char *name, size_t len,
                         wasm_extern *out) { return -1; }
wasm_instance *wasm_caller_instance(wasm_caller *caller) { return NULL; }
void *wasm_caller_data(wasm_caller *caller) { return NULL; }
uint8_t *wasm_caller_memory(wasm_caller *caller, uint64_t *size) { return NULL; }

wasm_func *wasm_func_new_host(wasm_engine *engine, const uint8_t *params, uint32_t nparams,
                              const uint8_t *results, uint32_t nresults,
                              wasm_host_fn *fn, void *data) { return NULL; }
void wasm_func_free(wasm_func *func) { }
void wasm_func_type(const wasm_func *func, const uint8_t **params, uint32_t *nparams,
                    const uint8_t **results, uint32_t *nresults)
{
    *nparams = *nresults = 0;
}

int wasm_func_call(wasm_func *func, const wasm_val *args, uint32_t nargs,
                   wasm_val *results, uint32_t nresults, wasm_error *err)
{
    unsupported(err, "calling");
    return -1;
}

wasm_memory *wasm_memory_new(wasm_engine *engine, uint32_t min_pages, uint32_t max_pages,
                             bool has_max, wasm_error *err)
{
    unsupported(err, "memories");
    return NULL;
}

void wasm_memory_free(wasm_memory *memory) { }
uint8_t *wasm_memory_data(wasm_memory *memory, uint64_t *size) { *size = 0; return NULL; }

wasm_table *wasm_table_new(wasm_engine *engine, uint8_t elem_type, uint32_t min,
                           uint32_t max, bool has_max, wasm_error *err)
{
    unsupported(err, "tables");
    return NULL;
}

void wasm_table_free(wasm_table *table) { }
uint32_t wasm_table_size(wasm_table *table) { return 0; }

wasm_global *wasm_global_new(wasm_engine *engine, wasm_val value, bool mutable_,
                             wasm_error *err)
{
    unsupported(err, "globals");
    return NULL;
}

void wasm_global_free(wasm_global *global) { }
wasm_val wasm_global_get(wasm_global *global) { wasm_val v = { 0 }; return v; }

/* ---- back end hooks called by the front end (wasm/backend.h) ---- */

#include "wasm/backend.h"

int wasm_backend_compile(wasm_module *m, unsigned flags, wasm_error *err) { return 0; }
void wasm_backend_free(wasm_module *m) { }
void wasm_backend_engine_free(wasm_engine *engine) { }
