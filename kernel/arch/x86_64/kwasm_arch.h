/* kernel/arch/x86_64/kwasm_arch.h: the CPU side of the engine in the
 * kernel: turning a fault in compiled Wasm code into a Wasm trap, making an
 * interrupted thread resume at the trap stub, and the CPU features the
 * compiler may use. */
#ifndef ARCH_KWASM_ARCH_H
#define ARCH_KWASM_ARCH_H

#include <stdint.h>
#include <stdbool.h>

struct trapframe;

/* Called by trap_dispatch for every CPU exception, before any handler:
 * a page fault in a Wasm memory's guard, a divide error or an invalid
 * opcode at a trap site of compiled code becomes that site's Wasm trap
 * (returns true; the frame now resumes at the trap stub). False for any
 * other fault, which stays the kernel's (a panic). */
bool kwasm_fault(struct trapframe *tf);

/* Makes `tf` resume as if the interrupted instruction had called `to`
 * with `arg` in rdi (the contract of wasm_fault_to_trap in
 * wasm/platform.h). The return address cannot be pushed from here: in
 * ring 0 the CPU's interrupt frame lies just below the interrupted rsp,
 * where the push would land. So the frame resumes at kwasm_trap_entry
 * (kwasm_entry.S), which pushes it and jumps. */
void kwasm_redirect(struct trapframe *tf, uintptr_t to, uint64_t arg);

#endif
