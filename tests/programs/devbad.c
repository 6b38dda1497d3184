/* tests/programs/devbad.c: the device calls with bad arguments, in the
 * kernel, from a program holding the root I/O capability (boot argument
 * `iocap`): handles not open or of another kind, ports, lines and memory
 * outside a derived capability, a capability wider than its parent, the
 * kernel's own ports, lines and registers, RAM for vma_device, a line
 * taken twice. Each must get its documented error code (docs/api.md). It
 * also copies device registers into a plain VMA with vma_copy. Logs one
 * line per mismatch and exits with the number of mismatches. */
#include <coral.h>
#include "../../programs/drivers/line.h"

#define ROOT 0

static int bad;

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got == want)
        return;
    say("devbad: ");
    say(what);
    say(": got ");
    say_i(got);
    say(", want ");
    say_i(want);
    say_end();
    bad++;
}

void _start(void)
{
    int32_t v = coral_vma_create(64);
    expect("handle 0 is the root capability", coral_handle_kind(ROOT), CORAL_KIND_IOCAP);

    /* Handles: not open, another kind. */
    expect("io_read8 on a closed handle", coral_io_read8(40, 0x70), CORAL_EBADH);
    expect("io_read32 on a negative handle", coral_io_read32(-1, 0x70), CORAL_EBADH);
    expect("io_write8 on a VMA", coral_io_write8(v, 0x70, 0), CORAL_EKIND);
    expect("irq_create on a VMA", coral_irq_create(v, 5), CORAL_EKIND);
    expect("irq_wait on a capability", coral_irq_wait(ROOT), CORAL_EKIND);
    expect("irq_wait on a closed handle", coral_irq_wait(40), CORAL_EBADH);
    expect("vma_device on a VMA", coral_vma_device(v, 0xfed00000u, 4), CORAL_EKIND);
    expect("iocap_derive on a closed handle", coral_iocap_derive(40, CORAL_IO_PORTS, 0, 1),
           CORAL_EBADH);

    /* Derived capabilities: never more than the parent. */
    int32_t rtc = coral_iocap_derive(ROOT, CORAL_IO_PORTS, 0x70, 2);
    expect("derive ports 0x70..0x71", rtc >= 0, 1);
    expect("derive wider than the parent", coral_iocap_derive(rtc, CORAL_IO_PORTS, 0x70, 3),
           CORAL_EDENIED);
    expect("derive another kind", coral_iocap_derive(rtc, CORAL_IO_IRQ, 8, 1), CORAL_EDENIED);
    expect("derive kind 9", coral_iocap_derive(ROOT, 9, 0, 1), CORAL_EINVAL);
    expect("derive count 0", coral_iocap_derive(ROOT, CORAL_IO_PORTS, 0x70, 0), CORAL_EINVAL);
    expect("port outside a derived capability", coral_io_read8(rtc, 0x60), CORAL_EDENIED);
    expect("16-bit read half outside", coral_io_read16(rtc, 0x71), CORAL_EDENIED);
    expect("port 0x10000", coral_io_read8(ROOT, 0x10000), CORAL_EINVAL);
    expect("write8 of 0x100", coral_io_write8(rtc, 0x70, 0x100), CORAL_EINVAL);
    expect("read the CMOS data port", coral_io_read8(rtc, 0x71) >= 0, 1);

    /* The kernel's own ports, even with the root capability. */
    expect("the PIC's port", coral_io_read8(ROOT, 0x21), CORAL_EDENIED);
    expect("the PIT's port", coral_io_write8(ROOT, 0x43, 0x30), CORAL_EDENIED);
    expect("COM1, the console", coral_io_write8(ROOT, 0x3f8, 'x'), CORAL_EDENIED);
    expect("isa-debug-exit", coral_io_write32(ROOT, 0xf4, 0), CORAL_EDENIED);
    expect("a 32-bit read overlapping the slave PIC", coral_io_read32(ROOT, 0x9e), CORAL_EDENIED);

    /* Lines: the timer's and the cascade refused, a taken one busy. */
    int32_t lines = coral_iocap_derive(ROOT, CORAL_IO_IRQ, 5, 2);
    expect("irq_create line 0 (the timer)", coral_irq_create(ROOT, 0), CORAL_EDENIED);
    expect("irq_create line 2 (the cascade)", coral_irq_create(ROOT, 2), CORAL_EDENIED);
    expect("irq_create line 4 (the console)", coral_irq_create(ROOT, 4), CORAL_EDENIED);
    expect("irq_create line 16", coral_irq_create(ROOT, 16), CORAL_EINVAL);
    expect("irq_create line -1", coral_irq_create(ROOT, -1), CORAL_EINVAL);
    expect("irq_create outside a derived capability", coral_irq_create(lines, 7), CORAL_EDENIED);
    int32_t q = coral_irq_create(lines, 6);
    expect("irq_create line 6", q >= 0, 1);
    expect("its kind", coral_handle_kind(q), CORAL_KIND_IRQ);
    expect("io on an interrupt handle", coral_io_read8(q, 0x70), CORAL_EKIND);
    expect("derive from an interrupt handle", coral_iocap_derive(q, CORAL_IO_IRQ, 6, 1),
           CORAL_EKIND);
    expect("irq_create line 6 again", coral_irq_create(ROOT, 6), CORAL_EBUSY);
    int32_t q2 = coral_handle_dup(q);
    coral_handle_close(q);
    expect("still taken while a dup lives", coral_irq_create(ROOT, 6), CORAL_EBUSY);
    coral_handle_close(q2);
    q = coral_irq_create(ROOT, 6);
    expect("free after the last close", q >= 0, 1);
    coral_handle_close(q);

    /* Memory: RAM, the kernel's image and registers refused. */
    expect("vma_device over RAM at 2 MiB", coral_vma_device(ROOT, 0x200000, 4096), CORAL_EDENIED);
    expect("vma_device over the kernel image", coral_vma_device(ROOT, 0x100000, 4096),
           CORAL_EDENIED);
    expect("vma_device over page 0", coral_vma_device(ROOT, 0, 16), CORAL_EDENIED);
    expect("vma_device over the local APIC", coral_vma_device(ROOT, 0xfee00000u, 4096),
           CORAL_EDENIED);
    expect("vma_device over the I/O APIC", coral_vma_device(ROOT, 0xfec00000u, 4096),
           CORAL_EDENIED);
    expect("vma_device ending in the I/O APIC", coral_vma_device(ROOT, 0xfebff000u, 0x1001),
           CORAL_EDENIED);
    expect("vma_device size 0", coral_vma_device(ROOT, 0xfed00000u, 0), CORAL_EINVAL);
    expect("vma_device past 2^46", coral_vma_device(ROOT, 1ull << 46, 4096), CORAL_EINVAL);
    expect("vma_device with a port capability", coral_vma_device(rtc, 0xfed00000u, 4),
           CORAL_EDENIED);

    /* A device VMA: registers through vma_copy; not module bytes. */
    int32_t hpet = coral_vma_device(ROOT, 0xfed00000u, 0x400);
    expect("vma_device over the HPET", hpet >= 0, 1);
    uint32_t cap = 0, copied = 0;
    expect("vma_read of the HPET", coral_vma_read(hpet, 0, &cap, 4), 4);
    expect("vma_copy from the HPET", coral_vma_copy(hpet, v, 0, 8, 4), 4);
    expect("vma_read of the copy", coral_vma_read(v, 8, &copied, 4), 4);
    expect("the copy is the register", copied, cap);
    expect("vma_read past the end", coral_vma_read(hpet, 0x3fe, &cap, 4), CORAL_ERANGE);
    expect("module_create from a device VMA", coral_module_create(hpet, 0, 8), CORAL_EINVAL);
    coral_handle_close(hpet);

    if (bad == 0)
        coral_puts("devbad: every bad device call got its error code");
    coral_exit(bad);
}
