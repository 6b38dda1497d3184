/* kernel/time.h: the kernel's clocks. time_ns() is monotonic nanoseconds
 * since reset, from the TSC; the periodic tick (LAPIC_HZ) drives the
 * scheduler's time slices and sleeps. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

/* Sets up the PIC (masked), the local APIC and its calibrated timer, and
 * starts the tick. Interrupts stay off until the caller enables them. */
void time_init(void);

uint64_t time_ns(void);

/* Ticks since time_init. */
uint64_t time_ticks(void);

struct trapframe;

/* Called on each tick (by the scheduler) with the interrupted state. */
void time_set_tick_hook(void (*hook)(struct trapframe *tf));

#endif
