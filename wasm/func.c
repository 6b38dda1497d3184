/* wasm/func.c: function objects and calls: host functions (called from
 * compiled code through the engine's host stub, with the calling instance),
 * wasm_func_call (into compiled code through the entry trampoline, with an
 * entry record per call for unwinding), and the runtime helper table. */
#include "wasm/compile.h"
#include "wasm/engine.h"
#include "wasm/platform.h"
#include "wasm/trap.h"
#include "lib/fmt.h"
#include "lib/string.h"

wasm_func *wasm_func_new_host(wasm_engine *engine, const uint8_t *params, uint32_t nparams,
                              const uint8_t *results, uint32_t nresults,
                              wasm_host_fn *fn, void *data)
{
    wasm_error err;
    wasm_backend_engine *eng = wasm_backend_engine_get(engine, &err);
    if (!eng || !fn)
        return NULL;
    wasm_func *f = wasm_platform_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    if (wasm_engine_intern_type(engine, params, nparams, results, nresults, &f->type) != 0) {
        wasm_platform_free(f);
        return NULL;
    }
    f->refs = 1;
    f->kind = FUNC_HOST;
    f->engine = engine;
    f->fn = fn;
    f->data = data;
    f->own.code = (void *)eng->host_stub;
    f->own.ctx = f;
    f->own.type_id = f->type.id;
    f->rec = &f->own;
    return f;
}

/* The function object for an instance's own function `index`: made once,
 * owned by the instance (wasm_func_free on it does nothing). */
wasm_func *wasm_func_from_instance(wasm_instance *inst, uint32_t index)
{
    if (inst->own_funcs[index])
        return inst->own_funcs[index];
    wasm_func *f = wasm_platform_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    const wasm_compiled *c = inst->module->backend;
    f->refs = 1;
    f->kind = FUNC_WASM;
    f->engine = inst->module->engine;
    f->rec = (wasm_funcref *)(inst->ctx + c->layout.funcrefs + CTX_FUNCREF_SIZE * index);
    f->type = *wasm_module_func_type(inst->module, index);
    f->instance = inst;
    f->index = index;
    inst->own_funcs[index] = f;
    return f;
}

void wasm_func_release(wasm_func *f)
{
    if (!f || --f->refs)
        return;
    if (f->kind == FUNC_HOST)
        wasm_engine_release_type(f->engine, f->type.id);
    wasm_platform_free(f);
}

void wasm_func_free(wasm_func *f)
{
    if (f && !f->instance)     /* an instance's own functions die with it */
        wasm_func_release(f);
}

void wasm_func_type(const wasm_func *f, const uint8_t **params, uint32_t *nparams,
                    const uint8_t **results, uint32_t *nresults)
{
    *params = f->type.params;
    *nparams = f->type.nparams;
    *results = f->type.results;
    *nresults = f->type.nresults;
}

wasm_instance *wasm_caller_instance(wasm_caller *caller) { return caller->instance; }
void *wasm_caller_data(wasm_caller *caller) { return caller->data; }

uint8_t *wasm_caller_memory(wasm_caller *caller, uint64_t *size)
{
    if (!caller->instance || !caller->instance->memory) {
        *size = 0;
        return NULL;
    }
    return wasm_memory_data(caller->instance->memory, size);
}

int wasm_rt_host_call(wasm_func *f, uint8_t *caller_ctx, uint64_t *slots)
{
    wasm_caller caller;
    caller.instance = caller_ctx ? *(wasm_instance **)(caller_ctx + CTX_INSTANCE) : NULL;
    caller.data = f->data;
    if (f->fn(&caller, slots))
        return WASM_TRAP_HOST;
    /* A kill requested while the host function ran (it may have blocked)
     * takes effect on the way back into Wasm. */
    const wasm_limits *l = caller_ctx ? *(wasm_limits **)(caller_ctx + CTX_LIMITS) : NULL;
    return l && l->kill ? WASM_TRAP_KILLED : 0;
}

static int arg_error(wasm_error *err, const char *msg)
{
    err->kind = WASM_ERR_ARGUMENT;
    err->trap = WASM_TRAP_NONE;
    lib_strlcpy(err->message, msg, sizeof err->message);
    return -1;
}

/* Calls compiled code or a host function with `slots` as the argument
 * and result area. Returns 0, or -1 with err set. */
int wasm_call_slots(wasm_func *f, uint64_t *slots, uint32_t nslots, wasm_error *err)
{
    if (f->kind == FUNC_HOST) {
        wasm_caller caller = { NULL, f->data };
        if (f->fn(&caller, slots)) {
            err->kind = WASM_ERR_TRAP;
            err->trap = WASM_TRAP_HOST;
            lib_strlcpy(err->message, wasm_trap_name(WASM_TRAP_HOST), sizeof err->message);
            return -1;
        }
        return 0;
    }
    wasm_thread *t = wasm_thread_get();
    wasm_backend_engine *eng = f->engine->backend;
    if (!t || !eng) {
        err->kind = WASM_ERR_RESOURCE;
        lib_strlcpy(err->message, "out of memory", sizeof err->message);
        return -1;
    }
    uint8_t *ctx = f->rec->ctx;
    *(wasm_limits **)(ctx + CTX_LIMITS) = &t->limits;
    wasm_entry rec;
    lib_memset(&rec, 0, sizeof rec);
    rec.prev = t->limits.entry;
    t->limits.entry = &rec;
    int rc = ((wasm_entry_fn)eng->entry)(f->rec->code, ctx, slots, nslots, &rec, &t->limits);
    t->limits.entry = rec.prev;
    if (rc) {
        wasm_trap_message(&rec, err);
        return -1;
    }
    return 0;
}

