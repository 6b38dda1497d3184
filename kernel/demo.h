/* kernel/demo.h: what a boot without programs (no Multiboot modules)
 * shows: the kernel compiles and runs two small Wasm modules. */
#ifndef KERNEL_DEMO_H
#define KERNEL_DEMO_H

#include <stdbool.h>

/* Compiles kernel/demo/hello.wat's module and runs it on a thread, then
 * kernel/demo/trap.wat's, whose trap is reported. False if something
 * other than that trap went wrong. */
bool demo_run(void);

#endif
