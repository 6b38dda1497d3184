/* kernel/coral/kernel/userboot_kernel.c: the kernel starts userboot. The
 * Multiboot modules stay where the loader put them (reserved frames, read
 * through the direct map); the first is userboot, the others become its
 * boot modules. All of it runs on a thread with a Wasm-sized stack (the
 * compiler and the coral module are deep; the boot stack is 16 KiB). */
#include "kernel/coral/abi.h"
#include "kernel/coral/boot.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/kernel/userboot_kernel.h"
#include "kernel/coral/sys.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "kernel/thread.h"
#include "kernel/waitq.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "lib/string.h"

typedef struct run {
    int32_t status;             /* the component's, or a negative error */
    volatile bool done;
    waitq q;
} run;

static const uint8_t *module_bytes(const boot_module *m)
{
    return (const uint8_t *)(uintptr_t)(DIRECT_MAP + m->start);
}

/* Builds and starts userboot; big lock held. 0 and the component, or an
 * error (said on the console). */
static int32_t start(kcomponent **out)
{
    const boot_module *ub = &boot.modules[0];
    uint32_t nmods = (uint32_t)boot.nmodules - 1;
    coral_bootmod mods[BOOT_MAX_MODULES];
    for (uint32_t i = 0; i < nmods; i++) {
        const boot_module *m = &boot.modules[i + 1];
        mods[i].bytes = module_bytes(m);
        mods[i].size = (uint32_t)(m->end - m->start);
        mods[i].cmdline = m->cmdline;
    }
    wasm_error err;
    lib_memset(&err, 0, sizeof err);
    int32_t rc = coral_boot_start(module_bytes(ub), ub->end - ub->start, 0, "userboot", mods,
                                  nmods, &err, out);
    if (rc < 0 && err.message[0])
        kprintf("coral: userboot (%s): %s\n", ub->cmdline, err.message);
    else if (rc < 0)
        kprintf("coral: cannot start userboot: error %d\n", (int)rc);
    return rc;
}

static void run_main(void *arg)
{
    run *r = arg;
    wasm_engine *engine = wasm_engine_new();
    r->status = CORAL_ENOMEM;
    if (engine) {
        coral_init(engine);
        kcomponent *c;
        sys_lock();
        r->status = start(&c);
        if (r->status == 0) {
            r->status = comp_wait(c, NULL);
            kobj_unref(&c->o);
        }
        sys_unlock();
    }
    bool on = irq_save();
    r->done = true;
    waitq_wake_all(&r->q);
    irq_restore(on);
}

bool coral_userboot_run(void)
{
    if (boot.nmodules == 0)
        return false;
    run r;
    lib_memset(&r, 0, sizeof r);
    waitq_init(&r.q);
    kprintf("coral: starting userboot (%s) with %d boot modules\n", boot.modules[0].cmdline,
            boot.nmodules - 1);
    if (!thread_create("userboot", run_main, &r, THREAD_STACK_WASM)) {
        kprintf("coral: no memory for userboot's thread\n");
        return false;
    }
    bool on = irq_save();
    while (!r.done)
        waitq_wait(&r.q, WAIT_FOREVER);
    irq_restore(on);
    int32_t st = r.status;
    if (st < 0)
        kprintf("coral: userboot did not run (error %d)\n", (int)st);
    else if ((st & CORAL_STATUS_HOW) == CORAL_STATUS_EXITED)
        kprintf("coral: userboot exited with %d\n", st & CORAL_STATUS_DETAIL);
    else if ((st & CORAL_STATUS_HOW) == CORAL_STATUS_TRAPPED)
        kprintf("coral: userboot trapped\n");
    else
        kprintf("coral: userboot was killed\n");
    return st == (CORAL_STATUS_EXITED | 0);
}