int wasm_func_call(wasm_func *f, const wasm_val *args, uint32_t nargs, wasm_val *results,
                   uint32_t nresults, wasm_error *err)
{
    wasm_error scratch;
    if (!err)
        err = &scratch;
    err->kind = WASM_OK;
    err->trap = WASM_TRAP_NONE;
    err->message[0] = 0;
    if (!f)
        return arg_error(err, "no function");
    const wasm_functype *t = &f->type;
    if (nargs != t->nparams)
        return arg_error(err, "wrong number of arguments");
    if (nresults != t->nresults)
        return arg_error(err, "wrong number of results");
    for (uint32_t i = 0; i < nargs; i++)
        if (args[i].type != t->params[i])
            return arg_error(err, "argument type mismatch");
    /* one 64-bit slot per value, two for a v128 */
    uint32_t na = nargs, nr = nresults;
    for (uint32_t i = 0; i < nargs; i++)
        na += t->params[i] == WASM_V128;
    for (uint32_t i = 0; i < nresults; i++)
        nr += t->results[i] == WASM_V128;
    uint32_t n = na > nr ? na : nr;
    n = (n + 1) & ~1u;
    uint64_t small[16];
    uint64_t *slots = n <= 16 ? small : wasm_platform_calloc(n, sizeof *slots);
    if (!slots) {
        err->kind = WASM_ERR_RESOURCE;
        lib_strlcpy(err->message, "out of memory", sizeof err->message);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        slots[i] = 0;
    for (uint32_t i = 0, k = 0; i < nargs; i++, k++) {
        uint8_t ty = t->params[i];
        if (ty == WASM_V128)
            lib_memcpy(&slots[k++], args[i].of.v128, 16);
        else
            slots[k] = ty == WASM_I32 || ty == WASM_F32 ? args[i].of.i32 : args[i].of.i64;
    }
    int rc = wasm_call_slots(f, slots, n, err);
    if (rc == 0) {
        for (uint32_t i = 0, k = 0; i < nresults; i++, k++) {
            uint8_t ty = t->results[i];
            results[i].type = ty;
            if (ty == WASM_V128)
                lib_memcpy(results[i].of.v128, &slots[k++], 16);
            else if (ty == WASM_I32 || ty == WASM_F32)
                results[i].of.i32 = (uint32_t)slots[k];
            else
                results[i].of.i64 = slots[k];
        }
    }
    if (slots != small)
        wasm_platform_free(slots);
    return rc;
}

/* ---- the helper table ---- */

int32_t wasm_rt_memory_grow(uint8_t *ctx, uint32_t delta);
uint32_t wasm_rt_memory_init(uint8_t *ctx, uint32_t seg, uint32_t d, uint32_t s, uint32_t n);
uint32_t wasm_rt_data_drop(uint8_t *ctx, uint32_t seg);
int32_t wasm_rt_table_grow(uint8_t *ctx, uint32_t tab, uint64_t init, uint32_t delta);
uint32_t wasm_rt_table_fill(uint8_t *ctx, uint32_t tab, uint32_t i, uint64_t val, uint32_t n);
uint32_t wasm_rt_table_copy(uint8_t *ctx, uint32_t dt, uint32_t st, uint32_t d, uint32_t s,
                            uint32_t n);
uint32_t wasm_rt_table_init(uint8_t *ctx, uint32_t tab, uint32_t seg, uint32_t d, uint32_t s,
                            uint32_t n);
uint32_t wasm_rt_elem_drop(uint8_t *ctx, uint32_t seg);

void wasm_rt_fill_helpers(uintptr_t *h)
{
    h[HELPER_MEMORY_GROW] = (uintptr_t)wasm_rt_memory_grow;
    h[HELPER_MEMORY_INIT] = (uintptr_t)wasm_rt_memory_init;
    h[HELPER_DATA_DROP] = (uintptr_t)wasm_rt_data_drop;
    h[HELPER_TABLE_GROW] = (uintptr_t)wasm_rt_table_grow;
    h[HELPER_TABLE_FILL] = (uintptr_t)wasm_rt_table_fill;
    h[HELPER_TABLE_COPY] = (uintptr_t)wasm_rt_table_copy;
    h[HELPER_TABLE_INIT] = (uintptr_t)wasm_rt_table_init;
    h[HELPER_ELEM_DROP] = (uintptr_t)wasm_rt_elem_drop;
}
