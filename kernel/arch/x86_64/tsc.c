/* kernel/arch/x86_64/tsc.c: TSC calibration. We count TSC ticks across a
 * few 5 ms stretches of the PIT's counter; conversions use a 32.32 fixed-point factor so that
 * no division (and no 128-bit division helper) is needed at run time. */
#include "kernel/arch/x86_64/tsc.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/arch/x86_64/calib.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/panic.h"
#include "kernel/kprintf.h"

#define CAL_TICKS 5966      /* 5 ms of PIT ticks */

static uint64_t hz;
static uint64_t ns_per_tick_32;     /* (1e9 << 32) / hz */
static uint64_t ticks_per_ns_32;    /* (hz << 32) / 1e9 */

/* One measurement of the TSC rate: read the PIT counter and the TSC at
 * the start and again once CAL_TICKS have passed. Both clocks run in real
 * time (under TCG too), so the host descheduling QEMU in the middle does no
 * harm; only the reads at the ends are uncertain, each bracketed by two TSC
 * reads. Returns 0 when the measurement failed. */
static uint64_t measure(uint64_t *ppm)
{
    pit_start(50000);
    uint64_t a = rdtsc();
    uint16_t c0 = pit_read();
    uint64_t b = rdtsc(), x, y, spins = 0;
    uint16_t c;
    do {
        x = rdtsc();
        c = pit_read();
        y = rdtsc();
        if (c > c0)
            return 0;       /* it wrapped: QEMU stalled for the whole countdown */
        if (++spins > 1000000 && c == c0)
            kpanic("tsc: the PIT does not count down (no PIT?)");
    } while (c0 - c < CAL_TICKS);
    uint64_t ticks = (x + y) / 2 - (a + b) / 2;
    *ppm = ((b - a) + (y - x)) * 1000000 / ticks;
    return ticks * PIT_HZ / (uint64_t)(c0 - c);
}

/* Two 5 ms measurements whose ends are known to 0.2% and agree. */
void tsc_calibrate(void)
{
    int tries, more;
    hz = calib_pick(measure, 2000, 12, &tries);
    if (!hz) {
        hz = calib_pick(measure, ~0ull, 32, &more);
        tries += more;
    }
    if (!hz)
        kpanic("tsc: no usable measurement against the PIT in %d tries", tries);
    kprintf("tsc: %lu Hz (%d tries)\n", hz, tries);
    ns_per_tick_32 = (1000000000ull << 32) / hz;
    ticks_per_ns_32 = (hz / 1000000000u << 32) + ((hz % 1000000000u) << 32) / 1000000000u;
}

uint64_t tsc_hz(void)
{
    return hz;
}

uint64_t tsc_to_ns(uint64_t ticks)
{
    return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32) >> 32);
}

uint64_t tsc_from_ns(uint64_t ns)
{
    return (uint64_t)(((unsigned __int128)ns * ticks_per_ns_32) >> 32);
}
