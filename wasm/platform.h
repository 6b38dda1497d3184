/* wasm/platform.h: everything the engine needs from its surroundings, and
 * nothing more. Implemented twice: host/platform.c (Linux) and the kernel.
 *
 * This first cut covers allocation; the back end adds virtual memory
 * (reserve/commit/protect), per-thread engine state, the code-region
 * registry, stack bounds and guard-region queries here. */
#ifndef WASM_PLATFORM_H
#define WASM_PLATFORM_H

#include <stddef.h>

/* General-purpose allocation. wasm_platform_alloc returns NULL on failure;
 * wasm_platform_free(NULL) does nothing. */
void *wasm_platform_alloc(size_t size);
void *wasm_platform_calloc(size_t count, size_t size);
void *wasm_platform_realloc(void *ptr, size_t size);
void wasm_platform_free(void *ptr);

#endif
