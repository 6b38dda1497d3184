/* tests/kernel/ktest_time.c: scenarios for the clock, the local APIC tick
 * and device IRQs through the PIC. Tolerances are wide: QEMU under TCG on a
 * loaded host delivers ticks late and now and then drops some. */
#include "tests/kernel/ktest.h"
#include "kernel/kprintf.h"
#include "kernel/time.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/tsc.h"

static void wait_ns(uint64_t ns)
{
    uint64_t end = time_ns() + ns;
    while (time_ns() < end)
        hlt();              /* the tick wakes us */
}

bool ktest_timer(void)
{
    KTEST_CHECK(read_rflags() & RFLAGS_IF);
    uint64_t t0 = time_ns(), k0 = time_ticks();
    wait_ns(200 * 1000000ull);
    uint64_t t1 = time_ns(), k1 = time_ticks();
    uint64_t ms = (t1 - t0) / 1000000;
    kprintf("timer: %lu ticks in %lu ms of TSC time\n", k1 - k0, ms);
    KTEST_CHECK(ms >= 200);
    /* 1 kHz: about one tick per ms; a loaded host may make QEMU drop some. */
    KTEST_CHECK(k1 - k0 >= ms / 4 && k1 - k0 <= ms * 3 / 2 + 10);
    /* Monotonic and fine-grained. */
    uint64_t prev = time_ns();
    for (int i = 0; i < 10000; i++) {
        uint64_t now = time_ns();
        KTEST_CHECK(now >= prev);
        prev = now;
    }
    return true;
}

static volatile uint64_t irq0_count;

static bool on_irq0(trapframe *tf)
{
    (void)tf;
    irq0_count++;
    pic_eoi(0);
    return true;
}

/* A device IRQ through the PIC: the PIT's channel 0 at 1 kHz on line 0. */
bool ktest_pic(void)
{
    trap_set_handler(PIC_VECTOR + 0, on_irq0);
    uint16_t count = PIT_HZ / 1000;
    outb(0x43, 0x34);                   /* channel 0, lo/hi, mode 2 (rate) */
    outb(0x40, count & 0xff);
    outb(0x40, count >> 8);
    pic_unmask(0);
    uint64_t t0 = time_ns();
    wait_ns(100 * 1000000ull);
    pic_mask(0);
    uint64_t ms = (time_ns() - t0) / 1000000, n = irq0_count;
    kprintf("pic: %lu IRQ 0 interrupts in %lu ms\n", n, ms);
    KTEST_CHECK(n >= ms / 4 && n <= ms * 3 / 2 + 10);
    /* Masked: no more. */
    wait_ns(20 * 1000000ull);
    KTEST_CHECK(irq0_count == n);
    trap_set_handler(PIC_VECTOR + 0, 0);
    return true;
}
