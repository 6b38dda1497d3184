/* kernel/arch/x86_64/tsc.h: the time-stamp counter, calibrated against the
 * PIT at boot; the kernel's clock counts in TSC ticks and converts to ns.
 * (Under QEMU TCG the guest TSC runs at the host's TSC rate.) */
#ifndef ARCH_TSC_H
#define ARCH_TSC_H

#include <stdint.h>

void tsc_calibrate(void);

/* Ticks per second, as measured. */
uint64_t tsc_hz(void);

/* Converts a tick count to nanoseconds, and back. */
uint64_t tsc_to_ns(uint64_t ticks);
uint64_t tsc_from_ns(uint64_t ns);

#endif
