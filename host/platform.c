/* host/platform.c: the Linux side of wasm/platform.h. */
#include <stdlib.h>
#include "wasm/platform.h"

void *wasm_platform_alloc(size_t size)
{
    return malloc(size ? size : 1);
}

void *wasm_platform_calloc(size_t count, size_t size)
{
    return calloc(count ? count : 1, size ? size : 1);
}

void *wasm_platform_realloc(void *ptr, size_t size)
{
    return realloc(ptr, size ? size : 1);
}

void wasm_platform_free(void *ptr)
{
    free(ptr);
}
