/* tests/unit/test_os_channel.c: channels and wait through the coral_*
 * calls: bytes both ways in order, handles that move (gone from the
 * sender, working in the receiver), all-or-nothing sends, the limits, a
 * closed peer, a blocked recv woken by a send, by the peer closing and by
 * a kill, wait() on channels and components with timeouts and polls, the
 * cycle check, and that everything is freed (the fixture's teardown checks
 * kobj_live, tokens and allocations after every test). */
#include <pthread.h>
#include <time.h>
#include "kernel/coral/channel.h"
#include "tests/unit/os_fixture.h"
#include "tests/unit/os_modules.h"
#include "wasm/wasm.h"

/* A channel in c's table; its ends in *a and *b. Uses bytes 60000..60007. */
static void channel(coral_ctx *c, int32_t *a, int32_t *b)
{
    assert_int_equal(coral_channel_create(c, 60000), 0);
    *a = rd32(c->mem, 60000);
    *b = rd32(c->mem, 60004);
}

/* Sends string s with handles hs[0..n-1] (written at 61000). */
static int32_t send(coral_ctx *c, int32_t end, const char *s, const int32_t *hs, uint32_t n)
{
    uint32_t len = (uint32_t)strlen(s);
    memcpy(c->mem + 50000, s, len);
    for (uint32_t i = 0; i < n; i++)
        wr32(c->mem, 61000 + 4 * i, hs[i]);
    return coral_channel_send(c, end, 50000, len, 61000, n);
}

/* Receives into 52000 (cap bytes) and handles at 62000 (hcap). */
static int32_t recv(coral_ctx *c, int32_t end, uint32_t cap, uint32_t hcap)
{
    return coral_channel_recv(c, end, 52000, cap, 62000, hcap);
}

static int32_t wait_on(coral_ctx *c, const int32_t *hs, uint32_t n, int64_t timeout)
{
    for (uint32_t i = 0; i < n; i++)
        wr32(c->mem, 63000 + 4 * i, hs[i]);
    return coral_wait(c, 63000, n, timeout);
}

static void bytes_both_ways_in_order(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    assert_int_not_equal(a, b);
    assert_int_equal(coral_handle_kind(&ctx, a), CORAL_KIND_CHANNEL);
    assert_int_equal(coral_handle_kind(&ctx, b), CORAL_KIND_CHANNEL);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 2);
    assert_int_equal(send(&ctx, a, "first", NULL, 0), 0);
    assert_int_equal(send(&ctx, a, "second!", NULL, 0), 0);
    assert_int_equal(send(&ctx, a, "", NULL, 0), 0);
    assert_int_equal(send(&ctx, b, "back", NULL, 0), 0);
    wr32(mem, 62000, 12345);
    assert_int_equal(recv(&ctx, b, 100, 1), 5);
    assert_memory_equal(mem + 52000, "first", 5);
    assert_int_equal(rd32(mem, 62000), -1);          /* no handles: filled with -1 */
    assert_int_equal(recv(&ctx, b, 100, 0), 7);
    assert_memory_equal(mem + 52000, "second!", 7);
    assert_int_equal(recv(&ctx, b, 0, 0), 0);        /* the empty message */
    assert_int_equal(recv(&ctx, a, 4, 0), 4);
    assert_memory_equal(mem + 52000, "back", 4);
    /* Nothing left: a poll times out. */
    int32_t both[2] = { a, b };
    assert_int_equal(wait_on(&ctx, both, 2, 0), CORAL_ETIMEDOUT);
    assert_int_equal(coral_handle_close(&ctx, a), 0);
    assert_int_equal(coral_handle_close(&ctx, b), 0);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 0);
}

