/* kernel/arch/x86_64/pit.c: PIT channel 2 as a polled reference clock. Its
 * gate is wired to port 0x61 (bit 0). */
#include "kernel/arch/x86_64/pit.h"
#include "kernel/arch/x86_64/cpu.h"

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B  0x61

void pit_start(uint32_t us)
{
    uint32_t count = (uint32_t)((uint64_t)PIT_HZ * us / 1000000);
    if (count > 0xffff)
        count = 0xffff;
    outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);   /* gate on, speaker off */
    outb(PIT_CMD, 0xb0);                          /* ch 2, lo/hi byte, mode 0 */
    outb(PIT_CH2, count & 0xff);
    outb(PIT_CH2, count >> 8);                    /* counting starts now */
}


uint16_t pit_read(void)
{
    outb(PIT_CMD, 0x80);                          /* latch channel 2 */
    uint8_t lo = inb(PIT_CH2);
    uint8_t hi = inb(PIT_CH2);
    return (uint16_t)(lo | hi << 8);
}
