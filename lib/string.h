/* lib/string.h: memory and string functions for freestanding code.
 *
 * The names carry the lib_ prefix so that host builds (which also link libc)
 * never clash. The kernel additionally exports memcpy/memset/memmove/memcmp,
 * which the C compiler may call on its own, as thin wrappers around these. */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

void  *lib_memcpy(void *dst, const void *src, size_t n);
void  *lib_memmove(void *dst, const void *src, size_t n);
void  *lib_memset(void *dst, int c, size_t n);
int    lib_memcmp(const void *a, const void *b, size_t n);
size_t lib_strlen(const char *s);
size_t lib_strnlen(const char *s, size_t max);
int    lib_strcmp(const char *a, const char *b);
int    lib_strncmp(const char *a, const char *b, size_t n);
char  *lib_strchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (when size > 0);
 * returns strlen(src), as BSD strlcpy does. */
size_t lib_strlcpy(char *dst, const char *src, size_t size);

#endif
