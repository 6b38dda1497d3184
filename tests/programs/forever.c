/* tests/programs/forever.c: sleeps forever, a second at a time (killer.c's
 * child). */
#include <coral.h>

void _start(void)
{
    coral_puts("forever: going to sleep");
    for (;;)
        coral_sleep(1000 * 1000 * 1000);
}