/* A VMA and a channel end move from `self` to another instance. */
static void handles_move(void **state)
{
    static uint8_t mem2[MEM_SIZE];
    coral_ctx c2;
    kinstance *other = other_instance(&c2, mem2, sizeof mem2);
    int32_t a, b;
    channel(&ctx, &a, &b);
    /* The other instance gets end b, as component_add_instance would. */
    sys_lock();
    kobj *bo;
    assert_int_equal(htab_get(&self->table, b, CORAL_KIND_CHANNEL, &bo), 0);
    int32_t ob = htab_add(&other->table, bo);
    sys_unlock();
    assert_int_equal(coral_handle_close(&ctx, b), 0);

    int32_t v = coral_vma_create(&ctx, 16);
    memcpy(mem + 100, "in the vma", 10);
    assert_int_equal(coral_vma_write(&ctx, v, 0, 100, 10), 10);
    uint64_t tok = coral_handle_to_ref(&ctx, v);
    assert_true(tok != 0);
    int32_t x, y;
    channel(&ctx, &x, &y);
    int32_t give[2] = { v, y };
    assert_int_equal(send(&ctx, a, "take these", give, 2), 0);
    /* Gone from the sender, its token revoked. */
    assert_int_equal(coral_handle_kind(&ctx, v), CORAL_EBADH);
    assert_int_equal(coral_handle_kind(&ctx, y), CORAL_EBADH);
    assert_int_equal(coral_handle_from_ref(&ctx, tok), CORAL_ESTALE);
    /* In flight, the objects live on. */
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 1);

    int32_t n = coral_channel_recv(&c2, ob, 1000, 64, 2000, 3);
    assert_int_equal(n, 10);
    assert_memory_equal(mem2 + 1000, "take these", 10);
    int32_t rv = rd32(mem2, 2000), ry = rd32(mem2, 2004);
    assert_int_equal(rd32(mem2, 2008), -1);
    assert_int_equal(coral_handle_kind(&c2, rv), CORAL_KIND_VMA);
    assert_int_equal(coral_handle_kind(&c2, ry), CORAL_KIND_CHANNEL);
    assert_int_equal(coral_vma_read(&c2, rv, 0, 3000, 10), 10);
    assert_memory_equal(mem2 + 3000, "in the vma", 10);
    /* The end works in its new table: a message from self arrives there. */
    assert_int_equal(send(&ctx, x, "via y", NULL, 0), 0);
    assert_int_equal(coral_channel_recv(&c2, ry, 1000, 64, 0, 0), 5);
    assert_memory_equal(mem2 + 1000, "via y", 5);
    drop_instance(other);       /* closes its table: v and y go */
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
    /* y closed with the other instance: x sees its peer closed. */
    assert_int_equal(send(&ctx, x, "anyone?", NULL, 0), CORAL_ECLOSED);
    assert_int_equal(send(&ctx, a, "anyone?", NULL, 0), CORAL_ECLOSED);
}

/* A send with any bad handle sends nothing and closes nothing. */
static void send_is_all_or_nothing(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    int32_t v = coral_vma_create(&ctx, 8);
    int32_t bad1[2] = { v, 77 };
    assert_int_equal(send(&ctx, a, "x", bad1, 2), CORAL_EBADH);
    int32_t bad2[2] = { v, -1 };
    assert_int_equal(send(&ctx, a, "x", bad2, 2), CORAL_EBADH);
    int32_t twice[2] = { v, v };
    assert_int_equal(send(&ctx, a, "x", twice, 2), CORAL_EINVAL);
    int32_t self_end[2] = { v, a };
    assert_int_equal(send(&ctx, a, "x", self_end, 2), CORAL_EINVAL);
    int32_t dup = coral_handle_dup(&ctx, a);       /* the same end, another number */
    int32_t self_dup[1] = { dup };
    assert_int_equal(send(&ctx, a, "x", self_dup, 1), CORAL_EINVAL);
    int32_t peer[1] = { b };                        /* would be queued at itself */
    assert_int_equal(send(&ctx, a, "x", peer, 1), CORAL_EINVAL);
    /* Nothing queued, nothing closed. */
    assert_int_equal(coral_handle_kind(&ctx, v), CORAL_KIND_VMA);
    assert_int_equal(coral_handle_kind(&ctx, a), CORAL_KIND_CHANNEL);
    assert_int_equal(coral_handle_kind(&ctx, b), CORAL_KIND_CHANNEL);
    int32_t one[1] = { b };
    assert_int_equal(wait_on(&ctx, one, 1, 0), CORAL_ETIMEDOUT);
    /* A dup of the sending end is the same end: refused too. */
    int32_t dupb = coral_handle_dup(&ctx, b);
    int32_t via_b[1] = { dupb };
    assert_int_equal(send(&ctx, b, "x", via_b, 1), CORAL_EINVAL);  /* not through itself */
    int32_t good[1] = { v };
    assert_int_equal(send(&ctx, a, "ok", good, 1), 0);
    assert_int_equal(coral_handle_kind(&ctx, v), CORAL_EBADH);
    assert_int_equal(wait_on(&ctx, one, 1, 0), 0);
}

