/* kernel/irq.c: the device interrupt dispatcher, over the I/O APIC when
 * ACPI describes one, else over the legacy PIC (`irq=pic` on the command
 * line forces the PIC). With the I/O APIC, the PIC stays masked and only
 * its spurious interrupts can still come; they are dropped. */
#include "kernel/irq.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/trap.h"
#include "lib/string.h"

typedef struct irq_line {
    irq_fn *fn;
    void *arg;
    uint64_t count;
} irq_line;

static irq_line lines[IRQ_LINES];
static bool use_ioapic;

static void hw_mask(int line)
{
    if (use_ioapic)
        ioapic_mask(line);
    else
        pic_mask(line);
}

static void hw_unmask(int line)
{
    if (use_ioapic)
        ioapic_unmask(line);
    else
        pic_unmask(line);
}

static bool dispatch(trapframe *tf)
{
    int line = (int)tf->vector - (use_ioapic ? IOAPIC_VECTOR : PIC_VECTOR);
    /* Lines 7 and 15 of the PIC also carry its spurious interrupts, which
     * must be neither handled nor acknowledged (the master still, for 15). */
    if (!use_ioapic && pic_spurious(line))
        return true;
    irq_line *l = &lines[line];
    l->count++;
    if (l->fn)
        l->fn(line, l->arg);
    if (use_ioapic)
        lapic_eoi();
    else
        pic_eoi(line);
    return true;
}

/* The masked PIC's stray interrupts while the I/O APIC is in use. */
static bool pic_stray(trapframe *tf)
{
    pic_spurious((int)tf->vector - PIC_VECTOR);
    return true;
}

void irq_init(void)
{
    char how[8];
    bool force_pic = boot_arg("irq", how, sizeof how) && lib_strcmp(how, "pic") == 0;
    use_ioapic = !force_pic && ioapic_init();
    lapic_pic_passthrough(!use_ioapic);
    for (int line = 0; line < IRQ_LINES; line++) {
        trap_set_handler(PIC_VECTOR + line, use_ioapic ? pic_stray : dispatch);
        if (use_ioapic)
            trap_set_handler(IOAPIC_VECTOR + line, dispatch);
    }
    kprintf("irq: device interrupts through the %s\n", use_ioapic ? "I/O APIC" : "PIC");
}

int irq_attach(int line, irq_fn *fn, void *arg)
{
    if (line < 0 || line >= IRQ_LINES || line == 2 || !fn)
        return -1;                  /* line 2 is the PIC's cascade */
    bool on = irq_save();
    int rc = -1;
    if (!lines[line].fn) {
        lines[line].fn = fn;
        lines[line].arg = arg;
        hw_unmask(line);
        rc = 0;
    }
    irq_restore(on);
    return rc;
}

void irq_detach(int line)
{
    if (line < 0 || line >= IRQ_LINES || line == 2)
        return;
    bool on = irq_save();
    hw_mask(line);
    lines[line].fn = 0;
    lines[line].arg = 0;
    irq_restore(on);
}

void irq_mask(int line)
{
    if (line >= 0 && line < IRQ_LINES && line != 2)
        hw_mask(line);
}

void irq_unmask(int line)
{
    if (line >= 0 && line < IRQ_LINES && line != 2 && lines[line].fn)
        hw_unmask(line);
}

uint64_t irq_count(int line)
{
    return line >= 0 && line < IRQ_LINES ? lines[line].count : 0;
}
