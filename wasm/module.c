/* wasm/module.c: wasm_module_new and wasm_module_free, the module queries
 * of wasm.h, and the name and local lookups of module.h. */
#include "wasm/module.h"
#include "wasm/backend.h"
#include "wasm/decode.h"
#include "wasm/engine.h"
#include "wasm/platform.h"
#include "lib/fmt.h"
#include "lib/string.h"

wasm_module *wasm_module_new(wasm_engine *engine, const uint8_t *bytes, size_t len,
                             unsigned flags, wasm_error *err)
{
    wasm_error scratch;
    if (!err)
        err = &scratch;
    err->kind = WASM_OK;
    err->trap = WASM_TRAP_NONE;
    err->message[0] = 0;
    if (!engine || (!bytes && len)) {
        err->kind = WASM_ERR_ARGUMENT;
        lib_snprintf(err->message, sizeof err->message, "wasm_module_new: no engine or no bytes");
        return NULL;
    }
    if (len > 0xffffffffu) {
        err->kind = WASM_ERR_RESOURCE;
        lib_snprintf(err->message, sizeof err->message, "module larger than 4 GiB");
        return NULL;
    }
    wasm_module *m = wasm_platform_calloc(1, sizeof *m);
    if (!m) {
        err->kind = WASM_ERR_RESOURCE;
        lib_snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    m->engine = engine;
    m->bytes = bytes;
    m->len = len;
    m->flags = flags;

    wasm_decoder d;
    lib_memset(&d, 0, sizeof d);
    d.m = m;
    d.err = err;
    d.base = bytes ? bytes : (const uint8_t *)"";
    d.end = d.base + len;
    d.section = "";
    int r = wasm_decode_module(&d);
    wasm_validator_free(&d);
    if (r) {
        wasm_module_free(m);
        return NULL;
    }
    if (!(flags & WASM_MODULE_VALIDATE_ONLY) && wasm_backend_compile(m, flags, err)) {
        wasm_module_free(m);
        return NULL;
    }
    return m;
}

void wasm_module_free(wasm_module *m)
{
    if (!m)
        return;
    wasm_backend_free(m);
    for (uint32_t i = 0; i < m->ntypes; i++)
        wasm_engine_release_type(m->engine, m->types[i].id);
    wasm_platform_free(m->types);
    wasm_platform_free(m->imports);
    wasm_platform_free(m->func_types);
    wasm_platform_free(m->func_flags);
    wasm_platform_free(m->code);
    wasm_platform_free(m->tables);
    wasm_platform_free(m->memories);
    wasm_platform_free(m->globals);
    wasm_platform_free(m->exports);
    for (uint32_t i = 0; i < m->nelems; i++) {
        wasm_platform_free(m->elems[i].funcs);
        wasm_platform_free(m->elems[i].exprs);
    }
    wasm_platform_free(m->elems);
    wasm_platform_free(m->datas);
    wasm_platform_free(m->customs);
    wasm_platform_free(m->names.funcs);
    wasm_platform_free(m->names.locals);
    wasm_platform_free(m->local_groups);
    wasm_platform_free(m);
}

uint32_t wasm_module_import_count(const wasm_module *m)
{
    return m ? m->nimports : 0;
}

void wasm_module_import(const wasm_module *m, uint32_t i, wasm_import_info *out)
{
    lib_memset(out, 0, sizeof *out);
    if (!m || i >= m->nimports)
        return;
    const wasm_import *im = &m->imports[i];
    out->module = (const char *)im->module;
    out->module_len = im->module_len;
    out->name = (const char *)im->name;
    out->name_len = im->name_len;
    out->kind = im->kind;
}

uint32_t wasm_module_export_count(const wasm_module *m)
{
    return m ? m->nexports : 0;
}

void wasm_module_export(const wasm_module *m, uint32_t i, wasm_export_info *out)
{
    lib_memset(out, 0, sizeof *out);
    if (!m || i >= m->nexports)
        return;
    const wasm_export *x = &m->exports[i];
    out->name = (const char *)x->name;
    out->name_len = x->name_len;
    out->kind = x->kind;
    out->index = x->index;
}

/* Binary search in a name array sorted by (index, local). */
static const wasm_name *find_name(const wasm_name *a, uint32_t n, uint32_t index, uint32_t local)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const wasm_name *x = &a[mid];
        if (x->index == index && x->local == local)
            return x;
        if (x->index < index || (x->index == index && x->local < local))
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const uint8_t *wasm_module_func_name(const wasm_module *m, uint32_t func, uint32_t *len)
{
    const wasm_name *x = find_name(m->names.funcs, m->names.nfuncs, func, 0);
    *len = x ? x->len : 0;
    return x ? x->name : NULL;
}

const uint8_t *wasm_module_local_name(const wasm_module *m, uint32_t func, uint32_t local, uint32_t *len)
{
    const wasm_name *x = find_name(m->names.locals, m->names.nlocals, func, local);
    *len = x ? x->len : 0;
    return x ? x->name : NULL;
}

uint8_t wasm_module_local_type(const wasm_module *m, uint32_t func, uint32_t local)
{
    if (func < m->nimported_funcs || func >= m->nfuncs)
        return 0;
    const wasm_functype *t = wasm_module_func_type(m, func);
    if (local < t->nparams)
        return t->params[local];
    local -= t->nparams;
    const wasm_code *c = wasm_module_code(m, func);
    for (uint32_t i = 0; i < c->nlocal_groups; i++) {
        const wasm_local_group *g = &m->local_groups[c->local_group + i];
        if (local < g->count)
            return g->type;
        local -= g->count;
    }
    return 0;
}
