/* tests/kernel/ktest_coral.c: components in the kernel (kernel/coral/),
 * without userboot: after 10 warm-up rounds, 1,000 components that trap or
 * exit, created one after another (each on its own kernel thread), leave
 * the free frame count and the heap where they were. The modules are
 * tests/kernel/wasm/coral_*.wat, embedded at build time. */
#include "tests/kernel/ktest.h"
#include "kernel/coral/abi.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/sys.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/pmm.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "lib/string.h"

extern const unsigned char kwasm_mod_coral_trap[], kwasm_mod_coral_exit[];
extern const unsigned long kwasm_mod_coral_trap_len, kwasm_mod_coral_exit_len;

typedef struct churn {
    bool ok;
    volatile bool done;
    waitq q;
} churn;

static kmodule *compile(const unsigned char *bytes, unsigned long len)
{
    kmodule *m;
    wasm_error err;
    lib_memset(&err, 0, sizeof err);
    if (kmodule_new(bytes, len, &m) < 0)
        return 0;
    if (kmodule_compile(m, coral_engine(), 0, &err) < 0) {
        ktest_fail("module: %s", err.message);
        kobj_unref(&m->o);
        return 0;
    }
    return m;
}

/* One component of `m`, run to its end: its status, or a negative error. */
static int32_t run_one(kmodule *m)
{
    kcomponent *c;
    kinstance *ki;
    int32_t rc = comp_new(0, &c);
    if (rc < 0)
        return rc;
    rc = comp_add_instance(c, m, "churn", 5, 0, 0, &ki);
    if (rc >= 0)
        rc = comp_start(c, ki, "_start", 6);
    if (rc >= 0)
        rc = comp_wait(c, 0);
    kobj_unref(&c->o);
    return rc;
}

static bool churn_rounds(kmodule *trap, kmodule *exit, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        int32_t st = run_one(trap);
        if (st != (CORAL_STATUS_TRAPPED | CORAL_TRAP_UNREACHABLE))
            return ktest_fail("round %d: the trapping component ended with %d", i, (int)st);
        st = run_one(exit);
        if (st != (CORAL_STATUS_EXITED | 3))
            return ktest_fail("round %d: the exiting component ended with %d", i, (int)st);
    }
    return true;
}

static void churn_main(void *arg)
{
    churn *ch = arg;
    wasm_engine *engine = wasm_engine_new();
    coral_init(engine);
    sys_lock();
    kmodule *trap = compile(kwasm_mod_coral_trap, kwasm_mod_coral_trap_len);
    kmodule *exit = compile(kwasm_mod_coral_exit, kwasm_mod_coral_exit_len);
    ch->ok = trap && exit && churn_rounds(trap, exit, 10);
    thread_yield();                      /* let the last component's thread be reaped */
    uint64_t frames = pmm_free_count();
    kmalloc_stats heap = kmalloc_stats_get();
    uint64_t t0 = time_ns();
    if (ch->ok)
        ch->ok = churn_rounds(trap, exit, 500);
    uint64_t t1 = time_ns();
    thread_yield();
    uint64_t frames2 = pmm_free_count();
    kmalloc_stats heap2 = kmalloc_stats_get();
    kprintf("coral-reclaim: 1000 components in %lu ms (%lu us each, TCG): free frames %lu -> %lu, "
            "heap blocks %lu -> %lu, bytes %lu -> %lu\n",
            (t1 - t0) / 1000000, (t1 - t0) / 1000 / 1000, frames, frames2, heap.blocks,
            heap2.blocks, heap.bytes, heap2.bytes);
    if (ch->ok && (frames2 != frames || heap2.blocks != heap.blocks || heap2.bytes != heap.bytes))
        ch->ok = ktest_fail("the components did not give everything back");
    if (ch->ok && kobj_live(0) != 2)
        ch->ok = ktest_fail("%ld kernel objects left, expected the 2 modules", kobj_live(0));
    kobj_unref(trap ? &trap->o : 0);
    kobj_unref(exit ? &exit->o : 0);
    sys_unlock();
    bool on = irq_save();
    ch->done = true;
    waitq_wake_all(&ch->q);
    irq_restore(on);
}

bool ktest_coral_reclaim(void)
{
    churn ch;
    lib_memset(&ch, 0, sizeof ch);
    waitq_init(&ch.q);
    if (!thread_create("churn", churn_main, &ch, THREAD_STACK_WASM))
        return ktest_fail("no memory for a thread");
    bool on = irq_save();
    while (!ch.done)
        waitq_wait(&ch.q, WAIT_FOREVER);
    irq_restore(on);
    return ch.ok;
}
