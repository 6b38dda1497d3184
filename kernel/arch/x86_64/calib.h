/* kernel/arch/x86_64/calib.h: choosing a clock's rate from repeated
 * measurements against a reference (the TSC against the PIT, the local
 * APIC timer against the TSC). Under QEMU on a busy host any measurement
 * can catch a stall of milliseconds at one of its ends; each one therefore
 * reports how uncertain its ends were, and only precise ones count. */
#ifndef ARCH_CALIB_H
#define ARCH_CALIB_H

#include <stdint.h>

/* One measurement: the rate in Hz (0 when it failed), and in *ppm the
 * uncertainty of its ends relative to its length. */
typedef uint64_t calib_measure(uint64_t *ppm);

/* Measures until two measurements within `max_ppm` agree to 0.3%, and
 * returns their mean. After `max_tries`: the median of the precise ones,
 * else the least uncertain of the others, else 0. *tries gets the count. */
uint64_t calib_pick(calib_measure *measure, uint64_t max_ppm, int max_tries, int *tries);

#endif
