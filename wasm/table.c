/* wasm/table.c: tables of references (funcref: a wasm_funcref pointer;
 * externref: the embedder's opaque 64 bits; 0 is null). Instance contexts
 * cache {base, length} and are updated when the table grows (the element
 * array may move). Also the table helpers called from compiled code. */
#include "wasm/compile.h"
#include "wasm/platform.h"
#include "lib/fmt.h"
#include "lib/string.h"

/* Beyond this many entries a table is refused (an implementation limit,
 * like other engines' 10 million). */
#define TABLE_LIMIT 10000000u

wasm_table *wasm_table_create(uint8_t elem, uint32_t min, uint32_t max, bool has_max,
                              wasm_error *err)
{
    if (min > TABLE_LIMIT) {
        err->kind = WASM_ERR_RESOURCE;
        lib_snprintf(err->message, sizeof err->message, "table too large (%u entries)", min);
        return NULL;
    }
    wasm_table *t = wasm_platform_calloc(1, sizeof *t);
    uint64_t *e = wasm_platform_calloc(min ? min : 1, sizeof *e);
    if (!t || !e) {
        wasm_platform_free(t);
        wasm_platform_free(e);
        err->kind = WASM_ERR_RESOURCE;
        lib_snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    t->refs = 1;
    t->elem = elem;
    t->elems = e;
    t->size = min;
    t->max = has_max ? max : UINT32_MAX;
    return t;
}

wasm_table *wasm_table_new(wasm_engine *engine, uint8_t elem_type, uint32_t min, uint32_t max,
                           bool has_max, wasm_error *err)
{
    wasm_error scratch;
    (void)engine;
    return wasm_table_create(elem_type, min, max, has_max, err ? err : &scratch);
}

void wasm_table_release(wasm_table *t)
{
    if (!t || --t->refs)
        return;
    wasm_platform_free(t->elems);
    wasm_platform_free(t->users);
    wasm_platform_free(t);
}

void wasm_table_free(wasm_table *t) { wasm_table_release(t); }
uint32_t wasm_table_size(wasm_table *t) { return t->size; }

static void update(wasm_table *t, uint64_t *slot)
{
    slot[0] = (uint64_t)(uintptr_t)t->elems;
    slot[1] = t->size;
}

int wasm_table_add_user(wasm_table *t, uint64_t *slot)
{
    if (t->nusers == t->cap_users) {
        uint32_t cap = t->cap_users ? t->cap_users * 2 : 4;
        uint64_t **u = wasm_platform_realloc(t->users, cap * sizeof *u);
        if (!u)
            return -1;
        t->users = u;
        t->cap_users = cap;
    }
    t->users[t->nusers++] = slot;
    update(t, slot);
    return 0;
}

void wasm_table_remove_user(wasm_table *t, uint64_t *slot)
{
    for (uint32_t i = 0; i < t->nusers; i++) {
        if (t->users[i] == slot) {
            t->users[i] = t->users[--t->nusers];
            return;
        }
    }
}

int64_t wasm_table_grow(wasm_table *t, uint64_t init, uint32_t delta)
{
    uint32_t old = t->size;
    if (delta > t->max - old || old + (uint64_t)delta > TABLE_LIMIT)
        return -1;
    if (delta == 0)
        return old;
    uint64_t *e = wasm_platform_realloc(t->elems, ((size_t)old + delta) * sizeof *e);
    if (!e)
        return -1;
    for (uint32_t i = 0; i < delta; i++)
        e[old + i] = init;
    t->elems = e;
    t->size = old + delta;
    for (uint32_t i = 0; i < t->nusers; i++)
        update(t, t->users[i]);
    return old;
}

/* ---- helpers called from compiled code ---- */

static wasm_instance *inst_of(uint8_t *ctx)
{
    return *(wasm_instance **)(ctx + CTX_INSTANCE);
}

int32_t wasm_rt_table_grow(uint8_t *ctx, uint32_t tab, uint64_t init, uint32_t delta)
{
    return (int32_t)wasm_table_grow(inst_of(ctx)->tables[tab], init, delta);
}

uint32_t wasm_rt_table_fill(uint8_t *ctx, uint32_t tab, uint32_t i, uint64_t val, uint32_t n)
{
    wasm_table *t = inst_of(ctx)->tables[tab];
    if ((uint64_t)i + n > t->size)
        return WASM_TRAP_TABLE_OOB;
    for (uint32_t k = 0; k < n; k++)
        t->elems[i + k] = val;
    return 0;
}

uint32_t wasm_rt_table_copy(uint8_t *ctx, uint32_t dt, uint32_t st, uint32_t d, uint32_t s,
                            uint32_t n)
{
    wasm_instance *inst = inst_of(ctx);
    wasm_table *dst = inst->tables[dt], *src = inst->tables[st];
    if ((uint64_t)d + n > dst->size || (uint64_t)s + n > src->size)
        return WASM_TRAP_TABLE_OOB;
    lib_memmove(dst->elems + d, src->elems + s, (size_t)n * sizeof(uint64_t));
    return 0;
}

uint32_t wasm_rt_table_init(uint8_t *ctx, uint32_t tab, uint32_t seg, uint32_t d, uint32_t s,
                            uint32_t n)
{
    wasm_instance *inst = inst_of(ctx);
    wasm_table *t = inst->tables[tab];
    wasm_elem_inst *e = &inst->elems[seg];
    if ((uint64_t)s + n > e->count || (uint64_t)d + n > t->size)
        return WASM_TRAP_TABLE_OOB;
    for (uint32_t k = 0; k < n; k++)
        t->elems[d + k] = e->items[s + k];
    return 0;
}

uint32_t wasm_rt_elem_drop(uint8_t *ctx, uint32_t seg)
{
    inst_of(ctx)->elems[seg].count = 0;
    return 0;
}