static void argument_errors_and_limits(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    int32_t v = coral_vma_create(&ctx, 8);
    /* Handles. */
    assert_int_equal(coral_channel_send(&ctx, 77, 0, 0, 0, 0), CORAL_EBADH);
    assert_int_equal(coral_channel_send(&ctx, v, 0, 0, 0, 0), CORAL_EKIND);
    assert_int_equal(coral_channel_recv(&ctx, -1, 0, 0, 0, 0), CORAL_EBADH);
    assert_int_equal(coral_channel_recv(&ctx, v, 0, 0, 0, 0), CORAL_EKIND);
    /* Memory. */
    assert_int_equal(coral_channel_create(&ctx, MEM_SIZE - 4), CORAL_EFAULT);
    assert_int_equal(coral_channel_create(&ctx, UINT32_MAX - 3), CORAL_EFAULT);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 2);
    assert_int_equal(coral_channel_send(&ctx, a, MEM_SIZE - 2, 4, 0, 0), CORAL_EFAULT);
    assert_int_equal(coral_channel_send(&ctx, a, 0, 0, MEM_SIZE - 4, 2), CORAL_EFAULT);
    assert_int_equal(coral_channel_send(&ctx, a, UINT32_MAX, 2, 0, 0), CORAL_EFAULT);
    assert_int_equal(coral_channel_recv(&ctx, b, MEM_SIZE - 2, 4, 0, 0), CORAL_EFAULT);
    assert_int_equal(coral_channel_recv(&ctx, b, 0, 0, MEM_SIZE - 4, 2), CORAL_EFAULT);
    /* Sizes. */
    assert_int_equal(coral_channel_send(&ctx, a, 0, CORAL_MSG_BYTES_MAX + 1, 0, 0), CORAL_EINVAL);
    assert_int_equal(coral_channel_send(&ctx, a, 0, 0, 0, CORAL_MSG_HANDLES_MAX + 1), CORAL_EINVAL);
    assert_int_equal(coral_channel_recv(&ctx, b, 0, 0, 0, CORAL_MSG_HANDLES_MAX + 1), CORAL_EINVAL);
    /* The largest message goes through whole. */
    for (uint32_t i = 0; i < CORAL_MSG_BYTES_MAX; i++)
        mem[i] = (uint8_t)(i * 7);
    assert_int_equal(coral_channel_send(&ctx, a, 0, CORAL_MSG_BYTES_MAX, 0, 0), 0);
    /* Too small a buffer: CORAL_ETOOBIG, and it stays queued. */
    assert_int_equal(coral_channel_recv(&ctx, b, 0, CORAL_MSG_BYTES_MAX - 1, 0, 0), CORAL_ETOOBIG);
    memset(mem, 0, CORAL_MSG_BYTES_MAX);
    assert_int_equal(coral_channel_recv(&ctx, b, 0, CORAL_MSG_BYTES_MAX, 0, 0), CORAL_MSG_BYTES_MAX);
    for (uint32_t i = 0; i < CORAL_MSG_BYTES_MAX; i++)
        if (mem[i] != (uint8_t)(i * 7))
            fail_msg("byte %u differs", i);
    /* Too few handle slots: the same. */
    int32_t give[1] = { v };
    assert_int_equal(send(&ctx, a, "h", give, 1), 0);
    assert_int_equal(recv(&ctx, b, 10, 0), CORAL_ETOOBIG);
    assert_int_equal(recv(&ctx, b, 0, 1), CORAL_ETOOBIG);
    assert_int_equal(recv(&ctx, b, 10, 1), 1);
    assert_int_equal(coral_handle_kind(&ctx, rd32(mem, 62000)), CORAL_KIND_VMA);
    /* 64 handles in one message. */
    int32_t many[CORAL_MSG_HANDLES_MAX];
    for (uint32_t i = 0; i < CORAL_MSG_HANDLES_MAX; i++)
        many[i] = coral_vma_create(&ctx, 1);
    assert_int_equal(send(&ctx, a, "64", many, CORAL_MSG_HANDLES_MAX), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 1 + CORAL_MSG_HANDLES_MAX);
    assert_int_equal(recv(&ctx, b, 2, CORAL_MSG_HANDLES_MAX), 2);
    for (uint32_t i = 0; i < CORAL_MSG_HANDLES_MAX; i++)
        assert_int_equal(coral_handle_close(&ctx, rd32(mem, 62000 + 4 * i)), 0);
    /* The queue holds 64 messages; the 65th is refused, not blocked on. */
    for (uint32_t i = 0; i < CORAL_CHANNEL_QUEUE_MAX; i++)
        assert_int_equal(send(&ctx, a, "m", NULL, 0), 0);
    assert_int_equal(send(&ctx, a, "m", NULL, 0), CORAL_ELIMIT);
    assert_int_equal(send(&ctx, b, "the other way", NULL, 0), 0);    /* a's queue is free */
    assert_int_equal(recv(&ctx, b, 1, 0), 1);
    assert_int_equal(send(&ctx, a, "m", NULL, 0), 0);
    assert_int_equal(ctx.trap, 0);
}

