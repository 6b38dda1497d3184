/* tests/programs/reader.c: waits for console input on handle 0 (given by
 * its parent) and never gets any (killread.c's child). */
#include <coral.h>

void _start(void)
{
    char buf[16];
    coral_puts("reader: waiting for input");
    while (coral_console_read(0, buf, sizeof buf) > 0) {
    }
    coral_exit(9);      /* the end of input: the run gave it none to read */
}
