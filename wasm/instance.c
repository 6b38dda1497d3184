/* wasm/instance.c: instantiation (import checks, the instance context,
 * memories, tables, globals, element and data segments, the start
 * function), exports by name, and freeing. */
#include "wasm/compile.h"
#include "wasm/platform.h"
#include "lib/fmt.h"
#include "lib/string.h"

static int fail(wasm_error *err, wasm_err_kind kind, const char *fmt, uint32_t a)
{
    err->kind = kind;
    err->trap = WASM_TRAP_NONE;
    lib_snprintf(err->message, sizeof err->message, fmt, a);
    return -1;
}

static int trap(wasm_error *err, wasm_trap_kind kind)
{
    err->kind = WASM_ERR_TRAP;
    err->trap = kind;
    lib_strlcpy(err->message, wasm_trap_name(kind), sizeof err->message);
    return -1;
}

static uint64_t *global_cell(wasm_instance *inst, uint32_t i)
{
    const wasm_compiled *c = inst->module->backend;
    uint8_t *slot = inst->ctx + c->layout.globals + CTX_GLOBAL_SIZE * i;
    if (inst->module->globals[i].imported)
        return *(uint64_t **)slot;
    return (uint64_t *)slot;
}

static wasm_funcref *funcref(wasm_instance *inst, uint32_t f)
{
    const wasm_compiled *c = inst->module->backend;
    return (wasm_funcref *)(inst->ctx + c->layout.funcrefs + CTX_FUNCREF_SIZE * f);
}

static uint64_t eval_const(wasm_instance *inst, const wasm_const_expr *e)
{
    switch (e->op) {
    case WASM_CONST_I32:
    case WASM_CONST_F32:
        return e->value.i32;
    case WASM_CONST_I64:
    case WASM_CONST_F64:
        return e->value.i64;
    case WASM_CONST_GLOBAL_GET:
        return global_cell(inst, e->index)[0];
    case WASM_CONST_REF_FUNC:
        return (uint64_t)(uintptr_t)funcref(inst, e->index);
    default:
        return 0;
    }
}

static bool limits_match(uint64_t have_min, bool have_has_max, uint64_t have_max,
                         uint64_t want_min, bool want_has_max, uint64_t want_max)
{
    if (have_min < want_min)
        return false;
    if (want_has_max && (!have_has_max || have_max > want_max))
        return false;
    return true;
}

static int link_import(wasm_instance *inst, uint32_t i, const wasm_extern *x, wasm_error *err)
{
    wasm_module *m = inst->module;
    const wasm_compiled *c = m->backend;
    const wasm_import *im = &m->imports[i];
    if (x->kind != im->kind)
        return fail(err, WASM_ERR_LINK, "incompatible import type (import %u: wrong kind)", i);
    switch (im->kind) {
    case WASM_EXTERN_FUNC: {
        wasm_func *f = x->of.func;
        if (!f || f->type.id != wasm_module_func_type(m, im->index)->id)
            return fail(err, WASM_ERR_LINK, "incompatible import type (import %u: function type)", i);
        /* The exporting instance lives as long as its importers. */
        f->refs++;
        if (f->instance)
            f->instance->refs++;
        inst->funcs[im->index] = f;
        uint64_t *slot = (uint64_t *)(inst->ctx + c->layout.imports + CTX_IMPORT_SIZE * im->index);
        slot[0] = (uint64_t)(uintptr_t)f->rec->code;
        slot[1] = (uint64_t)(uintptr_t)f->rec->ctx;
        *funcref(inst, im->index) = *f->rec;
        return 0;
    }
    case WASM_EXTERN_TABLE: {
        wasm_table *t = x->of.table;
        const wasm_table_type *tt = &m->tables[im->index];
        if (!t || t->elem != tt->elem ||
            !limits_match(t->size, t->max != UINT32_MAX, t->max, tt->min, tt->has_max, tt->max))
            return fail(err, WASM_ERR_LINK, "incompatible import type (import %u: table)", i);
        t->refs++;
        inst->tables[im->index] = t;
        return 0;
    }
    case WASM_EXTERN_MEMORY: {
        wasm_memory *mem = x->of.memory;
        const wasm_memory_type *mt = &m->memories[im->index];
        if (!mem || im->index != 0 ||
            !limits_match(mem->pages, mem->has_max,
                          mem->max_pages, mt->min, mt->has_max, mt->max))
            return fail(err, WASM_ERR_LINK, "incompatible import type (import %u: memory)", i);
        if (!mem->guarded && !c->explicit_bounds)
            return fail(err, WASM_ERR_LINK, "incompatible import type (import %u: the memory has "
                        "no guard region; compile with explicit bounds checks)", i);
        mem->refs++;
        inst->memory = mem;
        return 0;
    }
    case WASM_EXTERN_GLOBAL: {
        wasm_global *g = x->of.global;
        const wasm_global_type *gt = &m->globals[im->index].type;
        if (!g || g->type != gt->type || g->mutable_ != gt->mutable_)
            return fail(err, WASM_ERR_LINK, "incompatible import type (import %u: global)", i);
        g->refs++;
        if (g->instance)
            g->instance->refs++;
        inst->globals[im->index] = g;
        *(uint64_t **)(inst->ctx + c->layout.globals + CTX_GLOBAL_SIZE * im->index) = g->cell;
        return 0;
    }
    }
    return fail(err, WASM_ERR_LINK, "unknown import kind (import %u)", i);
}

