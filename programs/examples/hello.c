/* programs/examples/hello.c: the smallest Coral program in C. */
#include <coral.h>

void _start(void)
{
    coral_puts("hello from C");
}
