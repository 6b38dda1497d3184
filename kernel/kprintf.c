/* kernel/kprintf.c: the kernel's printf, on lib_vformat and the COM1 port.
 * Interrupts are held off while a message goes out so that lines from an
 * interrupt handler do not cut into another line. */
#include "kernel/kprintf.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/cpu.h"
#include "lib/fmt.h"

static void put(void *ctx, char c)
{
    (void)ctx;
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    bool on = irq_save();
    int n = lib_vformat(put, 0, fmt, ap);
    irq_restore(on);
    return n;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
