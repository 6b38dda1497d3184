/* kernel/arch/x86_64/exit.h: ending a run. Under QEMU the isa-debug-exit
 * device (port 0xf4) makes QEMU exit with (value << 1) | 1:
 *
 *   EXIT_OK   0x10 -> QEMU exits 33, which scripts/qemu-run turns into 0
 *   EXIT_FAIL 0x11 -> QEMU exits 35, which scripts/qemu-run turns into 1
 *
 * A triple fault makes QEMU (run with -no-reboot) exit 0, which therefore
 * never means success. On real hardware there is no such device: we halt. */
#ifndef ARCH_EXIT_H
#define ARCH_EXIT_H

#include <stdbool.h>

#define EXIT_OK   0x10
#define EXIT_FAIL 0x11

/* Stops the machine: success or failure. */
void arch_exit(bool success) __attribute__((noreturn));

/* Stops the CPU for good, with interrupts off. */
void arch_halt(void) __attribute__((noreturn));

#endif
