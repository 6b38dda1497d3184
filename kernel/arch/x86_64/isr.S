/* kernel/arch/x86_64/isr.S: the entry for every interrupt and exception.
 *
 * 256 stubs, 16 bytes apart (so trap.c can compute their addresses), each
 * pushes a zero in place of an error code when the CPU pushes none, then the
 * vector number, and jumps to trap_common. trap_common saves every general
 * register into a trapframe (trap.h) and calls trap_dispatch(frame). A fake
 * stack frame {rbp, rip} of the interrupted code is pushed first, so that a
 * backtrace taken inside a handler continues into the interrupted code. */

    .text
    .align 16
    .global isr_stubs
isr_stubs:
    .set vec, 0
    .rept 256
    .align 16
    .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
    pushq $0
    .endif
    pushq $vec
    jmp trap_common
    .set vec, vec + 1
    .endr

    .global trap_common, trap_return
trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    mov %rsp, %rdi              /* the trapframe */
    pushq 17 * 8(%rsp)          /* fake frame: interrupted rip ... */
    pushq 8 * 8 + 8(%rsp)       /* ... and rbp */
    mov %rsp, %rbp
    call trap_dispatch
    add $16, %rsp
trap_return:
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    add $16, %rsp               /* vector and error code */
    iretq
