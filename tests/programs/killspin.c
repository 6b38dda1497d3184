/* tests/programs/killspin.c: starts spin.c (embedded) as a child, lets it
 * spin, kills it and checks that waiting gives KILLED. Needs the engine to
 * interrupt compiled code (the kernel has it; the host engine not yet). */
#include <coral.h>
#include "spin_wasm.h"

void _start(void)
{
    int32_t v = coral_vma_create(sizeof spin_wasm);
    coral_vma_write(v, 0, spin_wasm, sizeof spin_wasm);
    int32_t m = coral_module_create(v, 0, sizeof spin_wasm);
    int32_t c = coral_component_create();
    int32_t i = coral_component_add_instance(c, m, "spin", 4, 0, 0);
    if (m < 0 || c < 0 || i < 0 || coral_component_start(c, i, "_start", 6) < 0)
        coral_exit(1);
    coral_sleep(50 * 1000 * 1000);
    if (coral_component_kill(c) != 0)
        coral_exit(2);
    if (!coral_status_killed(coral_component_wait(c)))
        coral_exit(3);
    coral_puts("killspin: the spinning child was killed");
}
