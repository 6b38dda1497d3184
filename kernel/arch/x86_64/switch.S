/* kernel/arch/x86_64/switch.S: the context switch between kernel threads.
 *
 * switch_context(uint64_t *save_rsp, uint64_t new_rsp) pushes the callee-saved
 * registers on the current stack, stores rsp in *save_rsp, loads new_rsp and
 * pops the other thread's registers: returning resumes that thread where it
 * called switch_context (or, for a new thread, at thread_start). Everything
 * else (caller-saved registers, flags, SIMD state) is the C caller's business.
 *
 * A new thread's stack holds, from its saved rsp up: r15 r14 r13 r12 rbx rbp
 * (all zero but r12 = the thread), then the address of thread_start. */

    .text
    .global switch_context
switch_context:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/* First code of every thread: rbp is 0 (the end of its backtraces). */
    .global thread_start
thread_start:
    movq %r12, %rdi
    call thread_main
    ud2