static int setup(wasm_instance *inst, const wasm_extern *imports, wasm_error *err)
{
    wasm_module *m = inst->module;
    const wasm_compiled *c = m->backend;
    wasm_thread *t = wasm_thread_get();
    if (!t)
        return fail(err, WASM_ERR_RESOURCE, "out of memory", 0);
    *(wasm_limits **)(inst->ctx + CTX_LIMITS) = &t->limits;
    *(const uintptr_t **)(inst->ctx + CTX_HELPERS) = c->eng->helpers;
    *(wasm_instance **)(inst->ctx + CTX_INSTANCE) = inst;

    for (uint32_t i = 0; i < m->nimports; i++)
        if (link_import(inst, i, &imports[i], err))
            return -1;

    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        wasm_funcref *r = funcref(inst, i);
        r->code = wasm_compiled_func_code(c, i);
        r->ctx = inst->ctx;
        r->type_id = wasm_module_func_type(m, i)->id;
    }
    if (m->nmemories > 0 && !inst->memory) {
        const wasm_memory_type *mt = &m->memories[0];
        inst->memory = wasm_memory_create(mt->min, mt->max, mt->has_max, !c->explicit_bounds, err);
        if (!inst->memory)
            return -1;
    }
    if (inst->memory && wasm_memory_add_user(inst->memory, inst->ctx))
        return fail(err, WASM_ERR_RESOURCE, "out of memory", 0);
    for (uint32_t i = m->nimported_tables; i < m->ntables; i++) {
        const wasm_table_type *tt = &m->tables[i];
        inst->tables[i] = wasm_table_create(tt->elem, tt->min, tt->max, tt->has_max, err);
        if (!inst->tables[i])
            return -1;
    }
    for (uint32_t i = 0; i < m->ntables; i++)
        if (wasm_table_add_user(inst->tables[i],
                                (uint64_t *)(inst->ctx + c->layout.tables + CTX_TABLE_SIZE * i)))
            return fail(err, WASM_ERR_RESOURCE, "out of memory", 0);
    for (uint32_t i = m->nimported_globals; i < m->nglobals; i++) {
        const wasm_const_expr *e = &m->globals[i].init;
        uint64_t *cell = global_cell(inst, i);
        if (e->type == WASM_V128 && e->op == WASM_CONST_GLOBAL_GET)
            lib_memcpy(cell, global_cell(inst, e->index), 16);
        else if (e->type == WASM_V128)
            lib_memcpy(cell, e->value.v128, 16);
        else
            cell[0] = eval_const(inst, e);
    }

    /* Element segments, evaluated once per instance. */
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem_segment *s = &m->elems[i];
        wasm_elem_inst *e = &inst->elems[i];
        e->items = wasm_platform_calloc(s->count ? s->count : 1, sizeof *e->items);
        if (!e->items)
            return fail(err, WASM_ERR_RESOURCE, "out of memory", 0);
        e->count = s->count;
        for (uint32_t k = 0; k < s->count; k++) {
            if (s->funcs)
                e->items[k] = s->funcs[k] == WASM_ELEM_NULL
                                  ? 0 : (uint64_t)(uintptr_t)funcref(inst, s->funcs[k]);
            else if (s->exprs)
                e->items[k] = eval_const(inst, &s->exprs[k]);
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++)
        inst->data_dropped[i] = false;
    return 0;
}

static int run_start(wasm_instance *inst, wasm_error *err)
{
    wasm_module *m = inst->module;
    wasm_func *f = m->start < m->nimported_funcs ? inst->funcs[m->start]
                                                 : wasm_func_from_instance(inst, m->start);
    if (!f)
        return fail(err, WASM_ERR_RESOURCE, "out of memory", 0);
    uint64_t slots[2] = { 0, 0 };
    return wasm_call_slots(f, slots, 2, err) ? -1 : 0;
}

