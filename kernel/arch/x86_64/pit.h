/* kernel/arch/x86_64/pit.h: the legacy PIT (8254), used only as a reference
 * clock to calibrate the TSC and the local APIC timer. */
#ifndef ARCH_PIT_H
#define ARCH_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182

/* Starts a one-shot countdown of `us` microseconds (at most 54 ms) on
 * channel 2, which needs no interrupt. pit_read() latches and reads the
 * counter (it counts down at PIT_HZ). (Under QEMU the channel's output
 * bit in port 0x61 was seen to lag by milliseconds; the counter does not.) */
void pit_start(uint32_t us);
uint16_t pit_read(void);

#endif
