/* kernel/arch/x86_64/lapic.c: the local APIC through its MMIO page. */
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/tsc.h"
#include "kernel/arch/x86_64/calib.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"

#define MSR_APIC_BASE 0x1b
#define REG_ID       0x020
#define REG_TPR      0x080
#define REG_EOI      0x0b0
#define REG_SVR      0x0f0
#define REG_ICR_LO   0x300
#define REG_ICR_HI   0x310
#define REG_LVT_TIMER 0x320
#define REG_LVT_LINT0 0x350
#define REG_LVT_LINT1 0x360
#define REG_INIT_COUNT 0x380
#define REG_CUR_COUNT  0x390
#define REG_DIVIDE   0x3e0
#define LVT_MASKED   (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define CAL_MS 2

static volatile uint32_t *regs;
static uint64_t timer_hz;

static uint32_t rd(uint32_t reg) { return regs[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }

/* Timer counts per second, against the TSC (calibrated against the PIT
 * just before): counts over CAL_MS, with the start (writing the initial
 * count) and the end (reading the current count) each bracketed by two TSC
 * reads. */
static uint64_t measure(uint64_t *ppm)
{
    uint64_t window = tsc_hz() / 1000 * CAL_MS;
    wr(REG_DIVIDE, 0x3);                      /* divide by 16 */
    wr(REG_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    uint64_t a = rdtsc();
    wr(REG_INIT_COUNT, 0xffffffff);
    uint64_t b = rdtsc();
    while (rdtsc() - b < window)
        cpu_pause();
    uint64_t x = rdtsc();
    uint32_t left = rd(REG_CUR_COUNT);
    uint64_t y = rdtsc();
    wr(REG_INIT_COUNT, 0);
    uint64_t ticks = (x + y) / 2 - (a + b) / 2;
    *ppm = ((b - a) + (y - x)) * 1000000 / ticks;
    return (uint64_t)(0xffffffffu - left) * tsc_hz() / ticks;
}

void lapic_init(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[3] & (1 << 9)))
        kpanic("lapic: the CPU has no local APIC");
    uint64_t base = rdmsr(MSR_APIC_BASE);
    wrmsr(MSR_APIC_BASE, base | (1 << 11));   /* globally enabled */
    regs = paging_map_mmio(base & 0xfffff000, 4096);
    wr(REG_TPR, 0);
    wr(REG_SVR, (1 << 8) | LAPIC_SPURIOUS_VECTOR);
    /* Two 2 ms windows known to 0.2% that agree. */
    int tries;
    timer_hz = calib_pick(measure, 2000, 12, &tries);
    if (!timer_hz)
        kpanic("lapic: the timer could not be calibrated");
    kprintf("lapic: timer at %lu Hz (divided by 16), ticking at %d Hz\n", timer_hz, LAPIC_HZ);
}

void lapic_timer_start(void)
{
    wr(REG_DIVIDE, 0x3);
    wr(REG_LVT_TIMER, LVT_PERIODIC | LAPIC_TIMER_VECTOR);
    wr(REG_INIT_COUNT, (uint32_t)(timer_hz / LAPIC_HZ));
}

void lapic_timer_stop(void)
{
    wr(REG_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    wr(REG_INIT_COUNT, 0);
}

void lapic_eoi(void)
{
    wr(REG_EOI, 0);
}

uint64_t lapic_timer_hz(void)
{
    return timer_hz;
}

void lapic_self_nmi(void)
{
    wr(REG_ICR_HI, 0);
    wr(REG_ICR_LO, (1u << 18) | (4u << 8));     /* to self, delivery mode NMI */
}

void lapic_pic_passthrough(bool on)
{
    /* LINT0 carries the PIC's output; LINT1 is the NMI line. Firmware
     * often sets this "virtual wire" mode, but not always (qboot does not). */
    wr(REG_LVT_LINT0, on ? (7u << 8) : LVT_MASKED);   /* ExtINT */
    wr(REG_LVT_LINT1, 4u << 8);                         /* NMI */
}
