/* kernel/arch/x86_64/boot.S: the Multiboot 1 header and the 32-bit entry.
 *
 * The loader (QEMU's -kernel or GRUB) enters _start32 in 32-bit protected mode
 * with paging off, eax = the Multiboot magic and ebx = the physical address
 * of the Multiboot information. We check the magic and the CPU (reporting on
 * COM1 what is missing), build boot page tables, turn on long mode with
 * CR0.WP, EFER.NXE and SSE enabled, and jump to start64 in the higher half.
 *
 * The header uses the a.out kludge (flag bit 16): it gives the physical load
 * addresses itself, so both loaders take the ELF64 file as a flat image
 * (QEMU refuses a plain ELF64) and the same file keeps the symbols. */
#include "kernel/arch/x86_64/layout.h"

#define MB_MAGIC      0x1BADB002
#define MB_BOOT_MAGIC 0x2BADB002
#define MB_FLAGS      ((1 << 0) | (1 << 1) | (1 << 16))  /* aligned modules, memory map, a.out kludge */

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_FAILURE 0x11

#define PHYS(x) ((x) - KERNEL_VMA)

    .section .boot.header, "a"
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header             /* header_addr: .boot is linked at its physical address */
    .long _load_start_phys      /* load_addr */
    .long _load_end_phys        /* load_end_addr: end of the data in the file */
    .long _bss_end_phys         /* bss_end_addr: the loader zeroes up to here */
    .long _start32              /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .global _start32
_start32:
    cli
    cld
    mov %eax, %ebp              /* magic; ebx keeps the info pointer */

    /* Zero .bss ourselves (the boot stack and page tables live there):
     * not every loader honours bss_end_addr. */
    mov $PHYS(_bss_start), %edi
    mov $PHYS(_bss_end), %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb

    mov $PHYS(boot_stack_top), %esp
    call serial_init32

    cmp $MB_BOOT_MAGIC, %ebp
    je 1f
    mov $msg_magic, %esi
    call die32
