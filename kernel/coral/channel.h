/* kernel/coral/channel.h: channels, the kernel's message queues.
 *
 * A channel is two end objects (kind CORAL_KIND_CHANNEL), each the other's
 * peer. A message sent on one end is queued at its peer, and received
 * from there: bytes copied into the kernel, and handles that move with it
 * (the message holds a reference on each of their objects while it is in
 * flight). Each end is its own kernel object with its own reference count:
 * it is closed when its last reference goes (handle entries, and messages
 * carrying it). Closing an end frees the messages queued at it (releasing
 * the objects they carry) and marks its peer closed; the peer pointer is
 * weak, so a channel whose ends are both gone is gone entirely.
 *
 * Cycles: a message queued at end Q holds the ends it carries, whose own
 * queues may hold more ends, and so on; a loop of such holds would keep
 * its ends alive with no table reaching them. chan_check_send refuses to
 * move an end that holds ends (messages carrying ends are queued at it):
 * the send that would close a loop always moves such an end, because the
 * end it moves already holds the next one of the loop (or, for a loop of
 * one, is the peer itself, also refused). So ends that no handle table
 * (or live component) reaches are always freed, and the check costs one
 * counter per end moved.
 *
 * Every function here runs with the big lock held (kernel/coral/sys.h). */
#ifndef CORAL_CHANNEL_H
#define CORAL_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/coral/kobj.h"
#include "kernel/coral/sys.h"
#include "lib/list.h"

typedef struct kmsg {
    lib_list node;          /* in the receiving end's queue */
    uint32_t len;
    uint32_t nhandles;
    kobj **handles;         /* nhandles objects, a reference each */
    uint8_t *bytes;         /* len bytes, right after this head */
} kmsg;

typedef struct kchan {
    kobj o;
    struct kchan *peer;     /* weak: NULL once the peer is closed */
    lib_list queue;         /* kmsg.node, oldest first: messages to receive here */
    uint32_t queued;
    uint32_t ends_queued;   /* channel ends carried by the messages queued here */
    sys_waitlist waiters;   /* recv and wait on this end: woken when a message
                             * is queued here or the peer closes */
} kchan;

/* A new channel: its two ends, one reference each (the caller's): 0 or
 * CORAL_ENOMEM. */
int32_t chan_new(kchan **a, kchan **b);

/* Whether recv on `e` would not block: a message is queued, or the peer
 * is closed. */
bool chan_ready(const kchan *e);

/* Checks that `objs` (count objects, taken from the caller's table) may
 * move through `e`: 0, or CORAL_EINVAL (one of them is `e` itself, or its
 * peer), CORAL_ESTATE (one of them is an end holding ends: see Cycles),
 * CORAL_ECLOSED (the peer is closed), CORAL_ELIMIT (the peer's queue is
 * full). */
int32_t chan_check_send(kchan *e, kobj *const *objs, uint32_t count);

/* Queues a message at e's peer after chan_check_send said yes: a copy of
 * `len` bytes at `bytes`, and `objs` (the message takes a reference on
 * each; the caller then closes its handles). 0 or CORAL_ENOMEM (nothing
 * queued). */
int32_t chan_send(kchan *e, const uint8_t *bytes, uint32_t len, kobj *const *objs,
                  uint32_t count);

/* The oldest message queued at `e`, left in place, or NULL. */
kmsg *chan_peek(kchan *e);

/* Removes the oldest message (from chan_peek) and frees it, dropping its
 * references: the caller has taken its own on the objects it kept. */
void chan_pop(kchan *e);

/* Called by kobj_unref only. */
void chan_destroy(kchan *e);

#endif
