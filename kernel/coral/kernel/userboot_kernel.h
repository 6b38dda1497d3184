/* kernel/coral/kernel/userboot_kernel.h: starting the first program in the
 * kernel. */
#ifndef CORAL_USERBOOT_KERNEL_H
#define CORAL_USERBOOT_KERNEL_H

#include <stdbool.h>

/* When the loader gave Multiboot modules: starts the first one (userboot)
 * as the first component, with the boot handles of docs/api.md (the other
 * modules as VMAs), waits for it, prints how it ended and returns whether
 * it exited with 0. Without modules, returns false at once. */
bool coral_userboot_run(void);

#endif
