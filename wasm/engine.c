/* wasm/engine.c: the engine object and its canonical function-type
 * registry (see engine.h). */
#include "wasm/engine.h"
#include "wasm/backend.h"
#include "wasm/platform.h"
#include "lib/string.h"

#define NO_ID 0xffffffffu

/* One registered type: the public form, its value types stored inline
 * (params then results), and the bookkeeping. */
struct wasm_type_entry {
    wasm_functype type;
    uint32_t hash;
    uint32_t next;               /* next id in the same bucket */
    uint32_t refs;
    uint8_t vals[];
};

wasm_engine *wasm_engine_new(void)
{
    return wasm_platform_calloc(1, sizeof(wasm_engine));
}

void wasm_engine_free(wasm_engine *e)
{
    if (!e)
        return;
    wasm_backend_engine_free(e);
    for (uint32_t i = 0; i < e->ntypes; i++)
        wasm_platform_free(e->types[i]);
    wasm_platform_free(e->types);
    wasm_platform_free(e->free_ids);
    wasm_platform_free(e->buckets);
    wasm_platform_free(e);
}

/* FNV-1a over the shape and the value types. */
static uint32_t type_hash(const uint8_t *params, uint32_t np, const uint8_t *results, uint32_t nr)
{
    uint32_t h = 2166136261u;
    h = (h ^ np) * 16777619u;
    for (uint32_t i = 0; i < np; i++)
        h = (h ^ params[i]) * 16777619u;
    h = (h ^ nr) * 16777619u;
    for (uint32_t i = 0; i < nr; i++)
        h = (h ^ results[i]) * 16777619u;
    return h;
}

/* Doubles the bucket array (or creates it) and rehashes the live entries. */
static int grow_buckets(wasm_engine *e)
{
    uint32_t n = e->nbuckets ? e->nbuckets * 2 : 64;
    uint32_t *b = wasm_platform_alloc((size_t)n * sizeof(uint32_t));
    if (!b)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        b[i] = NO_ID;
    for (uint32_t id = 0; id < e->ntypes; id++) {
        struct wasm_type_entry *t = e->types[id];
        if (!t)
            continue;
        t->next = b[t->hash & (n - 1)];
        b[t->hash & (n - 1)] = id;
    }
    wasm_platform_free(e->buckets);
    e->buckets = b;
    e->nbuckets = n;
    return 0;
}

/* A fresh id: a recycled one, or the next one (growing the arrays). */
static int new_id(wasm_engine *e, uint32_t *id)
{
    if (e->nfree) {
        *id = e->free_ids[--e->nfree];
        return 0;
    }
    if (e->ntypes == e->cap_types) {
        uint32_t cap = e->cap_types ? e->cap_types * 2 : 64;
        struct wasm_type_entry **t = wasm_platform_realloc(e->types, (size_t)cap * sizeof(*t));
        if (!t)
            return -1;
        e->types = t;
        uint32_t *f = wasm_platform_realloc(e->free_ids, (size_t)cap * sizeof(uint32_t));
        if (!f)
            return -1;
        e->free_ids = f;
        e->cap_types = cap;
    }
    *id = e->ntypes++;
    e->types[*id] = NULL;
    return 0;
}

int wasm_engine_intern_type(wasm_engine *e, const uint8_t *params, uint32_t np,
                            const uint8_t *results, uint32_t nr, wasm_functype *out)
{
    uint32_t h = type_hash(params, np, results, nr);
    if (e->nbuckets) {
        for (uint32_t id = e->buckets[h & (e->nbuckets - 1)]; id != NO_ID; id = e->types[id]->next) {
            struct wasm_type_entry *t = e->types[id];
            if (t->hash == h && t->type.nparams == np && t->type.nresults == nr &&
                lib_memcmp(t->vals, params, np) == 0 &&
                lib_memcmp(t->vals + np, results, nr) == 0) {
                t->refs++;
                *out = t->type;
                return 0;
            }
        }
    }
    if ((e->live + 1) * 4 > e->nbuckets * 3 && grow_buckets(e) != 0)   /* load <= 3/4 */
        return -1;
    struct wasm_type_entry *t = wasm_platform_alloc(sizeof(*t) + (size_t)np + nr);
    if (!t)
        return -1;
    uint32_t id;
    if (new_id(e, &id) != 0) {
        wasm_platform_free(t);
        return -1;
    }
    if (np)
        lib_memcpy(t->vals, params, np);
    if (nr)
        lib_memcpy(t->vals + np, results, nr);
    t->type.id = id;
    t->type.nparams = np;
    t->type.nresults = nr;
    t->type.params = t->vals;
    t->type.results = t->vals + np;
    t->hash = h;
    t->refs = 1;
    t->next = e->buckets[h & (e->nbuckets - 1)];
    e->buckets[h & (e->nbuckets - 1)] = id;
    e->types[id] = t;
    e->live++;
    *out = t->type;
    return 0;
}

void wasm_engine_release_type(wasm_engine *e, uint32_t id)
{
    if (id >= e->ntypes || !e->types[id])
        return;
    struct wasm_type_entry *t = e->types[id];
    if (--t->refs)
        return;
    /* Unlink from its bucket, free it, and put the id up for reuse. */
    uint32_t *link = &e->buckets[t->hash & (e->nbuckets - 1)];
    while (*link != id)
        link = &e->types[*link]->next;
    *link = t->next;
    wasm_platform_free(t);
    e->types[id] = NULL;
    e->free_ids[e->nfree++] = id;
    e->live--;
}

const wasm_functype *wasm_engine_type(const wasm_engine *e, uint32_t id)
{
    if (id >= e->ntypes || !e->types[id])
        return NULL;
    return &e->types[id]->type;
}
