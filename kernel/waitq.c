/* kernel/waitq.c: wait queues on top of sched_block/sched_wake. A waiter
 * is on the queue through thread.link; a time-out takes it off (in the
 * scheduler's tick) and sets timed_out. */
#include "kernel/waitq.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/arch/x86_64/cpu.h"

void waitq_init(waitq *q)
{
    lib_list_init(&q->waiters);
}

bool waitq_wait(waitq *q, uint64_t timeout_ns)
{
    bool on = irq_save();
    thread *t = thread_current();
    t->waiting_on = q;
    lib_list_push_back(&q->waiters, &t->link);
    sched_block(timeout_ns == WAIT_FOREVER ? 0 : time_ns() + timeout_ns);
    bool woken = !t->timed_out;
    irq_restore(on);
    return woken;
}

int waitq_wake_one(waitq *q)
{
    bool on = irq_save();
    int n = 0;
    if (!lib_list_empty(&q->waiters)) {
        sched_wake(LIB_CONTAINER_OF(q->waiters.next, thread, link));
        n = 1;
    }
    irq_restore(on);
    return n;
}

int waitq_wake_all(waitq *q)
{
    bool on = irq_save();
    int n = 0;
    while (!lib_list_empty(&q->waiters)) {
        sched_wake(LIB_CONTAINER_OF(q->waiters.next, thread, link));
        n++;
    }
    irq_restore(on);
    return n;
}
