/* tests/programs/killread.c: gives reader.c (embedded) the console, lets
 * it block in console_read, kills it, and checks that waiting gives KILLED
 * quickly. Run as the first program, with input that stays open. */
#include <coral.h>
#include "reader_wasm.h"

void _start(void)
{
    int32_t v = coral_vma_create(sizeof reader_wasm);
    coral_vma_write(v, 0, reader_wasm, sizeof reader_wasm);
    int32_t m = coral_module_create(v, 0, sizeof reader_wasm);
    int32_t c = coral_component_create();
    int32_t console = CORAL_BOOT_CONSOLE;
    int32_t i = coral_component_add_instance(c, m, "reader", 6, &console, 1);
    if (m < 0 || c < 0 || i < 0 || coral_component_start(c, i, "_start", 6) < 0)
        coral_exit(1);
    coral_sleep(50 * 1000 * 1000);
    int64_t t0 = coral_time();
    if (coral_component_kill(c) != 0)
        coral_exit(2);
    int32_t st = coral_component_wait(c);
    int64_t dt = coral_time() - t0;
    if (!coral_status_killed(st))
        coral_exit(3);
    if (dt > 500 * 1000 * 1000)      /* woken from its wait, not at its end */
        coral_exit(4);
    coral_puts("killread: the child waiting for input was killed");
}
