/* kernel/coral/kernel/sys_kernel.c: kernel/coral/sys.h in the kernel, over
 * the kernel heap, kernel threads, the scheduler's block and wake, and the
 * clock (the kernel core's kmalloc.h, thread.h, time.h).
 *
 * The big lock is empty: the kernel is not preemptible (only compiled Wasm
 * code is, and the coral module is kernel code), and on one CPU nothing
 * else runs between a check and the wait that follows it. SMP will need a
 * real lock here, dropped in sys_wait_event.
 *
 * Built only once the kernel has threads (mk/os.mk checks for
 * kernel/thread.h); the kernel links it with kernel/coral/ when it starts
 * userboot. */
#include "kernel/coral/abi.h"
#include "kernel/coral/sys.h"
#include "kernel/kconsole.h"
#include "kernel/irq.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/kwasm.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/multiboot.h"
#include "kernel/pmm.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"

void *sys_alloc(size_t size)
{
    return kzalloc(size ? size : 1);
}

void sys_free(void *ptr)
{
    kfree(ptr);
}

void sys_lock(void) { }
void sys_unlock(void) { }

/* ---- waiting ----
 * Interrupt handlers (console input, interrupt objects) call sys_wake, so
 * every change to a list and the check-then-block of sys_wait_event run
 * with interrupts off: a signal comes either before the check (which then
 * sees it and does not block) or while the thread is blocked (and wakes
 * it). Only interrupts can come in between on one CPU with a kernel that
 * is not preemptible. `sleeping` tells sys_wake that the thread is
 * blocked here and nowhere else; sched_wake ignores a thread that a time
 * out has made ready already. */

void sys_waiter_init(sys_waiter *w)
{
    w->links = 0;
    w->signaled = 0;
    w->sleeping = 0;
    w->sleeper = thread_current();
}

void sys_waiter_add(sys_waiter *w, sys_waitlink *link, sys_waitlist *list)
{
    bool on = irq_save();
    link->w = w;
    link->next = w->links;
    w->links = link;
    lib_list_push_back(&list->links, &link->node);
    irq_restore(on);
}

void sys_waiter_done(sys_waiter *w)
{
    bool on = irq_save();
    for (sys_waitlink *l = w->links; l; l = l->next)
        lib_list_remove(&l->node);
    w->links = 0;
    irq_restore(on);
}

void sys_wait_event(sys_waiter *w, uint64_t deadline_ns)
{
    bool on = irq_save();
    if (!w->signaled && (!deadline_ns || time_ns() < deadline_ns)) {
        w->sleeping = 1;
        sched_block(deadline_ns);
        w->sleeping = 0;
    }
    w->signaled = 0;
    irq_restore(on);
}

void sys_wake(sys_waitlist *list)
{
    /* Most sends find nobody waiting: no need to turn interrupts off for
     * that. Lists change only in thread context, which is not running
     * now if this is a handler, and in no other thread while this one
     * runs, so the look is exact. */
    if (lib_list_empty(&list->links))
        return;
    bool on = irq_save();
    for (lib_list *n = list->links.next; n != &list->links; n = n->next) {
        sys_waiter *w = LIB_CONTAINER_OF(n, sys_waitlink, node)->w;
        w->signaled = 1;
        if (w->sleeping)
            sched_wake((thread *)w->sleeper);
    }
    irq_restore(on);
}

uint64_t sys_time_ns(void)
{
    return time_ns();
}

void sys_yield(void)
{
    thread_yield();
}

sys_thread *sys_thread_start(void (*fn)(void *arg), void *arg)
{
    /* Component threads run Wasm: they get a Wasm-sized stack. */
    return (sys_thread *)thread_create("component", fn, arg, THREAD_STACK_WASM);
}

void sys_thread_kill(sys_thread *t)
{
    kwasm_kill((thread *)t);
}

void sys_console_write(const char *s, size_t len)
{
    kprintf("%.*s", (int)len, s);
}

/* Input is turned on by the first read: until a program asks, the UART
 * holds what is typed (and QEMU holds the rest). Its interrupt handler
 * signals the readers. */
static sys_waitlist console_readers = { { &console_readers.links, &console_readers.links } };

sys_waitlist *sys_console_waitlist(void) { return &console_readers; }

static void console_input(void)
{
    sys_wake(&console_readers);
}

/* 1: input on; -1: line 4 taken, so no input (the end, to readers). */
static int console_input_state(void)
{
    static int state;           /* 0: not yet */
    if (state == 0)
        state = kconsole_input_init(console_input) ? 1 : -1;
    return state;
}

int sys_console_ready(void)
{
    return console_input_state() < 0 || kconsole_available() > 0;
}

int sys_console_read(char *buf, size_t cap)
{
    if (console_input_state() < 0)
        return -1;
    return (int)kconsole_read(buf, cap);
}

/* ---- devices ----
 * What a capability grants, the kernel still refuses for the devices it
 * drives itself: a driver that reprogrammed the interrupt controller, the
 * timer or the console would take the kernel down with it. */

