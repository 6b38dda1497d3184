/* programs/drivers/hpet.c: reaches the HPET (the PC's high precision
 * event timer, registers at physical 0xfed00000) through a device VMA:
 * reads its capabilities, starts its main counter, checks that it counts
 * at the rate it claims against coral_time, and stops it again. The
 * kernel does not use the HPET, so a driver may. Needs the root I/O
 * capability (boot argument `iocap`), from which it keeps a capability
 * for the HPET's 1 KiB of registers only. Lines it prints:
 *
 *   hpet: vendor 8086, revision 1, 3 timers, period 10000000 fs
 *   hpet: a 4-byte vma_read takes N ns
 *   hpet: the main counter ran N ticks in M us: rate ok
 *
 * Exit 0 when all went as expected, else the number of the failed step. */
#include <coral.h>
#include "line.h"

#define ROOT       0
#define HPET_BASE  0xfed00000ull
#define HPET_SIZE  0x400
#define REG_CAP    0x000    /* bits 0..7 revision, 8..12 timers - 1, 16..31 vendor, 32..63 period (fs) */
#define REG_CONFIG 0x010    /* bit 0: the main counter runs */
#define REG_COUNT  0x0f0    /* the main counter (64 bits) */

static int32_t regs;

static uint32_t rd(uint32_t off)
{
    uint32_t v;
    if (coral_vma_read(regs, off, &v, 4) != 4)
        coral_exit(10);
    return v;
}

static void wr(uint32_t off, uint32_t v)
{
    if (coral_vma_write(regs, off, &v, 4) != 4)
        coral_exit(11);
}

/* The counter's 64 bits, read high-low-high until the halves agree. */
static uint64_t counter(void)
{
    uint32_t hi, lo;
    do {
        hi = rd(REG_COUNT + 4);
        lo = rd(REG_COUNT);
    } while (rd(REG_COUNT + 4) != hi);
    return (uint64_t)hi << 32 | lo;
}

void _start(void)
{
    if (coral_handle_kind(ROOT) != CORAL_KIND_IOCAP) {
        coral_puts("hpet: no I/O capability in handle 0 (boot it with `iocap`)");
        coral_exit(1);
    }
    int32_t mem = coral_iocap_derive(ROOT, CORAL_IO_MEM, HPET_BASE, HPET_SIZE);
    coral_handle_close(ROOT);
    if (mem < 0)
        coral_exit(2);
    regs = coral_vma_device(mem, HPET_BASE, HPET_SIZE);
    if (regs < 0) {
        say("hpet: vma_device: error ");
        say_i(regs);
        say_end();
        coral_exit(3);
    }
    if (coral_vma_size(regs) != HPET_SIZE || coral_vma_device(mem, HPET_BASE, HPET_SIZE + 1) !=
        CORAL_EDENIED)
        coral_exit(4);

    uint32_t cap = rd(REG_CAP), period = rd(REG_CAP + 4);
    uint32_t vendor = cap >> 16, timers = ((cap >> 8) & 31) + 1;
    say("hpet: vendor ");
    say_x(vendor, 4);
    say(", revision ");
    say_u(cap & 0xff);
    say(", ");
    say_u(timers);
    say(" timers, period ");
    say_u(period);
    say(" fs");
    say_end();
    /* No device there reads as all ones; the period is at most 100 ns. */
    if (cap == 0xffffffffu || vendor == 0 || period == 0 || period > 100000000u)
        coral_exit(5);

    /* What a register read costs, call included. */
    int64_t r0 = coral_time();
    for (int i = 0; i < 1000; i++)
        rd(REG_CAP);
    say("hpet: a 4-byte vma_read takes ");
    say_u((uint64_t)(coral_time() - r0) / 1000);
    say(" ns");
    say_end();

    uint32_t config = rd(REG_CONFIG);
    wr(REG_CONFIG, config | 1);
    /* Each counter read between two clock reads: a stall of the emulator
     * between a counter read and a clock read then widens the outer
     * interval instead of making the rate look wrong. */
    int64_t t0a = coral_time();
    uint64_t c0 = counter();
    int64_t t0b = coral_time();
    coral_sleep(20 * 1000 * 1000);
    int64_t t1a = coral_time();
    uint64_t c1 = counter();
    int64_t t1b = coral_time();
    wr(REG_CONFIG, config & ~1u);
    uint64_t ticks = c1 - c0, us = (uint64_t)(t1a - t0b) / 1000;
    uint64_t outer_us = (uint64_t)(t1b - t0a) / 1000;
    /* The ticks' worth in microseconds lies between the inner and the
     * outer interval, give or take 25% (the clocks of an emulator). */
    uint64_t tick_us = ticks * period / 1000000000ull;
    int ok = tick_us * 4 >= us * 3 && tick_us * 4 <= outer_us * 5;
    say("hpet: the main counter ran ");
    say_u(ticks);
    say(" ticks in ");
    say_u(us);
    say(" us");
    say(ok ? ": rate ok" : ": NOT ok");
    say_end();
    if (!ok)
        coral_exit(6);
    coral_handle_close(regs);
}
