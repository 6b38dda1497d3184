/* kernel/irq.c: the device interrupt dispatcher over the PIC. */
#include "kernel/irq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/trap.h"

typedef struct irq_line {
    irq_fn *fn;
    void *arg;
    uint64_t count;
} irq_line;

static irq_line lines[IRQ_LINES];

static bool dispatch(trapframe *tf)
{
    int line = (int)tf->vector - PIC_VECTOR;
    /* Lines 7 and 15 also carry the PIC's spurious interrupts, which must
     * be neither handled nor acknowledged (the master still, for 15). */
    if (pic_spurious(line))
        return true;
    irq_line *l = &lines[line];
    l->count++;
    if (l->fn)
        l->fn(line, l->arg);
    pic_eoi(line);
    return true;
}

void irq_init(void)
{
    for (int line = 0; line < IRQ_LINES; line++)
        trap_set_handler(PIC_VECTOR + line, dispatch);
}

int irq_attach(int line, irq_fn *fn, void *arg)
{
    if (line < 0 || line >= IRQ_LINES || line == 2 || !fn)
        return -1;                  /* line 2 is the cascade */
    bool on = irq_save();
    int rc = -1;
    if (!lines[line].fn) {
        lines[line].fn = fn;
        lines[line].arg = arg;
        pic_unmask(line);
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
    pic_mask(line);
    lines[line].fn = 0;
    lines[line].arg = 0;
    irq_restore(on);
}

void irq_mask(int line)
{
    if (line >= 0 && line < IRQ_LINES && line != 2)
        pic_mask(line);
}

void irq_unmask(int line)
{
    if (line >= 0 && line < IRQ_LINES && line != 2 && lines[line].fn)
        pic_unmask(line);
}

uint64_t irq_count(int line)
{
    return line >= 0 && line < IRQ_LINES ? lines[line].count : 0;
}
