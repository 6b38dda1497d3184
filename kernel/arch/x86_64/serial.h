/* kernel/arch/x86_64/serial.h: the COM1 serial port, the kernel's console. */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H

void serial_init(void);
void serial_putc(char c);

#endif
