/* kernel/coral/wait.c: readiness of each kind of object, its list of
 * waiters, and the wait on several of them. A new kind that can be waited
 * on adds one case to wait_ready and one to wait_list. */
#include "kernel/coral/abi.h"
#include "kernel/coral/channel.h"
#include "kernel/coral/device.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/wait.h"

int32_t wait_ready(kobj *o)
{
    switch (o->kind) {
    case CORAL_KIND_CHANNEL:
        return chan_ready((const kchan *)o);
    case CORAL_KIND_COMPONENT:
        return ((const kcomponent *)o)->reclaimed;
    case CORAL_KIND_IRQ:
        kirq_arm(o);        /* waiting for it asks for the next one, as irq_wait does */
        return kirq_ready(o);
    case CORAL_KIND_CONSOLE:
        return sys_console_ready();
    default:
        return CORAL_EKIND;
    }
}

sys_waitlist *wait_list(kobj *o)
{
    switch (o->kind) {
    case CORAL_KIND_CHANNEL:
        return &((kchan *)o)->waiters;
    case CORAL_KIND_COMPONENT:
        return &((kcomponent *)o)->waiters;
    case CORAL_KIND_IRQ:
        return &((kirq *)o)->waiters;
    case CORAL_KIND_CONSOLE:
        return sys_console_waitlist();
    default:
        return NULL;
    }
}

int32_t wait_any(kobj *const *objs, uint32_t count, uint64_t deadline_ns, kcomponent *self)
{
    if (count > CORAL_WAIT_MAX)
        return CORAL_EINVAL;
    /* One link per object (the same object twice gets two), and one for
     * the kill: only a change of one of them signals this waiter, which
     * then rechecks all of them (cheap at 64 at most). Registered before
     * the first check, so nothing that happens after it is missed. */
    sys_waiter w;
    sys_waitlink links[CORAL_WAIT_MAX + 1];
    sys_waiter_init(&w);
    for (uint32_t i = 0; i < count; i++) {
        sys_waitlist *l = wait_list(objs[i]);
        if (!l) {
            sys_waiter_done(&w);
            return CORAL_EKIND;
        }
        sys_waiter_add(&w, &links[i], l);
    }
    comp_watch_stop(self, &w, &links[count]);
    int32_t rc;
    for (;;) {
        for (uint32_t i = 0; i < count; i++)
            if (wait_ready(objs[i]) > 0) {
                rc = (int32_t)i;
                goto out;
            }
        if (deadline_ns && sys_time_ns() >= deadline_ns) {
            rc = CORAL_ETIMEDOUT;
            break;
        }
        if (self && comp_must_stop(self)) {
            rc = CORAL_ESTATE;
            break;
        }
        sys_wait_event(&w, deadline_ns);
    }
out:
    sys_waiter_done(&w);
    return rc;
}
