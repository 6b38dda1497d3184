/* tests/programs/irqkill.c: kills a component blocked in irq_wait and
 * checks the reclaim: it claims ISA line 5 (nothing is wired to it in
 * QEMU), hands the interrupt object to a child (irqwait.c, embedded) and
 * closes its own handle, so the child holds the line alone; the line is
 * then taken (CORAL_EBUSY) until the child is killed and reclaimed, and
 * free again after. Needs the root I/O capability (boot argument `iocap`).
 * Exits 0 when all went as expected, else the number of the failed step. */
#include <coral.h>
#include "irqwait_wasm.h"

#define ROOT 0
#define LINE 5

void _start(void)
{
    int32_t q = coral_irq_create(ROOT, LINE);
    if (q < 0)
        coral_exit(1);
    int32_t v = coral_vma_create(sizeof irqwait_wasm);
    coral_vma_write(v, 0, irqwait_wasm, sizeof irqwait_wasm);
    int32_t m = coral_module_create(v, 0, sizeof irqwait_wasm);
    int32_t c = coral_component_create();
    int32_t i = coral_component_add_instance(c, m, "irqwait", 7, &q, 1);
    if (m < 0 || c < 0 || i < 0 || coral_component_start(c, i, "_start", 6) < 0)
        coral_exit(2);
    coral_handle_close(q);
    coral_sleep(100 * 1000 * 1000);              /* it blocks in irq_wait */
    if (coral_irq_create(ROOT, LINE) != CORAL_EBUSY)
        coral_exit(3);
    int64_t t0 = coral_time();
    if (coral_component_kill(c) != 0)
        coral_exit(4);
    int32_t st = coral_component_wait(c);
    int64_t dt = coral_time() - t0;
    if (!coral_status_killed(st))
        coral_exit(5);
    if (dt > 500 * 1000 * 1000)                  /* woken from irq_wait, at once */
        coral_exit(6);
    q = coral_irq_create(ROOT, LINE);
    if (q < 0)
        coral_exit(7);
    coral_handle_close(q);
    coral_puts("irqkill: the child blocked in irq_wait was killed; line 5 is free again");
}
