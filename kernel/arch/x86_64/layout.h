/* kernel/arch/x86_64/layout.h: the kernel's virtual address layout, shared by
 * the assembly, the linker script and C.
 *
 *   0xffffffff80000000  KERNEL_VMA: the image, linked here (-mcmodel=kernel),
 *                       loaded at physical KERNEL_PHYS
 *   0xffff800000000000  DIRECT_MAP: all physical memory, phys + DIRECT_MAP
 *
 * Boot maps the first 4 GiB at 0 (for the switch to long mode), at DIRECT_MAP
 * and the first GiB at KERNEL_VMA, with 2 MiB pages; paging.c replaces this. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_PHYS 0x100000
#ifdef __ASSEMBLER__
#define KERNEL_VMA 0xffffffff80000000
#define DIRECT_MAP 0xffff800000000000
#else
#define KERNEL_VMA 0xffffffff80000000ull
#define DIRECT_MAP 0xffff800000000000ull
#endif

#define BOOT_STACK_SIZE 16384

#endif