/* Ports of the kernel's devices, [first, last]. */
static const struct { uint16_t first, last; } kernel_ports[] = {
    { 0x20, 0x21 },     /* the master PIC */
    { 0x40, 0x43 },     /* the PIT (calibration, ktest) */
    { 0x61, 0x61 },     /* the PIT's channel-2 gate */
    { 0xa0, 0xa1 },     /* the slave PIC */
    { 0xf4, 0xf7 },     /* isa-debug-exit: how the kernel ends a QEMU run */
    { 0x3f8, 0x3ff },   /* COM1, the console */
};

static bool kernel_port(uint32_t port, int width)
{
    for (size_t i = 0; i < sizeof kernel_ports / sizeof kernel_ports[0]; i++)
        if (port <= kernel_ports[i].last && kernel_ports[i].first < port + (uint32_t)width)
            return true;
    return false;
}

int32_t sys_io_read(uint32_t port, int width, uint32_t *value)
{
    *value = 0;
    if (kernel_port(port, width))
        return CORAL_EDENIED;
    uint16_t p = (uint16_t)port;
    *value = width == 1 ? inb(p) : width == 2 ? inw(p) : inl(p);
    return 0;
}

int32_t sys_io_write(uint32_t port, int width, uint32_t value)
{
    if (kernel_port(port, width))
        return CORAL_EDENIED;
    uint16_t p = (uint16_t)port;
    if (width == 1)
        outb(p, (uint8_t)value);
    else if (width == 2)
        outw(p, (uint16_t)value);
    else
        outl(p, value);
    return 0;
}

/* Lines 0 (the PIT's, the timer), 2 (the PIC's cascade) and 4 (COM1's,
 * console input: kernel/kconsole.c takes it on the first console_read)
 * stay the kernel's; the others are free until a driver or the kernel
 * takes one. */
int32_t sys_irq_attach(int line, void (*fn)(int line, void *arg), void *arg)
{
    if (line == 0 || line == 2 || line == 4)
        return CORAL_EDENIED;
    bool on = irq_save();
    int rc = irq_attach(line, fn, arg);
    if (rc == 0)
        irq_mask(line);     /* irq_attach unmasks: masked until irq_wait */
    irq_restore(on);
    return rc == 0 ? 0 : CORAL_EBUSY;
}

void sys_irq_detach(int line) { irq_detach(line); }
void sys_irq_mask(int line) { irq_mask(line); }
void sys_irq_unmask(int line) { irq_unmask(line); }

extern char _bss_end_phys[];

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* The interrupt controllers' windows on a PC, the kernel's whether it
 * uses them or not (with `irq=pic` it does not even look for the I/O
 * APIC): the I/O APICs' and the local APIC's (where a write is also an
 * interrupt message). */
#define IOAPIC_WINDOW 0xfec00000ull
#define LAPIC_WINDOW  0xfee00000ull
#define WINDOW_SIZE   0x100000ull

/* Device memory is what the memory map does not call RAM: a range that
 * touches a region of any type but "reserved" (usable RAM, ACPI tables
 * and NVS, bad memory), the kernel's image, a boot module, the interrupt
 * controllers' windows, or registers the kernel maps for itself is
 * refused. Holes and reserved regions (firmware ROM, the HPET, PCI
 * memory, VGA memory) are allowed. */
int32_t sys_device_map(uint64_t phys, uint32_t size, uint8_t **out)
{
    *out = NULL;
    if (overlaps(phys, size, IOAPIC_WINDOW, WINDOW_SIZE) ||
        overlaps(phys, size, LAPIC_WINDOW, WINDOW_SIZE))
        return CORAL_EDENIED;
    for (int i = 0; i < boot.nregions; i++)
        if (boot.regions[i].type != 2 &&
            overlaps(phys, size, boot.regions[i].base, boot.regions[i].len))
            return CORAL_EDENIED;
    if (overlaps(phys, size, KERNEL_PHYS, (uint64_t)_bss_end_phys - KERNEL_PHYS))
        return CORAL_EDENIED;
    for (int i = 0; i < boot.nmodules; i++)
        if (overlaps(phys, size, boot.modules[i].start,
                     boot.modules[i].end - boot.modules[i].start))
            return CORAL_EDENIED;
    for (uint64_t p = phys & ~(PAGE_SIZE - 1); p < phys + size; p += PAGE_SIZE)
        if (pmm_managed(p))
            return CORAL_EDENIED;      /* never true after the checks above */
    if (paging_mmio_kernel(phys, size))
        return CORAL_EDENIED;
    int rc = paging_map_device(phys, size);
    if (rc == PAGING_ELIMIT)
        return CORAL_ELIMIT;
    if (rc < 0)
        return CORAL_ENOMEM;
    *out = phys_to_virt(phys);
    return 0;
}

void sys_device_unmap(uint64_t phys, uint32_t size)
{
    paging_unmap_device(phys, size);
}