1:
    push %ebx                   /* cpuid clobbers it */
    call check_cpu32
    pop %ebx
    call build_tables32

    mov %cr4, %eax
    or $(CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
    mov %eax, %cr4
    mov $PHYS(boot_pml4), %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $(EFER_LME | EFER_NXE), %eax
    wrmsr
    mov %cr0, %eax
    and $~CR0_EM, %eax
    or $(CR0_PE | CR0_MP | CR0_WP | CR0_PG), %eax
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode_low

/* Checks CPUID for what the kernel and the compiled Wasm code need; prints
 * every missing feature, then stops. Bits in edx: one per missing feature. */
check_cpu32:
    xor %edx, %edx
    /* CPUID itself: can we flip EFLAGS.ID? */
    pushfl
    pop %eax
    mov %eax, %ecx
    xor $(1 << 21), %eax
    push %eax
    popfl
    pushfl
    pop %eax
    push %ecx
    popfl
    xor %ecx, %eax
    jnz 1f
    mov $msg_nocpuid, %esi
    call die32
1:
    xor %edi, %edi              /* missing-feature bits */
    mov $1, %eax
    cpuid
    bt $9, %ecx                 /* SSSE3 */
    jc 2f
    or $4, %edi
2:  bt $19, %ecx                /* SSE4.1 */
    jc 3f
    or $8, %edi
3:  bt $23, %ecx                /* POPCNT */
    jc 4f
    or $16, %edi
4:  mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jae 5f
    or $3, %edi                 /* no extended leaf: no long mode, no NX */
    jmp 7f
5:  mov $0x80000001, %eax
    cpuid
    bt $29, %edx                /* long mode */
    jc 6f
    or $1, %edi
6:  bt $20, %edx                /* NX */
    jc 7f
    or $2, %edi
7:  test %edi, %edi
    jnz 8f
    ret
8:  mov $msg_missing, %esi
    call puts32
    mov $feature_names, %ebx
9:  test $1, %edi
    jz 10f
    mov (%ebx), %esi
    call puts32
10: add $4, %ebx
    shr $1, %edi
    jnz 9b
    mov $msg_nl, %esi
    call puts32
    jmp fail32

/* Identity map 4 GiB (used only until the jump to the higher half), the same
 * 4 GiB at DIRECT_MAP, and the first GiB at KERNEL_VMA, all with 2 MiB pages. */
build_tables32:
    mov $PHYS(boot_pd), %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax              /* present, writable, 2 MiB page */
    mov %eax, (%edi, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jne 1b
    mov $PHYS(boot_pdpt_low), %edi
    mov $PHYS(boot_pd) + 3, %eax
    mov %eax, 0(%edi)
    add $4096, %eax
    mov %eax, 8(%edi)
    add $4096, %eax
    mov %eax, 16(%edi)
    add $4096, %eax
    mov %eax, 24(%edi)
    mov $PHYS(boot_pdpt_high), %edi
    movl $PHYS(boot_pd) + 3, 510 * 8(%edi)
    mov $PHYS(boot_pml4), %edi
    movl $PHYS(boot_pdpt_low) + 3, 0(%edi)
    movl $PHYS(boot_pdpt_low) + 3, 256 * 8(%edi)
    movl $PHYS(boot_pdpt_high) + 3, 511 * 8(%edi)
    ret

serial_init32:
    mov $COM1 + 1, %dx
    xor %al, %al
    out %al, %dx                /* no interrupts */
    mov $COM1 + 3, %dx
    mov $0x80, %al
    out %al, %dx                /* DLAB on */
    mov $COM1 + 0, %dx
    mov $1, %al
    out %al, %dx                /* divisor 1: 115200 baud */
    mov $COM1 + 1, %dx
    xor %al, %al
    out %al, %dx
    mov $COM1 + 3, %dx
    mov $0x03, %al
    out %al, %dx                /* 8N1, DLAB off */
    mov $COM1 + 2, %dx
    mov $0xc7, %al
    out %al, %dx                /* FIFO on and cleared */
    mov $COM1 + 4, %dx
    mov $0x03, %al
    out %al, %dx                /* DTR, RTS */
    ret

/* Prints the NUL-terminated string at esi on COM1. */
puts32:
    push %eax
    push %edx
1:  lodsb
    test %al, %al
    jz 3f
    mov %al, %ah
    mov $COM1 + 5, %dx
2:  in %dx, %al
    test $0x20, %al
    jz 2b
    mov $COM1, %dx
    mov %ah, %al
    out %al, %dx
    jmp 1b
3:  pop %edx
    pop %eax
    ret

/* Prints the message at esi, asks QEMU to exit with a failure and halts
 * (on real hardware there is no debug-exit device). */
die32:
    push %esi
    mov $msg_prefix, %esi
    call puts32
    pop %esi
    call puts32
fail32:
    mov $DEBUG_EXIT_PORT, %dx
    mov $DEBUG_EXIT_FAILURE, %eax
    out %eax, %dx
1:  cli
    hlt
    jmp 1b

    .code64
long_mode_low:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $start64, %rax
    jmp *%rax

    .section .boot.data, "a"
    .align 16
boot_gdt:
    .quad 0
    .quad 0x00209a0000000000    /* 0x08: 64-bit code */
    .quad 0x0000920000000000    /* 0x10: data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt

msg_prefix:  .asciz "coral: cannot boot: "
msg_magic:   .asciz "not loaded by a Multiboot 1 loader (bad magic in eax)\r\n"
msg_nocpuid: .asciz "the CPU has no CPUID instruction\r\n"
msg_missing: .asciz "coral: cannot boot: the CPU lacks"
msg_nl:      .asciz "\r\n"
name_lm:     .asciz " long-mode"
name_nx:     .asciz " NX"
name_ssse3:  .asciz " SSSE3"
name_sse41:  .asciz " SSE4.1"
name_popcnt: .asciz " POPCNT"
    .align 4
feature_names:
    .long name_lm, name_nx, name_ssse3, name_sse41, name_popcnt

/* The 64-bit entry, in the higher half: drop the identity map (so that a
 * stray low pointer faults), switch to the boot stack's virtual address and
 * call kmain(magic, info_phys). rbp = 0 ends the backtrace. */
    .text
    .global start64
start64:
    movabs $boot_stack_top, %rsp
    movq $0, boot_pml4(%rip)
    mov %cr3, %rax
    mov %rax, %cr3
    mov %ebp, %edi
    mov %ebx, %esi
    xor %ebp, %ebp
    call kmain
1:  cli
    hlt
    jmp 1b

    .bss
    .align 4096
    .global boot_pml4
boot_pml4:      .space 4096
boot_pdpt_low:  .space 4096
boot_pdpt_high: .space 4096
boot_pd:        .space 4 * 4096     /* its last page becomes the boot stack's guard */
    .global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .space BOOT_STACK_SIZE
boot_stack_top:
