/* kernel/kprintf.h: formatted output on the serial console (lib/fmt.h's
 * conversions; "\n" goes out as "\r\n"). */
#ifndef KERNEL_KPRINTF_H
#define KERNEL_KPRINTF_H

#include <stdarg.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

#endif
