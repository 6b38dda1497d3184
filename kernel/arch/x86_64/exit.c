/* kernel/arch/x86_64/exit.c: the exit protocol (see exit.h). */
#include "kernel/arch/x86_64/exit.h"
#include "kernel/arch/x86_64/cpu.h"

#define DEBUG_EXIT_PORT 0xf4

void arch_halt(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

void arch_exit(bool success)
{
    outl(DEBUG_EXIT_PORT, success ? EXIT_OK : EXIT_FAIL);
    arch_halt();
}
