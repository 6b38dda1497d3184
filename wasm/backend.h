/* wasm/backend.h: what the front end calls in the back end. The front end
 * (engine.c) decodes and validates a module, then hands it over here unless
 * the embedder asked for WASM_MODULE_VALIDATE_ONLY. The back end replaces
 * the placeholders in wasm/stub.c. */
#ifndef WASM_BACKEND_H
#define WASM_BACKEND_H

#include "wasm/module.h"

/* Compiles a validated module; may attach its results to m->backend.
 * Returns 0, or non-zero with `err` filled in. On failure the front end
 * still calls wasm_backend_free(m), so a partial result must be freeable. */
int wasm_backend_compile(wasm_module *m, unsigned flags, wasm_error *err);

/* Releases m->backend (may be NULL). Called once by wasm_module_free. */
void wasm_backend_free(wasm_module *m);

/* Engine-wide back-end state: created lazily by the back end as it likes,
 * released by wasm_engine_free through this call (engine->backend may be
 * NULL). */
void wasm_backend_engine_free(wasm_engine *engine);

#endif
