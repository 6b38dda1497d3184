/* kernel/kwasm.h: the engine inside the kernel. kernel/kwasm.c implements
 * wasm/platform.h on the kernel's heap, virtual regions and threads; the
 * functions below are what the rest of the kernel uses on top of it.
 *
 * Compiled Wasm code runs on kernel threads (stacks of THREAD_STACK_WASM:
 * the engine keeps 128 KiB of each stack for host calls and interrupt
 * frames). It is the only code the timer preempts asynchronously: the tick
 * asks kwasm_tick whether it interrupted Wasm code. A fault at one of its
 * trap sites becomes a Wasm trap (kernel/arch/x86_64/kwasm_arch.c); any
 * other fault stays a kernel panic. */
#ifndef KERNEL_KWASM_H
#define KERNEL_KWASM_H

#include <stdint.h>
#include <stdbool.h>

struct thread;
struct trapframe;

/* Whether `va` lies in a Wasm memory's reservation but not in a committed
 * page: the guard region, or the part memory.grow has not reached. */
bool kwasm_guard(uint64_t va);

/* Called on every timer tick with the interrupted state (interrupts off).
 * Returns whether it interrupted compiled Wasm code, which may then be
 * preempted; a pending kill of the current thread is carried out here. */
bool kwasm_tick(struct trapframe *tf);

/* Asks thread `t` to stop running Wasm: its current (or next) call into
 * Wasm ends with the trap "killed", even in a loop without calls. A thread
 * switched out in Wasm code by the tick is redirected at once; otherwise
 * the next tick that finds it in Wasm code does it. The request stays
 * until kwasm_kill_clear. */
void kwasm_kill(struct thread *t);
void kwasm_kill_clear(struct thread *t);

/* Called by the scheduler just before switching from prev to next
 * (interrupts off): the engine's per-thread state follows the CPU. */
void kwasm_switch(struct thread *prev, struct thread *next);

/* Frees the engine's state of a thread that has exited. */
void kwasm_thread_free(struct thread *t);

/* For backtraces: "NAME+0xOFF" of the compiled Wasm function holding pc
 * (or the engine's stubs) into buf; false if pc is not compiled code. */
bool kwasm_describe(uint64_t pc, char *buf, unsigned long cap);

/* Code regions registered (compiled modules plus the engine's stubs). */
int kwasm_code_regions(void);

#endif
