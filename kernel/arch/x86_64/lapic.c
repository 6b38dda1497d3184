/* kernel/arch/x86_64/lapic.c: the local APIC through its MMIO page. */
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"

#define MSR_APIC_BASE 0x1b
#define REG_ID       0x020
#define REG_TPR      0x080
#define REG_EOI      0x0b0
#define REG_SVR      0x0f0
#define REG_LVT_TIMER 0x320
#define REG_INIT_COUNT 0x380
#define REG_CUR_COUNT  0x390
#define REG_DIVIDE   0x3e0
#define LVT_MASKED   (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define CAL_PIT_TICKS 11932          /* 10 ms */

static volatile uint32_t *regs;
static uint64_t timer_hz;

static uint32_t rd(uint32_t reg) { return regs[reg / 4]; }
static void wr(uint32_t reg, uint32_t v) { regs[reg / 4] = v; }

/* Timer counts in CAL_PIT_TICKS of the PIT (read from its counter, which
 * unlike its output bit keeps time under QEMU). */
static uint64_t calibrate(void)
{
    wr(REG_DIVIDE, 0x3);                      /* divide by 16 */
    wr(REG_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    pit_start(50000);
    uint16_t c0 = pit_read();
    wr(REG_INIT_COUNT, 0xffffffff);
    uint16_t c;
    do {
        c = pit_read();
    } while ((uint16_t)(c0 - c) < CAL_PIT_TICKS && c <= c0);
    uint32_t left = rd(REG_CUR_COUNT);
    uint16_t elapsed = (uint16_t)(c0 - c);
    wr(REG_INIT_COUNT, 0);
    return (uint64_t)(0xffffffffu - left) * PIT_HZ / elapsed;
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
    /* Take the median of three calibrations. */
    uint64_t a = calibrate(), b = calibrate(), c = calibrate();
    timer_hz = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
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
