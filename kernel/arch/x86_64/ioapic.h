/* kernel/arch/x86_64/ioapic.h: the I/O APIC, found through the ACPI MADT,
 * for the 16 ISA interrupt lines (with the MADT's overrides: on a PC the
 * timer's line 0 arrives on GSI 2). Each line is routed, masked, to vector
 * IOAPIC_VECTOR + line on this CPU; the local APIC takes the EOI. */
#ifndef ARCH_IOAPIC_H
#define ARCH_IOAPIC_H

#include <stdbool.h>

#define IOAPIC_VECTOR 0x30

/* Finds and programs the I/O APIC; false when there is none (or no MADT). */
bool ioapic_init(void);
void ioapic_mask(int line);
void ioapic_unmask(int line);

#endif
