/* kernel/coral/channel.c: channel ends, their message queues, the rule
 * that keeps ends from holding each other in a loop (chan_check_send), and
 * the release of what closed ends held. */
#include "kernel/coral/abi.h"
#include "kernel/coral/channel.h"
#include "kernel/coral/sys.h"
#include "lib/string.h"

/* Messages of closed ends, waiting to drop their references. Closing an
 * end releases the objects in its queue, which may be ends with queues of
 * their own, and so on: done with this list instead of by recursion, so
 * the depth of nesting costs no kernel stack. */
static lib_list pending = { &pending, &pending };
static bool draining;

static void chan_init(kchan *e)
{
    kobj_init(&e->o, CORAL_KIND_CHANNEL);
    lib_list_init(&e->queue);
    sys_waitlist_init(&e->waiters);
}

int32_t chan_new(kchan **a, kchan **b)
{
    *a = *b = NULL;
    kchan *x = sys_alloc(sizeof *x), *y = sys_alloc(sizeof *y);
    if (!x || !y) {
        sys_free(x);
        sys_free(y);
        return CORAL_ENOMEM;
    }
    chan_init(x);
    chan_init(y);
    x->peer = y;
    y->peer = x;
    *a = x;
    *b = y;
    return 0;
}

bool chan_ready(const kchan *e)
{
    return !lib_list_empty(&e->queue) || !e->peer;
}

static void msg_free(kmsg *m)
{
    for (uint32_t i = 0; i < m->nhandles; i++)
        kobj_unref(m->handles[i]);
    sys_free(m->handles);
    sys_free(m);            /* the bytes with it */
}

/* How many of objs are channel ends. */
static uint32_t count_ends(kobj *const *objs, uint32_t count)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < count; i++)
        n += objs[i]->kind == CORAL_KIND_CHANNEL;
    return n;
}

int32_t chan_check_send(kchan *e, kobj *const *objs, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        if (objs[i]->kind != CORAL_KIND_CHANNEL)
            continue;
        const kchan *x = (const kchan *)objs[i];
        if (x == e || (e->peer && x == e->peer))
            return CORAL_EINVAL;        /* through itself, or queued at itself */
        if (x->ends_queued)
            return CORAL_ESTATE;        /* it holds ends: it could close a loop */
    }
    if (!e->peer)
        return CORAL_ECLOSED;
    if (e->peer->queued >= CORAL_CHANNEL_QUEUE_MAX)
        return CORAL_ELIMIT;
    return 0;
}

int32_t chan_send(kchan *e, const uint8_t *bytes, uint32_t len, kobj *const *objs,
                  uint32_t count)
{
    /* One allocation for the head and the bytes: a message is one kmalloc
     * in the common case of no handles. */
    kmsg *m = sys_alloc(sizeof *m + len);
    if (!m)
        return CORAL_ENOMEM;
    if (count && !(m->handles = sys_alloc(count * sizeof *m->handles))) {
        sys_free(m);
        return CORAL_ENOMEM;
    }
    m->bytes = (uint8_t *)(m + 1);
    if (len)
        lib_memcpy(m->bytes, bytes, len);
    m->len = len;
    for (uint32_t i = 0; i < count; i++) {
        m->handles[i] = objs[i];
        kobj_ref(objs[i]);
    }
    m->nhandles = count;
    lib_list_init(&m->node);
    lib_list_push_back(&e->peer->queue, &m->node);
    e->peer->queued++;
    e->peer->ends_queued += count_ends(objs, count);
    sys_wake(&e->peer->waiters);
    return 0;
}

kmsg *chan_peek(kchan *e)
{
    if (lib_list_empty(&e->queue))
        return NULL;
    return LIB_CONTAINER_OF(e->queue.next, kmsg, node);
}

void chan_pop(kchan *e)
{
    lib_list *n = lib_list_pop_front(&e->queue);
    if (!n)
        return;
    kmsg *m = LIB_CONTAINER_OF(n, kmsg, node);
    e->queued--;
    e->ends_queued -= count_ends(m->handles, m->nhandles);
    msg_free(m);
}

void chan_destroy(kchan *e)
{
    /* Nobody waits on e itself: a waiter holds a reference. */
    if (e->peer) {
        e->peer->peer = NULL;       /* its receiver sees the end of the stream */
        sys_wake(&e->peer->waiters);
    }
    lib_list *n;
    while ((n = lib_list_pop_front(&e->queue)))
        lib_list_push_back(&pending, n);
    sys_free(e);
    if (draining)
        return;                     /* an outer chan_destroy releases them */
    draining = true;
    while ((n = lib_list_pop_front(&pending)))
        msg_free(LIB_CONTAINER_OF(n, kmsg, node));
    draining = false;
}