/* A full handle table: recv fails with CORAL_ELIMIT, installs nothing,
 * and the message stays queued. */
static void recv_into_a_full_table(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    int32_t give[2] = { coral_vma_create(&ctx, 1), coral_vma_create(&ctx, 2) };
    assert_int_equal(send(&ctx, a, "", give, 2), 0);
    int32_t h, last = -1;
    while ((h = coral_vma_create(&ctx, 1)) >= 0)
        last = h;
    assert_int_equal(h, CORAL_ELIMIT);
    assert_int_equal(coral_handle_close(&ctx, last), 0);     /* room for one, not two */
    assert_int_equal(recv(&ctx, b, 0, 2), CORAL_ELIMIT);
    assert_int_equal(coral_vma_create(&ctx, 1), last);      /* the one entry is still free */
    assert_int_equal(coral_handle_close(&ctx, last), 0);
    assert_int_equal(coral_handle_close(&ctx, last - 1), 0);
    assert_int_equal(recv(&ctx, b, 0, 2), 0);
    assert_int_equal(coral_vma_size(&ctx, rd32(mem, 62000)), 1);
    assert_int_equal(coral_vma_size(&ctx, rd32(mem, 62004)), 2);
}

static void peer_closed(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    int32_t v = coral_vma_create(&ctx, 8);
    int32_t give[1] = { v };
    assert_int_equal(send(&ctx, b, "before", give, 1), 0);
    assert_int_equal(send(&ctx, a, "lost", NULL, 0), 0);    /* queued at b */
    assert_int_equal(coral_handle_close(&ctx, b), 0);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 1);
    /* What was queued at a is still there, then the end of the stream. */
    int32_t one[1] = { a };
    assert_int_equal(wait_on(&ctx, one, 1, 0), 0);
    assert_int_equal(recv(&ctx, a, 10, 1), 6);
    int32_t rv = rd32(mem, 62000);
    assert_int_equal(coral_vma_size(&ctx, rv), 8);
    assert_int_equal(wait_on(&ctx, one, 1, 0), 0);          /* ready: recv would not block */
    assert_int_equal(recv(&ctx, a, 10, 1), CORAL_ECLOSED);
    assert_int_equal(send(&ctx, a, "x", NULL, 0), CORAL_ECLOSED);
    /* A send to a closed peer moves nothing. */
    int32_t give2[1] = { rv };
    assert_int_equal(send(&ctx, a, "x", give2, 1), CORAL_ECLOSED);
    assert_int_equal(coral_handle_kind(&ctx, rv), CORAL_KIND_VMA);
}

