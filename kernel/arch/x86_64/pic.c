/* kernel/arch/x86_64/pic.c: remapping and masking the 8259 pair. */
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/cpu.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

void pic_init(void)
{
    /* ICW1-4: cascade, vectors PIC_VECTOR and PIC_VECTOR + 8, 8086 mode. */
    outb(PIC1_CMD, 0x11);
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, PIC_VECTOR);
    outb(PIC2_DATA, PIC_VECTOR + 8);
    outb(PIC1_DATA, 4);         /* slave on line 2 */
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, 1);
    outb(PIC2_DATA, 1);
    outb(PIC1_DATA, 0xff & ~(1 << 2));   /* all masked but the cascade */
    outb(PIC2_DATA, 0xff);
}

void pic_unmask(int line)
{
    uint16_t port = line < 8 ? PIC1_DATA : PIC2_DATA;
    outb(port, inb(port) & ~(1 << (line & 7)));
}

void pic_mask(int line)
{
    uint16_t port = line < 8 ? PIC1_DATA : PIC2_DATA;
    outb(port, inb(port) | (1 << (line & 7)));
}

void pic_eoi(int line)
{
    if (line >= 8)
        outb(PIC2_CMD, 0x20);
    outb(PIC1_CMD, 0x20);
}

/* The in-service register, through OCW3. */
static uint8_t in_service(uint16_t cmd)
{
    outb(cmd, 0x0b);
    return inb(cmd);
}

bool pic_spurious(int line)
{
    if (line == 7)
        return !(in_service(PIC1_CMD) & 0x80);
    if (line == 15 && !(in_service(PIC2_CMD) & 0x80)) {
        outb(PIC1_CMD, 0x20);
        return true;
    }
    return false;
}
