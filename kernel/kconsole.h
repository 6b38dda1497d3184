/* kernel/kconsole.h: console input, the bytes typed on the serial line,
 * for the `coral` module's console_read. Output goes through kprintf. */
#ifndef KERNEL_KCONSOLE_H
#define KERNEL_KCONSOLE_H

#include <stddef.h>
#include <stdbool.h>

/* Takes the UART's interrupt line and turns input on; `notify` runs (in
 * the interrupt) whenever bytes arrive. False if the line is taken. */
bool kconsole_input_init(void (*notify)(void));

/* Received bytes waiting to be read. */
size_t kconsole_available(void);

/* Moves up to `cap` received bytes to buf; returns how many (0: none yet). */
size_t kconsole_read(char *buf, size_t cap);

#endif
