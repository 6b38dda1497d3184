/* kernel/coral/wait.h: waiting on several handles at once (the `wait`
 * call): what "ready" means for each kind of object, and the wait itself.
 * Runs with the big lock held (kernel/coral/sys.h). */
#ifndef CORAL_WAIT_H
#define CORAL_WAIT_H

#include <stdint.h>
#include "kernel/coral/component.h"
#include "kernel/coral/kobj.h"

/* Whether `o` is ready: 1 or 0, or CORAL_EKIND for a kind nobody waits
 * on. A channel end is ready when recv would not block (a message is
 * queued, or the peer is closed); a component when component_wait would
 * return its status at once (it ended and was reclaimed). */
int32_t wait_ready(kobj *o);

/* The list of waiters of `o`, signaled whenever it may have become ready,
 * or NULL for a kind nobody waits on. */
sys_waitlist *wait_list(kobj *o);

/* Waits until one of objs[0..count-1] (each of a kind wait_ready knows;
 * the caller keeps them alive) is ready: the index of the first ready one,
 * or CORAL_ETIMEDOUT when the monotonic clock reaches `deadline_ns`
 * (0: no deadline) first, or CORAL_ESTATE when `self` (may be NULL) must
 * stop meanwhile (it is being killed or has exited); CORAL_EINVAL for
 * more than CORAL_WAIT_MAX objects. Checks once before it waits, so a
 * deadline in the past polls. Registers on each object's list (wait_list)
 * and on self's stop list, so only those objects' changes wake it. */
int32_t wait_any(kobj *const *objs, uint32_t count, uint64_t deadline_ns, kcomponent *self);

#endif
