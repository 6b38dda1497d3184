/* lib/fmt.h: a printf-style formatter for freestanding code (no floating
 * point: the kernel is built without SSE for C code).
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with flags - 0 + space #,
 * a width and a precision (numbers or *), and the length modifiers
 * hh h l ll z t j. Unknown conversions are printed as they are. */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the output one character at a time. */
typedef void lib_putc_fn(void *ctx, char c);

/* Formats to `put`; returns the number of characters produced. */
int lib_vformat(lib_putc_fn *put, void *ctx, const char *fmt, va_list ap);
int lib_format(lib_putc_fn *put, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like C's snprintf: writes at most size-1 characters and a terminator,
 * and returns the length the whole output would have had. */
int lib_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int lib_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
