/* kernel/kconsole.c: console input. The UART's receive interrupt (ISA
 * line 4) moves bytes into a ring; console_read takes them out. When the
 * ring is full, further bytes are dropped and counted. QEMU holds back
 * what the guest's UART cannot take, so piped input is not lost while a
 * reader is slow, and serial_init keeps what the UART's FIFO already
 * holds. (QEMU may still read the very first byte of piped input before it
 * resets the machine, and that byte is gone: tests start their input with
 * newlines.) */
#include <stdint.h>
#include "kernel/kconsole.h"
#include "kernel/irq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/serial.h"

#define COM1_LINE 4
#define RING_SIZE 4096          /* a power of two */

static char ring[RING_SIZE];
static uint32_t head, tail;     /* head - tail bytes wait; written with interrupts off */
static uint64_t dropped;
static void (*notify_fn)(void);

/* Drains the UART completely: the line is edge-triggered through the I/O
 * APIC, so a byte left behind would never raise it again. */
static void rx_interrupt(int line, void *arg)
{
    (void)line;
    (void)arg;
    int c, got = 0;
    while ((c = serial_getc_nowait()) >= 0) {
        if (head - tail < RING_SIZE)
            ring[head++ & (RING_SIZE - 1)] = (char)c;
        else
            dropped++;
        got = 1;
    }
    if (got && notify_fn)
        notify_fn();
}

bool kconsole_input_init(void (*notify)(void))
{
    notify_fn = notify;
    if (irq_attach(COM1_LINE, rx_interrupt, 0) < 0)
        return false;
    serial_rx_enable();
    return true;
}

size_t kconsole_available(void)
{
    bool on = irq_save();
    size_t n = head - tail;
    irq_restore(on);
    return n;
}

size_t kconsole_read(char *buf, size_t cap)
{
    bool on = irq_save();
    size_t n = 0;
    while (n < cap && tail != head)
        buf[n++] = ring[tail++ & (RING_SIZE - 1)];
    irq_restore(on);
    return n;
}