/* Messages and the handles in them are freed with the end they are queued
 * at, even nested 1,000 deep (b999 holds b998 ... holds b0): built from
 * the outside in, since an end that holds ends cannot move. */
static void reclaim_nested(void **state)
{
    enum { N = 1000 };
    static int32_t as[N], bs[N];
    for (int i = 0; i < N; i++)
        channel(&ctx, &as[i], &bs[i]);
    for (int i = N - 1; i > 0; i--) {
        int32_t give[2] = { bs[i - 1], coral_vma_create(&ctx, 4) };
        assert_int_equal(send(&ctx, as[i], "nest", give, 2), 0);
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(coral_handle_close(&ctx, as[i]), 0);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), N);     /* the b's */
    assert_int_equal(kobj_live(CORAL_KIND_VMA), N - 1);
    assert_int_equal(coral_handle_close(&ctx, bs[N - 1]), 0);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
}

/* No loop of ends holding ends can form: an end that holds ends (messages
 * carrying ends are queued at it) cannot move until they are received. */
static void cycles_are_refused(void **state)
{
    int32_t a, b, c, d;
    channel(&ctx, &a, &b);
    channel(&ctx, &c, &d);
    int32_t give_c[1] = { c };
    assert_int_equal(send(&ctx, a, "", give_c, 1), 0);            /* b holds c */
    int32_t give_b[1] = { b };
    assert_int_equal(send(&ctx, d, "", give_b, 1), CORAL_ESTATE);  /* c would hold b */
    int32_t e, f;
    channel(&ctx, &e, &f);
    assert_int_equal(send(&ctx, f, "", give_b, 1), CORAL_ESTATE);  /* b holds ends: nowhere */
    assert_int_equal(coral_handle_kind(&ctx, b), CORAL_KIND_CHANNEL);
    /* A VMA queued at b does not count, an end does. */
    int32_t v = coral_vma_create(&ctx, 1);
    int32_t give_v[1] = { v };
    assert_int_equal(send(&ctx, e, "", give_v, 1), 0);            /* f holds a VMA */
    int32_t give_f[1] = { f };
    assert_int_equal(send(&ctx, b, "", give_f, 1), 0);            /* a holds f */
    /* Once b's ends are received, b may move. */
    assert_int_equal(recv(&ctx, b, 0, 1), 0);
    int32_t c2 = rd32(mem, 62000);
    assert_int_equal(coral_handle_kind(&ctx, c2), CORAL_KIND_CHANNEL);
    assert_int_equal(send(&ctx, d, "", give_b, 1), 0);            /* c holds b */
    /* c holds b; a holds f; everyone's holder goes: all of it is freed. */
    assert_int_equal(coral_handle_close(&ctx, a), 0);
    assert_int_equal(coral_handle_close(&ctx, e), 0);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 3);            /* c, d, b */
    assert_int_equal(coral_handle_close(&ctx, d), 0);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 2);            /* c, holding b */
    assert_int_equal(coral_handle_close(&ctx, c2), 0);
    assert_int_equal(kobj_live(CORAL_KIND_CHANNEL), 0);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 0);
}

