/* kernel/arch/x86_64/tsc.c: TSC calibration. We count TSC ticks across a
 * 10 ms PIT countdown; conversions use a 32.32 fixed-point factor so that
 * no division (and no 128-bit division helper) is needed at run time. */
#include "kernel/arch/x86_64/tsc.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/panic.h"

#define CAL_US 10000

static uint64_t hz;
static uint64_t ns_per_tick_32;     /* (1e9 << 32) / hz */
static uint64_t ticks_per_ns_32;    /* (hz << 32) / 1e9 */

void tsc_calibrate(void)
{
    pit_start(CAL_US);
    uint64_t t0 = rdtsc();
    uint64_t spins = 0;
    while (!pit_expired())
        if (++spins > 100000000)
            kpanic("tsc: the PIT never counted down (no PIT?)");
    uint64_t ticks = rdtsc() - t0;
    hz = ticks * (1000000 / CAL_US);
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
