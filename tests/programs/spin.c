/* tests/programs/spin.c: an endless loop that makes no coral call after
 * its first line (killspin.c's child): only an interrupt of compiled code
 * can stop it. */
#include <coral.h>

volatile uint32_t counter;

void _start(void)
{
    coral_puts("spin: spinning");
    for (;;)
        counter++;
}