/* Active segments and the start function; a trap here leaves the effects
 * so far in place (as the spec says). */
static int initialize(wasm_instance *inst, wasm_error *err)
{
    wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const wasm_elem_segment *s = &m->elems[i];
        wasm_elem_inst *e = &inst->elems[i];
        if (s->mode == WASM_SEG_ACTIVE) {
            wasm_table *t = inst->tables[s->table];
            uint32_t off = (uint32_t)eval_const(inst, &s->offset);
            if ((uint64_t)off + e->count > t->size)
                return trap(err, WASM_TRAP_TABLE_OOB);
            for (uint32_t k = 0; k < e->count; k++)
                t->elems[off + k] = e->items[k];
        }
        if (s->mode != WASM_SEG_PASSIVE)
            e->count = 0;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const wasm_data_segment *s = &m->datas[i];
        if (s->mode != WASM_SEG_ACTIVE)
            continue;
        uint64_t size;
        uint8_t *base = inst->memory ? wasm_memory_data(inst->memory, &size) : NULL;
        uint32_t off = (uint32_t)eval_const(inst, &s->offset);
        if (!base || (uint64_t)off + s->len > size)
            return trap(err, WASM_TRAP_MEMORY_OOB);
        lib_memcpy(base + off, s->bytes, s->len);
        inst->data_dropped[i] = true;
    }
    if (m->has_start && !inst->start_pending)
        return run_start(inst, err);
    return 0;
}

static void destroy(wasm_instance *inst)
{
    if (inst->memory) {
        wasm_memory_remove_user(inst->memory, inst->ctx);
        wasm_memory_release(inst->memory);
    }
    if (inst->tables) {
        for (uint32_t i = 0; i < inst->ntables; i++) {
            if (!inst->tables[i])
                continue;
            wasm_table_remove_user(inst->tables[i],
                                   (uint64_t *)(inst->ctx + inst->tables_off + CTX_TABLE_SIZE * i));
            wasm_table_release(inst->tables[i]);
        }
    }
    if (inst->globals) {
        for (uint32_t i = 0; i < inst->nimported_globals; i++) {
            wasm_global *g = inst->globals[i];
            if (!g)
                continue;
            wasm_instance *owner = g->instance;
            wasm_global_release(g);
            if (owner)
                wasm_instance_release(owner);
        }
    }
    if (inst->funcs) {
        for (uint32_t i = 0; i < inst->nimported_funcs; i++) {
            wasm_func *f = inst->funcs[i];
            if (!f)
                continue;
            wasm_instance *owner = f->instance;
            wasm_func_release(f);
            if (owner)
                wasm_instance_release(owner);
        }
    }
    if (inst->own_funcs)
        for (uint32_t i = 0; i < inst->nfuncs; i++)
            wasm_func_release(inst->own_funcs[i]);
    if (inst->own_globals)
        for (uint32_t i = 0; i < inst->nglobals; i++)
            wasm_global_release(inst->own_globals[i]);
    wasm_platform_free(inst->own_funcs);
    wasm_platform_free(inst->own_globals);
    if (inst->elems)
        for (uint32_t i = 0; i < inst->nelems; i++)
            wasm_platform_free(inst->elems[i].items);
    wasm_platform_free(inst->elems);
    wasm_platform_free(inst->data_dropped);
    wasm_platform_free(inst->tables);
    wasm_platform_free(inst->globals);
    wasm_platform_free(inst->funcs);
    wasm_platform_free(inst->ctx);
    if (inst->code)
        wasm_compiled_release(inst->code);
    wasm_platform_free(inst);
}

wasm_instance *wasm_instance_new(wasm_module *m, const wasm_extern *imports, uint32_t nimports,
                                 wasm_error *err)
{
    return wasm_instance_new_ex(m, imports, nimports, 0, err);
}

