/* kernel/arch/x86_64/serial.c: a driver for the COM1 UART (16550), 115200
 * baud, 8N1. Output is polled and never waits for an interrupt, so a panic
 * can always print. Input, once enabled, raises ISA line 4 when bytes are
 * received; the handler (kernel/kconsole.c) drains them with
 * serial_getc_nowait. */
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/cpu.h"

#define COM1 0x3f8
#define LSR_DATA_READY 0x01    /* a received byte waits in RBR (or the FIFO) */
#define LSR_THR_EMPTY 0x20     /* transmit holding register (and FIFO) empty */
#define FIFO_SIZE 16

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB on to set the divisor */
    outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8 bits, no parity, one stop bit */
    /* FIFO on, the transmit side cleared but not the receive side: the
     * firmware (qboot, SeaBIOS) leaves the FIFO on, and QEMU may already
     * have put up to 16 bytes of piped input there. */
    outb(COM1 + 2, 0xc5);
    outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

/* Bytes that fit in the transmit FIFO without asking the UART again: one
 * line-status read per 16 bytes instead of one per byte (under QEMU each
 * port access is an exit to the emulator). */
static int room;

void serial_putc(char c)
{
    if (room == 0) {
        /* Bounded wait: with no UART present the line status reads 0xff. */
        for (int i = 0; i < 100000 && !(inb(COM1 + 5) & LSR_THR_EMPTY); i++)
            cpu_pause();
        room = FIFO_SIZE;       /* THR empty: the whole FIFO is free */
    }
    outb(COM1, (uint8_t)c);
    room--;
}

void serial_rx_enable(void)
{
    outb(COM1 + 2, 0x01);   /* FIFO stays on (not cleared), receive trigger at 1 byte */
    outb(COM1 + 4, 0x0b);   /* DTR, RTS, OUT2 (routes the interrupt) */
    outb(COM1 + 1, 0x01);   /* interrupt when received data is available */
}

int serial_getc_nowait(void)
{
    uint8_t lsr = inb(COM1 + 5);
    if (lsr == 0xff || !(lsr & LSR_DATA_READY))    /* 0xff: no UART there */
        return -1;
    return inb(COM1);
}
