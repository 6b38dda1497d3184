/* programs/examples/trap.c: a program that traps. The kernel reports the
 * trap (its kind, the function `crash_here` by name, a backtrace) and
 * whoever waits gets a TRAPPED status; the rest of the system goes on. */
#include <coral.h>

/* noinline: keep the function (and its name) in the backtrace. */
__attribute__((noinline)) static void crash_here(void)
{
    __builtin_trap();
}

void _start(void)
{
    coral_puts("trap: about to trap in crash_here");
    crash_here();
    coral_puts("trap: still running (this line must not appear)");
}
