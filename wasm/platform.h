/* wasm/platform.h: everything the engine needs from its surroundings, and
 * nothing more. Implemented twice: host/platform.c (Linux: malloc, mmap,
 * mprotect, signals) and the kernel.
 *
 * The engine never calls the OS directly. It asks the platform for:
 *   - allocation;
 *   - virtual memory: reserve address space, commit (make read/write),
 *     and flip code pages from writable to executable (W^X);
 *   - per-thread state: one pointer per thread that the engine owns (the
 *     kernel has no TLS, so no _Thread_local in the engine);
 *   - a registry of code regions, so that a program counter can be mapped
 *     back to the module (for traps and backtraces);
 *   - the bounds of the current thread's stack;
 *   - turning a hardware fault inside compiled code into a Wasm trap: the
 *     platform's fault handler asks the engine (wasm_fault_to_trap, defined
 *     by the engine) and, if the fault is the engine's, rewrites the saved
 *     state so that the trap stub runs, never unwinding from the handler. */
#ifndef WASM_PLATFORM_H
#define WASM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* General-purpose allocation. wasm_platform_alloc returns NULL on failure;
 * wasm_platform_free(NULL) does nothing. */
void *wasm_platform_alloc(size_t size);
void *wasm_platform_calloc(size_t count, size_t size);
void *wasm_platform_realloc(void *ptr, size_t size);
void wasm_platform_free(void *ptr);

/* ---- virtual memory ---- */

/* The page size used by the functions below (4096 on x86-64). */
size_t wasm_platform_page_size(void);

/* Reserves `size` bytes of address space, inaccessible, not backed by
 * memory. Returns NULL when address space is short. */
void *wasm_platform_reserve(size_t size);

/* Releases a whole reservation made by wasm_platform_reserve. */
void wasm_platform_release(void *base, size_t size);

/* Makes [addr, addr+size) of a reservation readable and writable, zeroed
 * when first committed. Page-aligned. Returns 0 or -1. */
int wasm_platform_commit(void *addr, size_t size);

/* Makes [addr, addr+size) inaccessible again (contents may be dropped). */
int wasm_platform_decommit(void *addr, size_t size);

/* Code pages: committed read/write for emission, then switched to
 * read+execute (never both writable and executable). */
int wasm_platform_protect_exec(void *addr, size_t size);

/* ---- per-thread state ---- */

/* The engine's pointer for the current thread (initially NULL), and where
 * to store it. The engine stores memory from wasm_platform_alloc there; the
 * platform frees it (wasm_platform_free) when the thread ends. The platform also gets the thread ready to run Wasm code the
 * first time this is called on a thread (on Linux: an alternate signal
 * stack and the fault handlers). */
void **wasm_platform_thread_slot(void);

/* The current thread's stack: lowest and highest usable addresses. Returns
 * 0, or -1 if unknown. */
int wasm_platform_stack_bounds(uintptr_t *lo, uintptr_t *hi);

/* ---- code regions ---- */

/* Registers [start, start+size) as compiled code owned by `owner` (the
 * engine's module record). Returns 0 or -1. */
int wasm_platform_code_register(const void *start, size_t size, void *owner);
void wasm_platform_code_unregister(const void *start);

/* The owner of the code region holding `pc`, or NULL. Safe to call from a
 * fault handler. */
void *wasm_platform_code_lookup(uintptr_t pc, uintptr_t *start);

/* ---- faults ---- */

/* Kinds of hardware fault the platform reports. */
enum {
    WASM_FAULT_MEMORY = 1,       /* page fault / SIGSEGV / SIGBUS */
    WASM_FAULT_ARITH = 2,        /* divide error / SIGFPE */
    WASM_FAULT_ILLEGAL = 3,      /* invalid opcode / SIGILL (ud2) */
};

/* Defined by the engine, called by the platform's fault handler with the
 * faulting instruction's address. Returns 0 when the fault is not the
 * engine's (the platform then passes it on). Otherwise returns the address
 * the handler must resume at, and sets *arg: the handler then (1) pushes
 * `pc` on the faulting stack as if `call` had been executed at `pc`,
 * (2) puts *arg in the first argument register (rdi) and (3) resumes at the
 * returned address. Async-signal-safe: no allocation, no locks. */
uintptr_t wasm_fault_to_trap(uintptr_t pc, uintptr_t fault_addr, int fault, uint64_t *arg);

/* Defined by the engine, for a platform that interrupts running Wasm code
 * (a kill request acted on from the timer, or on a thread switched out by
 * it). If `pc` lies in a module's compiled code, where a trap may be forced
 * at any instruction, returns the trap stub's address and sets *arg to
 * `kind` (a wasm_trap_kind, usually WASM_TRAP_KILLED); the caller then
 * proceeds as for wasm_fault_to_trap. Returns 0 elsewhere (the engine's own
 * stubs, C code): try again later. No allocation, no locks. */
uintptr_t wasm_interrupt_to_trap(uintptr_t pc, int kind, uint64_t *arg);

/* Defined by the engine, for the platform's diagnostics (a kernel panic's
 * backtrace): writes the name of the Wasm function whose compiled code
 * holds `pc` (an address inside an instruction: for a return address, pass
 * it minus 1) into buf, as "NAME+0xOFF" (NAME from the name section, or
 * func[N]), or "wasm stubs+0xOFF" for the engine's own code. Returns false
 * when `pc` is not compiled code. No allocation, no locks. */
bool wasm_describe_code(uintptr_t pc, char *buf, size_t cap);

/* CPU features the compiler may use, probed once (CPUID). */
enum {
    WASM_CPU_SSSE3 = 1 << 0,
    WASM_CPU_SSE41 = 1 << 1,
    WASM_CPU_POPCNT = 1 << 2,
    WASM_CPU_LZCNT = 1 << 3,     /* ABM: lzcnt */
    WASM_CPU_BMI1 = 1 << 4,      /* tzcnt */
    WASM_CPU_AVX = 1 << 5,
};
unsigned wasm_platform_cpu_features(void);

#endif
