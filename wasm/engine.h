/* wasm/engine.h: engine-wide state, chiefly the canonical function-type
 * registry: every distinct function type (parameter and result lists) gets
 * one small integer id, the same in every module and instance of the engine,
 * so a call_indirect signature check or an import type check compares one
 * integer.
 *
 * Registry entries are reference counted: each module holds one reference
 * per type of its type section (released by wasm_module_free), and whoever
 * else keeps an id (a host function, say) takes its own with
 * wasm_engine_intern_type and gives it back with wasm_engine_release_type.
 * An id is recycled only once nobody holds it, so the registry's size is
 * bounded by the types alive, not by the modules ever loaded. */
#ifndef WASM_ENGINE_H
#define WASM_ENGINE_H

#include <stdint.h>
#include "wasm/module.h"

struct wasm_type_entry;              /* private to engine.c */

struct wasm_engine {
    /* The type registry: entries by id (NULL: a free id), free ids kept on
     * a stack for reuse, and a chained hash table of ids. */
    struct wasm_type_entry **types;
    uint32_t ntypes, cap_types;      /* ids handed out so far, capacity */
    uint32_t *free_ids;
    uint32_t nfree;
    uint32_t *buckets;               /* head id per bucket, UINT32_MAX: empty */
    uint32_t nbuckets;               /* a power of two, or 0 */
    uint32_t live;                   /* entries alive */

    /* Owned by the back end (helper tables, code allocator...); released by
     * wasm_backend_engine_free (backend.h). */
    void *backend;
};

/* Finds or adds the type (params) -> (results), takes a reference to it,
 * and fills *out with its canonical form (pointers into the registry).
 * Returns 0, or -1 when out of memory. */
int wasm_engine_intern_type(wasm_engine *engine,
                            const uint8_t *params, uint32_t nparams,
                            const uint8_t *results, uint32_t nresults,
                            wasm_functype *out);

/* Gives back one reference taken by wasm_engine_intern_type. */
void wasm_engine_release_type(wasm_engine *engine, uint32_t id);

/* The type with canonical id `id`, or NULL. */
const wasm_functype *wasm_engine_type(const wasm_engine *engine, uint32_t id);

#endif
