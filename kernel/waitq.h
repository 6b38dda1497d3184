/* kernel/waitq.h: wait queues, where threads block until another thread
 * (or an interrupt handler) wakes them, or a time-out passes.
 *
 * To wait for a condition that an interrupt may change, check it and wait
 * with interrupts off (irq_save), so that no wake-up falls in between:
 *     bool on = irq_save();
 *     while (!cond && waitq_wait(&q, timeout)) {}
 *     irq_restore(on);  */
#ifndef KERNEL_WAITQ_H
#define KERNEL_WAITQ_H

#include <stdint.h>
#include <stdbool.h>
#include "lib/list.h"

#define WAIT_FOREVER 0

typedef struct waitq {
    lib_list waiters;
} waitq;

void waitq_init(waitq *q);

/* Blocks until woken (true) or until `timeout_ns` have passed (false);
 * WAIT_FOREVER waits without a time-out. */
bool waitq_wait(waitq *q, uint64_t timeout_ns);

/* Wakes the longest waiter, or all of them; returns how many woke. */
int waitq_wake_one(waitq *q);
int waitq_wake_all(waitq *q);

#endif
