/* lib/string.c: memory and string functions for freestanding code (the
 * kernel and the engine). Plain loops; the memory ones move eight bytes
 * at a time. */
#include "lib/string.h"
#include <stdint.h>

/* Eight bytes at a time through __builtin_memcpy of a constant size
 * (one unaligned load or store, never a call), then the tail bytewise:
 * the kernel copies and clears whole buffers with these. */
static inline uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    __builtin_memcpy(&w, p, 8);
    return w;
}

static inline void store8(unsigned char *p, uint64_t w) { __builtin_memcpy(p, &w, 8); }

void *lib_memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (; n >= 8; n -= 8, d += 8, s += 8)
        store8(d, load8(s));
    while (n--)
        *d++ = *s++;
    return dst;
}

void *lib_memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return lib_memcpy(dst, src, n);
    /* d inside [s, s+n): copy from the end, each word loaded before the
     * store that may overlap it. */
    d += n;
    s += n;
    for (; n >= 8; n -= 8) {
        d -= 8;
        s -= 8;
        store8(d, load8(s));
    }
    while (n--)
        *--d = *--s;
    return dst;
}

void *lib_memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    uint64_t w = 0x0101010101010101ull * (unsigned char)c;
    for (; n >= 8; n -= 8, d += 8)
        store8(d, w);
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int lib_memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t lib_strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

size_t lib_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int lib_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int lib_strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char *lib_strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

size_t lib_strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = lib_strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        lib_memcpy(dst, src, n);
        dst[n] = 0;
    }
    return len;
}
