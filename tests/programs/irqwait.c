/* tests/programs/irqwait.c: blocks in irq_wait on the interrupt object
 * its parent gave it as handle 0, for a line where nothing ever comes
 * (irqkill.c's child, which kills it there). */
#include <coral.h>

void _start(void)
{
    coral_puts("irqwait: waiting for an interrupt that never comes");
    int32_t rc = coral_irq_wait(0);
    coral_puts(rc < 0 ? "irqwait: irq_wait failed" : "irqwait: woke up (it must not)");
    coral_exit(1);
}