/* ---- blocking ---- */

static coral_ctx tctx;
static int32_t thread_rc;
static volatile int thread_done;

static void *recv_thread(void *arg)
{
    int32_t end = (int32_t)(intptr_t)arg;
    thread_rc = coral_channel_recv(&tctx, end, 54000, 100, 0, 0);
    __atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *wait_thread(void *arg)
{
    thread_rc = coral_wait(&tctx, 63000, (uint32_t)(intptr_t)arg, -1);
    __atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Starts fn in a thread calling as `self` through tctx, and checks it
 * blocks. */
static pthread_t start_blocked(void *(*fn)(void *), intptr_t arg)
{
    tctx = ctx;
    thread_done = 0;
    thread_rc = 12345;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fn, (void *)arg), 0);
    pause_ms(50);
    assert_int_equal(__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST), 0);
    return t;
}

static void recv_woken_by_send(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    pthread_t t = start_blocked(recv_thread, b);
    assert_int_equal(send(&ctx, a, "wake up", NULL, 0), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 7);
    assert_memory_equal(mem + 54000, "wake up", 7);
}

static void recv_woken_by_peer_close(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    pthread_t t = start_blocked(recv_thread, b);
    assert_int_equal(coral_handle_close(&ctx, a), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, CORAL_ECLOSED);
    assert_int_equal(tctx.trap, 0);
}

/* A kill ends a recv blocked in the killed component; the call traps. */
static void kill_ends_blocked_recv(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    sys_lock();
    comp->state = COMP_RUNNING;      /* as if its thread were running */
    sys_unlock();
    uint64_t t0 = now_ns();
    pthread_t t = start_blocked(recv_thread, b);
    sys_lock();
    comp_kill(comp);
    sys_unlock();
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, CORAL_ESTATE);
    assert_int_equal(tctx.trap, 1);
    assert_true(now_ns() - t0 < 5000000000ull);
}

static void kill_ends_blocked_wait(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    sys_lock();
    comp->state = COMP_RUNNING;
    sys_unlock();
    wr32(mem, 63000, b);
    pthread_t t = start_blocked(wait_thread, 1);
    sys_lock();
    comp_kill(comp);
    sys_unlock();
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, CORAL_ESTATE);
    assert_int_equal(tctx.trap, 1);
}

static void wait_arguments(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    int32_t v = coral_vma_create(&ctx, 8);
    int32_t hs[2] = { b, v };
    assert_int_equal(wait_on(&ctx, hs, 2, 0), CORAL_EKIND);
    hs[1] = 99;
    assert_int_equal(wait_on(&ctx, hs, 2, 0), CORAL_EBADH);
    assert_int_equal(coral_wait(&ctx, 63000, 0, 0), CORAL_EINVAL);
    assert_int_equal(coral_wait(&ctx, 63000, CORAL_WAIT_MAX + 1, 0), CORAL_EINVAL);
    assert_int_equal(coral_wait(&ctx, MEM_SIZE - 4, 2, 0), CORAL_EFAULT);
    assert_int_equal(coral_wait(&ctx, UINT32_MAX - 3, 1, 0), CORAL_EFAULT);
    /* 64 handles, the same one 64 times even; the last is ready. */
    int32_t all[CORAL_WAIT_MAX];
    for (uint32_t i = 0; i < CORAL_WAIT_MAX; i++)
        all[i] = b;
    all[CORAL_WAIT_MAX - 1] = a;
    assert_int_equal(send(&ctx, b, "for a", NULL, 0), 0);
    assert_int_equal(wait_on(&ctx, all, CORAL_WAIT_MAX, 0), (int32_t)CORAL_WAIT_MAX - 1);
    /* The first ready one wins. */
    assert_int_equal(send(&ctx, a, "for b", NULL, 0), 0);
    assert_int_equal(wait_on(&ctx, all, CORAL_WAIT_MAX, 0), 0);
}

