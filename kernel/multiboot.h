/* kernel/multiboot.h: what the boot loader told us (Multiboot 1), copied
 * into the kernel's own memory at boot: the command line, the memory map and
 * the modules (which stay where the loader put them). After the copy, the
 * loader's structures are free memory. */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 512

#define BOOT_MEM_USABLE 1   /* Multiboot type 1; anything else is reserved */

typedef struct boot_region {
    uint64_t base, len;
    uint32_t type;
} boot_region;

typedef struct boot_module {
    uint64_t start, end;            /* physical, end exclusive */
    char cmdline[128];
} boot_module;

typedef struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX];
    int nregions;
    boot_region regions[BOOT_MAX_REGIONS];
    int nmodules;
    boot_module modules[BOOT_MAX_MODULES];
} boot_info;

extern boot_info boot;

/* Copies the loader's information at physical address `info`. */
void boot_info_init(uint32_t info);

/* Total bytes of usable memory in the memory map. */
uint64_t boot_usable_bytes(void);

/* Finds `key=value` on the command line and copies the value into `buf`.
 * Returns false when the key is absent. */
bool boot_arg(const char *key, char *buf, size_t size);

#endif
