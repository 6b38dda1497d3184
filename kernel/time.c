/* kernel/time.c: the tick handler and the TSC clock. */
#include "kernel/time.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/tsc.h"

static volatile uint64_t ticks;
static void (*tick_hook)(trapframe *tf);

static bool on_tick(trapframe *tf)
{
    ticks++;
    lapic_eoi();
    if (tick_hook)
        tick_hook(tf);
    return true;
}

static bool on_spurious(trapframe *tf)
{
    (void)tf;
    return true;                /* no EOI for a spurious interrupt */
}

void time_init(void)
{
    pic_init();
    lapic_init();
    trap_set_handler(LAPIC_TIMER_VECTOR, on_tick);
    trap_set_handler(LAPIC_SPURIOUS_VECTOR, on_spurious);
    lapic_timer_start();
}

uint64_t time_ns(void)
{
    return tsc_to_ns(rdtsc());
}

uint64_t time_ticks(void)
{
    return ticks;
}

void time_set_tick_hook(void (*hook)(trapframe *tf))
{
    tick_hook = hook;
}
