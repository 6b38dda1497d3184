/* kernel/arch/x86_64/lapic.h: the local APIC and its timer, calibrated
 * against the TSC (itself calibrated against the PIT), ticking periodically
 * at LAPIC_HZ on LAPIC_TIMER_VECTOR. */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define LAPIC_TIMER_VECTOR 0x40
#define LAPIC_SPURIOUS_VECTOR 0xff
#define LAPIC_HZ 1000

void lapic_init(void);

/* Starts the periodic tick (the handler must call lapic_eoi). */
void lapic_timer_start(void);
void lapic_timer_stop(void);
void lapic_eoi(void);

/* Lets the legacy PIC's interrupts through this CPU's local APIC (LINT0
 * as ExtINT), or blocks them when the I/O APIC is in use. */
void lapic_pic_passthrough(bool on);

/* Sends this CPU a non-maskable interrupt (for tests of the NMI path). */
void lapic_self_nmi(void);

/* Timer counts per second (after the divider), as calibrated. */
uint64_t lapic_timer_hz(void);

#endif
