/* kernel/arch/x86_64/pic.h: the legacy 8259 PIC pair, for device IRQs
 * (lines 0-15 arrive as vectors PIC_VECTOR + line). Every line starts
 * masked; a driver unmasks the one it serves. The timer is the local APIC's. */
#ifndef ARCH_PIC_H
#define ARCH_PIC_H

#include <stdbool.h>

#define PIC_VECTOR 0x20

void pic_init(void);
void pic_unmask(int line);
void pic_mask(int line);
/* Acknowledges an interrupt from `line` (call before returning from it). */
void pic_eoi(int line);
/* Whether an interrupt on `line` (7 or 15) is the PIC's spurious one; for
 * 15 this acknowledges the master's cascade line. */
bool pic_spurious(int line);

#endif
