/* kernel/arch/x86_64/tsc.c: TSC calibration. We count TSC ticks across a
 * few 5 ms stretches of the PIT's counter; conversions use a 32.32 fixed-point factor so that
 * no division (and no 128-bit division helper) is needed at run time. */
#include "kernel/arch/x86_64/tsc.h"
#include "kernel/arch/x86_64/pit.h"
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
 * reads, and `*slack` gets the total width of the brackets. Returns 0 when
 * the measurement failed. */
static uint64_t measure(uint64_t *slack)
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
    *slack = (b - a) + (y - x);
    uint64_t ticks = (x + y) / 2 - (a + b) / 2;
    return ticks * PIT_HZ / (uint64_t)(c0 - c);
}

/* The median of three measurements whose ends are known to within 0.2%
 * (up to 12 tries; then the best ones seen; more tries while none worked). Under a loaded host QEMU
 * stalls for milliseconds now and then, sometimes right at an end. */
void tsc_calibrate(void)
{
    uint64_t good[3], worst_ppm = 0, best = 0, best_ppm = ~0ull;
    uint64_t window = (uint64_t)CAL_TICKS * 1000000 / PIT_HZ;     /* us */
    int ngood = 0, tries = 0;
    while ((ngood < 3 && tries < 12) || (ngood == 0 && best == 0 && tries < 100)) {
        uint64_t slack, rate = measure(&slack);
        tries++;
        if (rate < 1000000)
            continue;       /* failed (or absurd) */
        /* slack in ppm of the window: slack / (rate * window / 1e6) */
        uint64_t ppm = slack * 1000000 / (rate / 1000000 * window);
        if (ppm <= 2000) {
            good[ngood++] = rate;
            if (ppm > worst_ppm)
                worst_ppm = ppm;
        } else if (ppm < best_ppm) {
            best = rate;
            best_ppm = ppm;
        }
    }
    if (ngood == 0 && best == 0)
        kpanic("tsc: no usable measurement against the PIT in %d tries", tries);
    /* Fewer than three good ones: fill in with the best of the others. */
    while (ngood < 3) {
        good[ngood] = best ? best : good[0];
        if (best)
            worst_ppm = best_ppm;
        ngood++;
    }
    uint64_t a = good[0], b = good[1], c = good[2];
    hz = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
    kprintf("tsc: %lu Hz, ends within %lu ppm (%d tries)\n", hz, worst_ppm, tries);
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
