/* kernel/arch/x86_64/kwasm_entry.S: where a frame redirected by
 * kwasm_redirect resumes (after iretq, on the interrupted stack): it
 * pushes the interrupted pc (rsi), as if the faulting instruction had
 * called the trap stub, and jumps to the stub (rax) with the trap kind
 * already in rdi. The stub discards every other register. */

    .text
    .global kwasm_trap_entry
kwasm_trap_entry:
    pushq %rsi
    jmp *%rax