wasm_instance *wasm_instance_new_ex(wasm_module *m, const wasm_extern *imports,
                                    uint32_t nimports, unsigned flags, wasm_error *err)
{
    wasm_error scratch;
    if (!err)
        err = &scratch;
    err->kind = WASM_OK;
    err->trap = WASM_TRAP_NONE;
    err->message[0] = 0;
    if (!m || !m->backend) {
        fail(err, WASM_ERR_ARGUMENT, "module was not compiled", 0);
        return NULL;
    }
    if (nimports != m->nimports || (nimports && !imports)) {
        fail(err, WASM_ERR_LINK, "expected %u imports", m->nimports);
        return NULL;
    }
    const wasm_compiled *c = m->backend;
    wasm_instance *inst = wasm_platform_calloc(1, sizeof *inst);
    if (!inst) {
        fail(err, WASM_ERR_RESOURCE, "out of memory", 0);
        return NULL;
    }
    inst->refs = 1;
    inst->module = m;
    inst->code = m->backend;
    wasm_compiled_retain(inst->code);
    inst->ntables = m->ntables;
    inst->nimported_globals = m->nimported_globals;
    inst->nimported_funcs = m->nimported_funcs;
    inst->nelems = m->nelems;
    inst->tables_off = c->layout.tables;
    inst->ctx = wasm_platform_calloc(1, c->layout.size);
    inst->tables = wasm_platform_calloc(m->ntables + 1, sizeof *inst->tables);
    inst->globals = wasm_platform_calloc(m->nglobals + 1, sizeof *inst->globals);
    inst->funcs = wasm_platform_calloc(m->nimported_funcs + 1, sizeof *inst->funcs);
    inst->elems = wasm_platform_calloc(m->nelems + 1, sizeof *inst->elems);
    inst->data_dropped = wasm_platform_calloc(m->ndatas + 1, sizeof *inst->data_dropped);
    inst->nfuncs = m->nfuncs;
    inst->nglobals = m->nglobals;
    inst->start_pending = m->has_start && (flags & WASM_INSTANCE_DEFER_START);
    inst->own_funcs = wasm_platform_calloc(m->nfuncs + 1, sizeof *inst->own_funcs);
    inst->own_globals = wasm_platform_calloc(m->nglobals + 1, sizeof *inst->own_globals);
    if (!inst->ctx || !inst->tables || !inst->globals || !inst->funcs || !inst->elems ||
        !inst->data_dropped || !inst->own_funcs || !inst->own_globals) {
        destroy(inst);
        fail(err, WASM_ERR_RESOURCE, "out of memory", 0);
        return NULL;
    }
    if (setup(inst, imports, err)) {
        destroy(inst);
        return NULL;
    }
    if (initialize(inst, err)) {
        /* Tables may now hold references into this instance (the spec
         * keeps a failed instantiation's table writes), so it is not
         * freed now but with the engine; its code outlives the module. */
        inst->next_zombie = c->eng->zombies;
        c->eng->zombies = inst;
        return NULL;
    }
    return inst;
}

int wasm_instance_run_start(wasm_instance *inst, wasm_error *err)
{
    wasm_error scratch;
    if (!err)
        err = &scratch;
    err->kind = WASM_OK;
    err->trap = WASM_TRAP_NONE;
    err->message[0] = 0;
    if (!inst || !inst->start_pending)
        return 0;
    inst->start_pending = false;
    return run_start(inst, err);
}

void wasm_instance_release(wasm_instance *inst)
{
    if (!inst || --inst->refs)
        return;
    destroy(inst);
}

void wasm_instance_free(wasm_instance *inst) { wasm_instance_release(inst); }

int wasm_instance_export(wasm_instance *inst, const char *name, size_t len, wasm_extern *out)
{
    wasm_module *m = inst->module;
    const wasm_compiled *c = m->backend;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wasm_export *x = &m->exports[i];
        if (x->name_len != len || lib_memcmp(x->name, name, len) != 0)
            continue;
        out->kind = x->kind;
        switch (x->kind) {
        case WASM_EXTERN_FUNC:
            if (x->index < m->nimported_funcs) {
                out->of.func = inst->funcs[x->index];
            } else {
                out->of.func = wasm_func_from_instance(inst, x->index);
            }
            return out->of.func ? 0 : -1;
        case WASM_EXTERN_TABLE:
            out->of.table = inst->tables[x->index];
            return 0;
        case WASM_EXTERN_MEMORY:
            out->of.memory = inst->memory;
            return 0;
        case WASM_EXTERN_GLOBAL: {
            if (x->index < m->nimported_globals) {
                out->of.global = inst->globals[x->index];
                return 0;
            }
            if (inst->own_globals[x->index]) {
                out->of.global = inst->own_globals[x->index];
                return 0;
            }
            wasm_global *g = wasm_platform_calloc(1, sizeof *g);
            if (!g)
                return -1;
            g->refs = 1;
            g->type = m->globals[x->index].type.type;
            g->mutable_ = m->globals[x->index].type.mutable_;
            g->cell = (uint64_t *)(inst->ctx + c->layout.globals + CTX_GLOBAL_SIZE * x->index);
            g->instance = inst;
            inst->own_globals[x->index] = g;
            out->of.global = g;
            return 0;
        }
        }
        return -1;
    }
    return -1;
}
