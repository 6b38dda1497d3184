/* host/spectest.h: the `spectest` module that the spec suite's scripts
 * import from: print functions, four globals, a table and a memory, made
 * with the engine's embedder API (wasm_func_new_host and friends). */
#ifndef HOST_SPECTEST_H
#define HOST_SPECTEST_H

#include <stddef.h>
#include "wasm/wasm.h"

typedef struct spectest spectest;

/* Creates every export it can. One the engine cannot make yet stays missing
 * (spectest_lookup says why), so scripts that do not need it still run. */
spectest *spectest_new(wasm_engine *engine);
void spectest_free(spectest *s);

/* Looks up export `name`. Returns 0 and fills `out`; -1 when there is no
 * such export (`why` says "unknown import"); -2 when the engine could not
 * make it (`why` gives the engine's message). */
int spectest_lookup(spectest *s, const char *name, size_t len, wasm_extern *out,
                    char *why, size_t whycap);

#endif