static void wait_timeout_and_wakeups(void **state)
{
    int32_t a, b, c, d;
    channel(&ctx, &a, &b);
    channel(&ctx, &c, &d);
    int32_t hs[2] = { b, d };
    uint64_t t0 = now_ns();
    assert_int_equal(wait_on(&ctx, hs, 2, 0), CORAL_ETIMEDOUT);
    assert_int_equal(wait_on(&ctx, hs, 2, 30 * 1000000), CORAL_ETIMEDOUT);
    assert_true(now_ns() - t0 >= 30 * 1000000);
    /* Woken by a send on the second channel. */
    wr32(mem, 63000, b);
    wr32(mem, 63004, d);
    pthread_t t = start_blocked(wait_thread, 2);
    assert_int_equal(send(&ctx, c, "to d", NULL, 0), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 1);
    /* wait takes nothing: the message is still there. */
    assert_int_equal(recv(&ctx, d, 10, 0), 4);
    /* Woken by the first one's peer closing; a timeout that is long. */
    t = start_blocked(wait_thread, 2);
    assert_int_equal(coral_handle_close(&ctx, a), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 0);
}

/* A component is ready once it ended and was reclaimed (component_wait
 * would return at once): a killed new one, a running one after its kill. */
static void wait_on_components(void **state)
{
    int32_t a, b;
    channel(&ctx, &a, &b);
    int32_t k = coral_component_create(&ctx);
    int32_t hs[2] = { b, k };
    assert_int_equal(wait_on(&ctx, hs, 2, 0), CORAL_ETIMEDOUT);    /* new: not ready */
    assert_int_equal(coral_component_kill(&ctx, k), 0);
    assert_int_equal(wait_on(&ctx, hs, 2, 0), 1);

    int32_t v = coral_vma_create(&ctx, sizeof spin_start_wasm);
    memcpy(mem + 40000, spin_start_wasm, sizeof spin_start_wasm);
    assert_int_equal(coral_vma_write(&ctx, v, 0, 40000, sizeof spin_start_wasm),
                     sizeof spin_start_wasm);
    int32_t m = coral_module_create(&ctx, v, 0, sizeof spin_start_wasm);
    assert_true(m >= 0);
    int32_t spinner = coral_component_create(&ctx);
    put(0, "spin_start");
    int32_t i = coral_component_add_instance(&ctx, spinner, m, 0, 4, 0, 0);
    if (i == CORAL_EUNSUPPORTED)
        skip();
    assert_true(i >= 0);
    assert_int_equal(coral_component_start(&ctx, spinner, i, 4, 6), 0);
    wr32(mem, 63000, b);
    wr32(mem, 63004, spinner);
    assert_int_equal(coral_wait(&ctx, 63000, 2, 20 * 1000000), CORAL_ETIMEDOUT);
    pthread_t t = start_blocked(wait_thread, 2);
    assert_int_equal(coral_component_kill(&ctx, spinner), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 1);
    assert_int_equal(coral_component_wait(&ctx, spinner), CORAL_STATUS_KILLED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(bytes_both_ways_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(handles_move, setup, teardown),
        cmocka_unit_test_setup_teardown(send_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(argument_errors_and_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(recv_into_a_full_table, setup, teardown),
        cmocka_unit_test_setup_teardown(peer_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(reclaim_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(cycles_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(recv_woken_by_send, setup, teardown),
        cmocka_unit_test_setup_teardown(recv_woken_by_peer_close, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_ends_blocked_recv, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_ends_blocked_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_timeout_and_wakeups, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_on_components, setup, teardown),
    };
    return cmocka_run_group_tests(tests, setup_engine, teardown_engine);
}
