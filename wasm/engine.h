/* wasm/engine.h: engine-wide state, chiefly the canonical function-type
 * registry: every distinct function type (parameter and result lists) gets
 * one small integer id, the same in every module and instance of the engine,
 * so a call_indirect signature check or an import type check compares one
 * integer. Ids are dense from 0 and never reused while the engine lives. */
#ifndef WASM_ENGINE_H
#define WASM_ENGINE_H

#include <stdint.h>
#include "wasm/module.h"

struct wasm_engine {
    /* The registry: types[id] for each canonical id, and an open-addressing
     * hash table of ids (UINT32_MAX: empty slot). */
    wasm_functype **types;
    uint32_t ntypes, cap_types;
    uint32_t *hash;
    uint32_t hash_cap;           /* a power of two, or 0 */

    /* Owned by the back end (helper tables, code allocator...); released by
     * wasm_backend_engine_free (backend.h). */
    void *backend;
};

/* Finds or adds the type (params) -> (results); fills *out with its
 * canonical form (pointers into the registry). Returns 0, or -1 when out of
 * memory. */
int wasm_engine_intern_type(wasm_engine *engine,
                            const uint8_t *params, uint32_t nparams,
                            const uint8_t *results, uint32_t nresults,
                            wasm_functype *out);

/* The type with canonical id `id`, or NULL. */
const wasm_functype *wasm_engine_type(const wasm_engine *engine, uint32_t id);

#endif
