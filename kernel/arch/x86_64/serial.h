/* kernel/arch/x86_64/serial.h: the COM1 serial port, the kernel's console. */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H

void serial_init(void);
void serial_putc(char c);
/* Input: turn on the receive interrupt (ISA line 4); take one received
 * byte, or -1 when none waits. */
void serial_rx_enable(void);
int serial_getc_nowait(void);

#endif
