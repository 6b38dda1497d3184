/* kernel/arch/x86_64/acpi.h: finding ACPI tables (for now only to learn
 * where the I/O APIC is and how ISA interrupts are wired to it). */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <stdint.h>

typedef struct __attribute__((packed)) acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_revision, creator, creator_revision;
} acpi_header;

/* The table with this signature ("APIC" for the MADT), mapped and with a
 * valid checksum, or NULL. */
const acpi_header *acpi_find(const char *signature);

#endif
