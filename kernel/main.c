/* kernel/main.c: kmain, the first C code. boot.S calls it on the boot stack
 * in long mode, with the Multiboot magic (already checked) and the physical
 * address of the Multiboot information. */
#include "kernel/coral/kernel/userboot_kernel.h"
#include "kernel/demo.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "kernel/time.h"
#include "kernel/irq.h"
#include "kernel/thread.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/exit.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/tsc.h"
#include "tests/kernel/ktest.h"

static const char *region_type(uint32_t type)
{
    switch (type) {
    case 1: return "usable";
    case 3: return "ACPI reclaimable";
    case 4: return "ACPI NVS";
    case 5: return "bad";
    default: return "reserved";
    }
}

static void print_memory_map(void)
{
    for (int i = 0; i < boot.nregions; i++) {
        const boot_region *r = &boot.regions[i];
        if (r->len == 0)
            continue;
        kprintf("memory: %016lx-%016lx %s\n", r->base, r->base + r->len - 1, region_type(r->type));
    }
}

/* "Coral ...: 511 MiB of memory, booted in 12.345 ms" (reset to here,
 * by the TSC, which starts at 0 on reset). */
static void print_banner(uint64_t tsc_entry, uint64_t tsc_now)
{
    uint64_t us = tsc_to_ns(tsc_now) / 1000;
    uint64_t entry_us = tsc_to_ns(tsc_entry) / 1000;
    uint64_t mhz = tsc_hz() / 1000000;
    kprintf("Coral kernel: %lu MiB of memory, booted in %lu.%03lu ms (TSC %lu MHz)\n",
            boot_usable_bytes() >> 20, us / 1000, us % 1000, mhz);
    kprintf("boot: firmware and loader %lu.%03lu ms, kernel %lu.%03lu ms (TSC calibration included)\n",
            entry_us / 1000, entry_us % 1000, (us - entry_us) / 1000, (us - entry_us) % 1000);
}

void kmain(uint32_t magic, uint32_t info)
{
    (void)magic;
    uint64_t entry = rdtsc();
    serial_init();
    gdt_init();
    trap_init();
    boot_info_init(info);
    pmm_init();
    paging_init();
    vm_init();
    tsc_calibrate();
    time_init();
    irq_init();
    sched_init();
    sti();
    uint64_t now = rdtsc();
    kprintf("\n");
    print_memory_map();
    print_banner(entry, now);
    kprintf("cmdline: %s\n", boot.cmdline);

    char test[64];
    if (boot_arg("test", test, sizeof test))
        ktest_run(test);

    /* Programs given as Multiboot modules: userboot first, then the ones it
     * starts (docs/api.md, "Boot handles"). */
    if (boot.nmodules > 0)
        arch_exit(coral_userboot_run());

    /* No programs: show the engine in the kernel on two small modules. */
    if (!demo_run())
        arch_exit(false);
    kprintf("nothing to run yet: halting\n");
    arch_exit(true);
}
