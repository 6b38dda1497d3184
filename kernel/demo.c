/* kernel/demo.c: the demonstration of the engine in the kernel, for a boot
 * without programs (`make run` gives userboot and its programs instead).
 * Both modules are embedded at build time (mk/kwasm.mk) and run on a
 * kernel thread with a Wasm-sized stack; the second one's out-of-bounds
 * store faults on its memory's guard page and comes back as a trap. */
#include "kernel/demo.h"
#include "kernel/kprintf.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "wasm/wasm.h"

extern const unsigned char kwasm_mod_hello[], kwasm_mod_trap[];
extern const unsigned long kwasm_mod_hello_len, kwasm_mod_trap_len;

static bool first_output_seen;

/* demo.print(ptr, len): a line from the caller's memory, checked. */
static int print(wasm_caller *caller, uint64_t *slots)
{
    uint64_t size;
    uint8_t *mem = wasm_caller_memory(caller, &size);
    uint32_t ptr = (uint32_t)slots[0], len = (uint32_t)slots[1];
    if (!mem || ptr > size || len > size - ptr)
        return 1;
    uint64_t us = time_ns() / 1000;
    kprintf("%.*s\n", (int)len, (const char *)mem + ptr);
    if (!first_output_seen) {
        first_output_seen = true;
        kprintf("demo: first Wasm output %lu.%03lu ms after reset (TCG)\n", us / 1000, us % 1000);
    }
    return 0;
}

/* Compiles, instantiates and calls main(arg) (arg < 0: no argument). */
static int run(wasm_engine *e, const char *name, const unsigned char *bytes, unsigned long len,
               int arg, wasm_error *err)
{
    uint64_t t0 = time_ns();
    wasm_module *m = wasm_module_new(e, bytes, len, 0, err);
    if (!m)
        return -1;
    kprintf("demo: compiled %s (%lu bytes) in %lu us\n", name, len, (time_ns() - t0) / 1000);
    static const uint8_t params[] = { WASM_I32, WASM_I32 };
    wasm_func *host = wasm_func_new_host(e, params, 2, 0, 0, print, 0);
    wasm_extern imp = { .kind = WASM_EXTERN_FUNC, .of.func = host };
    wasm_instance *inst = host ? wasm_instance_new(m, &imp, wasm_module_import_count(m), err) : 0;
    wasm_func_free(host);
    int rc = -1;
    wasm_extern ex;
    if (inst && wasm_instance_export(inst, "main", 4, &ex) == 0 && ex.kind == WASM_EXTERN_FUNC) {
        wasm_val a = { .type = WASM_I32, .of.i32 = (uint32_t)arg };
        rc = wasm_func_call(ex.of.func, &a, arg < 0 ? 0 : 1, 0, 0, err);
    } else if (inst) {
        err->kind = WASM_ERR_LINK;
        err->message[0] = 0;
    }
    wasm_instance_free(inst);
    wasm_module_free(m);
    return rc;
}

static bool ok;
static volatile bool done;
static waitq done_q;

static void demo_thread(void *unused)
{
    (void)unused;
    wasm_engine *e = wasm_engine_new();
    wasm_error err;
    if (!e) {
        kprintf("demo: no memory for the engine\n");
    } else if (run(e, "hello.wasm", kwasm_mod_hello, kwasm_mod_hello_len, 90, &err) != 0) {
        kprintf("demo: hello.wasm failed: %s\n", err.message);
    } else if (run(e, "trap.wasm", kwasm_mod_trap, kwasm_mod_trap_len, -1, &err) == 0) {
        kprintf("demo: trap.wasm did not trap\n");
    } else if (err.kind != WASM_ERR_TRAP) {
        kprintf("demo: trap.wasm failed: %s\n", err.message);
    } else {
        kprintf("demo: trap.wasm trapped, the kernel goes on: %s\n", err.message);
        ok = true;
    }
    wasm_engine_free(e);
    bool on = irq_save();
    done = true;
    waitq_wake_all(&done_q);
    irq_restore(on);
}

bool demo_run(void)
{
    waitq_init(&done_q);
    if (!thread_create("demo", demo_thread, 0, THREAD_STACK_WASM)) {
        kprintf("demo: no memory for a thread\n");
        return false;
    }
    bool on = irq_save();
    while (!done)
        waitq_wait(&done_q, WAIT_FOREVER);
    irq_restore(on);
    return ok;
}
