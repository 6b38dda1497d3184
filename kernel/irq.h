/* kernel/irq.h: device interrupt lines: the 16 ISA lines, through the I/O
 * APIC (or the legacy PIC when there is none). A line has at most one
 * handler; attaching unmasks it, detaching masks it. The dispatcher counts
 * the interrupt, calls the handler, then acknowledges it.
 *
 * A driver that runs elsewhere (a Wasm program, later, through irq_create
 * and irq_wait) uses the mask: its handler masks the line and wakes the
 * driver; the driver services the device, unmasks the line and waits again. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

#define IRQ_LINES 16

typedef void irq_fn(int line, void *arg);

/* Registers the dispatcher for every line (all masked). */
void irq_init(void);

/* 0, or -1 when the line does not exist or is taken. */
int irq_attach(int line, irq_fn *fn, void *arg);
void irq_detach(int line);

void irq_mask(int line);
void irq_unmask(int line);

/* Interrupts delivered on `line` so far (spurious ones not counted). */
uint64_t irq_count(int line);

#endif
