/* tests/kernel/ktest_wasm_fault.c: the divide-error and invalid-opcode
 * paths of kwasm_fault. The compiler checks divisors inline and calls the
 * trap stub for `unreachable`, so no compiled module raises #DE or #UD
 * today; these scenarios stand in for such code: a page of hand-assembled
 * x86-64 registered as a module's code with a table of two trap sites
 * (a `div` by zero, a `ud2`), entered through the engine's own entry
 * trampoline as wasm_func_call would. They use the engine's internal
 * headers for that. A fault in that code at an address that is not a
 * trap site must stay a kernel panic. */
#include "tests/kernel/ktest.h"
#include "kernel/kprintf.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "lib/string.h"
#include "wasm/compile.h"
#include "wasm/engine.h"
#include "wasm/platform.h"
#include "wasm/trap.h"

/* Two functions, 32 bytes apart:
 *   0: push rbp; mov rbp, rsp; xor ecx, ecx; mov eax, 7; xor edx, edx;
 *  13: div ecx; pop rbp; ret
 *  32: push rbp; mov rbp, rsp; 36: ud2; pop rbp; ret
 *  48: push rbp; mov rbp, rsp; 52: ud2 (not a trap site); pop rbp; ret */
static const uint8_t code_bytes[] = {
    0x55, 0x48, 0x89, 0xe5, 0x31, 0xc9, 0xb8, 0x07, 0x00, 0x00, 0x00, 0x31, 0xd2,
    0xf7, 0xf1, 0x5d, 0xc3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x55, 0x48, 0x89, 0xe5, 0x0f, 0x0b, 0x5d, 0xc3, 0, 0, 0, 0, 0, 0, 0, 0,
    0x55, 0x48, 0x89, 0xe5, 0x0f, 0x0b, 0x5d, 0xc3,
};

static wasm_trap_site sites[] = {
    { 13, WASM_TRAP_DIV_ZERO },
    { 36, WASM_TRAP_UNREACHABLE },
};

static uint32_t func_start[] = { 0, 32, 48 };

/* Runs the function at `off` of the fake module; returns the trap kind
 * (WASM_TRAP_NONE if it returned) and the message. */
static wasm_trap_kind run(wasm_backend_engine *be, uint8_t *code, uint32_t off, wasm_error *err)
{
    uint64_t ctx[8] = { 0 };                  /* memory base 0: r14 = 0 */
    wasm_thread *t = wasm_thread_get();
    wasm_entry rec = { 0 };
    rec.prev = t->limits.entry;
    t->limits.entry = &rec;
    int trapped = ((wasm_entry_fn)be->entry)(code + off, ctx, 0, 0, &rec, &t->limits);
    t->limits.entry = rec.prev;
    if (!trapped)
        return WASM_TRAP_NONE;
    wasm_trap_message(&rec, err);
    return rec.trap;
}

static bool fault_scenario(bool stray)
{
    wasm_engine *engine = wasm_engine_new();
    wasm_error err;
    wasm_backend_engine *be = engine ? wasm_backend_engine_get(engine, &err) : 0;
    KTEST_CHECK(be);
    uint8_t *code = wasm_platform_reserve(4096);
    KTEST_CHECK(code && wasm_platform_commit(code, 4096) == 0);
    lib_memcpy(code, code_bytes, sizeof code_bytes);
    KTEST_CHECK(wasm_platform_protect_exec(code, 4096) == 0);
    wasm_compiled fake = {
        .tag = OWNER_MODULE, .refs = 1, .eng = be, .code = code, .code_size = sizeof code_bytes,
        .mapped = 4096, .func_start = func_start, .nfuncs = 3, .sites = sites, .nsites = 2,
    };
    KTEST_CHECK(wasm_platform_code_register(code, 4096, &fake) == 0);

    if (stray) {
        kprintf("fault: ud2 at offset 52, not a trap site\n");
        run(be, code, 48, &err);
        return ktest_fail("the stray ud2 did not panic");
    }
    wasm_trap_kind k = run(be, code, 0, &err);
    kprintf("fault: div by zero at a trap site: %s\n", k ? err.message : "returned");
    KTEST_CHECK(k == WASM_TRAP_DIV_ZERO);
    k = run(be, code, 32, &err);
    kprintf("fault: ud2 at a trap site: %s\n", k ? err.message : "returned");
    KTEST_CHECK(k == WASM_TRAP_UNREACHABLE);
    /* Interrupts are on again after the trap (the handler's iretq). */
    KTEST_CHECK(read_rflags() & RFLAGS_IF);

    wasm_platform_code_unregister(code);
    wasm_platform_release(code, 4096);
    wasm_engine_free(engine);
    return true;
}

/* On a thread with a Wasm-sized stack, like all Wasm code. */
static bool result;
static volatile bool done;
static waitq done_q;
static bool stray_case;

static void fault_thread(void *unused)
{
    (void)unused;
    result = fault_scenario(stray_case);
    bool on = irq_save();
    done = true;
    waitq_wake_all(&done_q);
    irq_restore(on);
}

static bool on_thread(bool stray)
{
    stray_case = stray;
    waitq_init(&done_q);
    KTEST_CHECK(thread_create("faults", fault_thread, 0, THREAD_STACK_WASM));
    bool on = irq_save();
    while (!done)
        waitq_wait(&done_q, WAIT_FOREVER);
    irq_restore(on);
    return result;
}

bool ktest_wasm_fault_vectors(void)
{
    return on_thread(false);
}

bool ktest_wasm_fault_stray(void)
{
    return on_thread(true);
}
