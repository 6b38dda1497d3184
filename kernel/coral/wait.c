/* kernel/coral/wait.c: readiness of each kind of object, and the wait on
 * several of them. A new kind that can be waited on adds one case to
 * wait_ready. */
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
    default:
        return CORAL_EKIND;
    }
}

int32_t wait_any(kobj *const *objs, uint32_t count, uint64_t deadline_ns, kcomponent *self)
{
    /* There is one wait queue for everything (sys.h): every wake-up
     * rechecks all of them, which is cheap at 64 handles at most. */
    for (;;) {
        for (uint32_t i = 0; i < count; i++)
            if (wait_ready(objs[i]) > 0)
                return (int32_t)i;
        if (deadline_ns && sys_time_ns() >= deadline_ns)
            return CORAL_ETIMEDOUT;
        if (self && comp_must_stop(self))
            return CORAL_ESTATE;
        sys_wait(deadline_ns);
    }
}
