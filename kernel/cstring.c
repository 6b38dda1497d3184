/* kernel/cstring.c: memcpy, memmove, memset and memcmp under their C names.
 * The compiler may emit calls to them on its own (struct copies, large
 * initializers) even in freestanding code; they forward to lib/string.h. */
#include "lib/string.h"

void *memcpy(void *dst, const void *src, size_t n) { return lib_memcpy(dst, src, n); }
void *memmove(void *dst, const void *src, size_t n) { return lib_memmove(dst, src, n); }
void *memset(void *dst, int c, size_t n) { return lib_memset(dst, c, n); }
int memcmp(const void *a, const void *b, size_t n) { return lib_memcmp(a, b, n); }
