/* tests/unit/test_os_wait.c: per-object waiting (kernel/coral/sys.h). A
 * thread blocked on one object is not woken by traffic on others (counted
 * through host/sys.c's hooks: threads asleep, wake-ups so far); a wait on
 * several handles is woken by each kind of them (channel, component,
 * interrupt object); console input wakes a blocked console_read; a kill
 * ends every kind of blocking call; deadlines still hold. The fixture's
 * teardown checks that every object and allocation is gone after each
 * test. */
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include "kernel/coral/channel.h"
#include "kernel/coral/device.h"
#include "tests/unit/os_fixture.h"

static void channel(int32_t *a, int32_t *b)
{
    assert_int_equal(coral_channel_create(&ctx, 60000), 0);
    *a = rd32(mem, 60000);
    *b = rd32(mem, 60004);
}

static int32_t send(int32_t end, const char *s)
{
    uint32_t len = (uint32_t)strlen(s);
    memcpy(mem + 50000, s, len);
    return coral_channel_send(&ctx, end, 50000, len, 0, 0);
}

static int32_t recv(int32_t end)
{
    return coral_channel_recv(&ctx, end, 52000, 100, 0, 0);
}

/* What the interrupt handler does (device.c, fired). */
static void interrupt(kirq *q)
{
    sys_lock();
    __atomic_add_fetch(&q->pending, 1, __ATOMIC_RELAXED);
    sys_wake(&q->waiters);
    sys_unlock();
}

/* A component that looks RUNNING (no thread): component_wait on it blocks
 * until it is killed. Its handle in *h. */
static kcomponent *running_child(int32_t *h)
{
    kcomponent *k;
    sys_lock();
    assert_int_equal(comp_new(comp, &k), 0);
    k->state = COMP_RUNNING;
    *h = htab_add(&self->table, &k->o);
    kobj_unref(&k->o);
    sys_unlock();
    assert_true(*h >= 0);
    return k;
}

/* ---- a thread that blocks in one call ---- */

enum { DO_RECV, DO_WAIT, DO_SLEEP, DO_COMPONENT_WAIT, DO_IRQ_WAIT, DO_CONSOLE_READ };

static coral_ctx tctx;
static int what;
static int32_t arg_h;
static uint32_t wait_count;
static int32_t thread_rc;
static volatile int thread_done;

static void *blocker(void *unused)
{
    switch (what) {
    case DO_RECV:           thread_rc = coral_channel_recv(&tctx, arg_h, 54000, 100, 0, 0); break;
    case DO_WAIT:           thread_rc = coral_wait(&tctx, 63000, wait_count, -1); break;
    case DO_SLEEP:          thread_rc = coral_sleep(&tctx, 3600ll * 1000000000); break;
    case DO_COMPONENT_WAIT: thread_rc = coral_component_wait(&tctx, arg_h); break;
    case DO_IRQ_WAIT:       thread_rc = coral_irq_wait(&tctx, arg_h); break;
    case DO_CONSOLE_READ:   thread_rc = coral_console_read(&tctx, arg_h, 55000, 100); break;
    }
    __atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Starts a thread making call `w` as `self`, and returns once it sleeps
 * (host hook: one more thread asleep in sys_wait_event). */
static pthread_t start_blocked(int w, int32_t h)
{
    long asleep = sys_host_sleeping();
    tctx = ctx;
    what = w;
    arg_h = h;
    thread_done = 0;
    thread_rc = 12345;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, blocker, NULL), 0);
    for (int i = 0; i < 5000 && sys_host_sleeping() == asleep; i++)
        pause_ms(1);
    assert_int_equal(sys_host_sleeping(), asleep + 1);
    assert_int_equal(__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST), 0);
    return t;
}

/* ---- only the object's waiters wake ---- */

/* A thread blocked in recv on A sleeps through 1,000 messages over B: no
 * wake-up at all (with one wait queue for everything, it woke for each). */
static void recv_sleeps_through_other_traffic(void **state)
{
    int32_t a, b, c, d;
    channel(&a, &b);
    channel(&c, &d);
    pthread_t t = start_blocked(DO_RECV, b);
    long woken = sys_host_wakeups();
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(send(c, "over B"), 0);
        assert_int_equal(recv(d), 6);
    }
    pause_ms(50);                    /* time for a woken thread to run */
    assert_int_equal(sys_host_wakeups(), woken);
    assert_int_equal(__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST), 0);
    assert_int_equal(send(a, "over A"), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 6);
    assert_memory_equal(mem + 54000, "over A", 6);
}

/* The same for a wait on two channels, while other channels carry
 * messages, close, and other components die. */
static void wait_sleeps_through_other_objects(void **state)
{
    int32_t a, b, c, d, e, f;
    channel(&a, &b);
    channel(&c, &d);
    channel(&e, &f);
    wr32(mem, 63000, b);
    wr32(mem, 63004, d);
    wait_count = 2;
    pthread_t t = start_blocked(DO_WAIT, 0);
    long woken = sys_host_wakeups();
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(send(e, "elsewhere"), 0);
        assert_int_equal(recv(f), 9);
    }
    int32_t x, y;
    channel(&x, &y);
    assert_int_equal(coral_handle_close(&ctx, x), 0);      /* y's peer closes */
    int32_t k = coral_component_create(&ctx);
    assert_int_equal(coral_component_kill(&ctx, k), 0);     /* k dies, is reclaimed */
    pause_ms(50);                    /* time for a woken thread to run */
    assert_int_equal(sys_host_wakeups(), woken);
    assert_int_equal(__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST), 0);
    assert_int_equal(send(c, "to d"), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 1);
}

/* A wait on a channel, a component and an interrupt object is woken by
 * each of them in turn, and reports the one that is ready. */
static void wait_woken_by_each_kind(void **state)
{
    int32_t a, b, k, q_h;
    channel(&a, &b);
    k = coral_component_create(&ctx);      /* new: not ready */
    kirq *q = fake_irq(&q_h);
    wr32(mem, 63000, b);
    wr32(mem, 63004, k);
    wr32(mem, 63008, q_h);
    wait_count = 3;

    pthread_t t = start_blocked(DO_WAIT, 0);
    assert_int_equal(send(a, "msg"), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 0);
    assert_int_equal(recv(b), 3);

    t = start_blocked(DO_WAIT, 0);
    interrupt(q);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 2);
    assert_int_equal(coral_irq_wait(&ctx, q_h), 1);        /* consumes it */

    t = start_blocked(DO_WAIT, 0);
    assert_int_equal(coral_component_kill(&ctx, k), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 1);

    /* And the peer closing. */
    wr32(mem, 63004, b);
    wr32(mem, 63008, b);
    t = start_blocked(DO_WAIT, 0);
    assert_int_equal(coral_handle_close(&ctx, a), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 0);
    assert_int_equal(tctx.trap, 0);
}

/* ---- kills end every kind of blocking call ---- */

static void kill_ends(int w, int32_t h)
{
    sys_lock();
    comp->state = COMP_RUNNING;      /* as if its thread were running */
    sys_unlock();
    uint64_t t0 = now_ns();
    pthread_t t = start_blocked(w, h);
    sys_lock();
    comp_kill(comp);
    sys_unlock();
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, CORAL_ESTATE);
    assert_int_equal(tctx.trap, 1);
    assert_true(now_ns() - t0 < 5000000000ull);
}

static void kill_ends_sleep(void **state)
{
    kill_ends(DO_SLEEP, 0);
}

static void kill_ends_recv(void **state)
{
    int32_t a, b;
    channel(&a, &b);
    kill_ends(DO_RECV, b);
}

static void kill_ends_wait(void **state)
{
    int32_t a, b, c, d;
    channel(&a, &b);
    channel(&c, &d);
    wr32(mem, 63000, b);
    wr32(mem, 63004, d);
    wait_count = 2;
    kill_ends(DO_WAIT, 0);
}

static void kill_ends_component_wait(void **state)
{
    int32_t h;
    running_child(&h);
    kill_ends(DO_COMPONENT_WAIT, h);
}

static void kill_ends_irq_wait(void **state)
{
    int32_t h;
    fake_irq(&h);
    kill_ends(DO_IRQ_WAIT, h);
}

/* component_wait is woken by its child's reclaim, and by nothing else:
 * other components dying, messages. */
static void component_wait_woken_by_its_child(void **state)
{
    int32_t h, a, b;
    kcomponent *k = running_child(&h);
    channel(&a, &b);
    pthread_t t = start_blocked(DO_COMPONENT_WAIT, h);
    long woken = sys_host_wakeups();
    int32_t other = coral_component_create(&ctx);
    assert_int_equal(coral_component_kill(&ctx, other), 0);
    assert_int_equal(send(a, "noise"), 0);
    pause_ms(50);                    /* time for a woken thread to run */
    assert_int_equal(sys_host_wakeups(), woken);
    assert_int_equal(__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST), 0);
    /* It has no thread to end: back to NEW, so that the kill reclaims it
     * at once, as a thread's end would. */
    sys_lock();
    k->state = COMP_NEW;
    sys_unlock();
    assert_int_equal(coral_component_kill(&ctx, h), 0);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, CORAL_STATUS_KILLED);
}

/* ---- console input ---- */

/* Input on stdin (a pipe here) wakes a blocked console_read; then a kill
 * ends one. Everything of the console in one test: its reader thread
 * stays for the life of the process. */
static void console_read_woken_by_input_and_kill(void **state)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(dup2(p[0], 0), 0);
    close(p[0]);
    sys_lock();
    kobj *con = kobj_new_plain(CORAL_KIND_CONSOLE);
    assert_non_null(con);
    int32_t h = htab_add(&self->table, con);
    kobj_unref(con);
    sys_unlock();
    assert_true(h >= 0);
    /* The first read starts the stdin thread: nothing yet, so it sleeps. */
    pthread_t t = start_blocked(DO_CONSOLE_READ, h);
    assert_int_equal(write(p[1], "typed", 5), 5);
    pthread_join(t, NULL);
    assert_int_equal(thread_rc, 5);
    assert_memory_equal(mem + 55000, "typed", 5);
    kill_ends(DO_CONSOLE_READ, h);
    close(p[1]);                     /* the end of input: the stdin thread ends */
}

/* ---- deadlines ---- */

static void deadlines_hold(void **state)
{
    int32_t a, b, c, d;
    channel(&a, &b);
    channel(&c, &d);
    uint64_t t0 = now_ns();
    assert_int_equal(coral_sleep(&ctx, 30 * 1000000), 0);
    uint64_t t1 = now_ns();
    assert_true(t1 - t0 >= 30 * 1000000ull);
    assert_true(t1 - t0 < 5000000000ull);
    wr32(mem, 63000, b);
    assert_int_equal(coral_wait(&ctx, 63000, 1, 30 * 1000000), CORAL_ETIMEDOUT);
    uint64_t t2 = now_ns();
    assert_true(t2 - t1 >= 30 * 1000000ull);
    assert_true(t2 - t1 < 5000000000ull);
    /* A deadline in the past polls; traffic elsewhere does not end it. */
    assert_int_equal(coral_wait(&ctx, 63000, 1, 0), CORAL_ETIMEDOUT);
    assert_int_equal(send(a, "x"), 0);
    assert_int_equal(coral_wait(&ctx, 63000, 1, 0), 0);
    assert_int_equal(recv(b), 1);
    assert_int_equal(send(c, "other"), 0);
    assert_int_equal(coral_wait(&ctx, 63000, 1, 20 * 1000000), CORAL_ETIMEDOUT);
    assert_true(now_ns() - t2 >= 20 * 1000000ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(recv_sleeps_through_other_traffic, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_sleeps_through_other_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(wait_woken_by_each_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_ends_sleep, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_ends_recv, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_ends_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_ends_component_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(kill_ends_irq_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(component_wait_woken_by_its_child, setup, teardown),
        cmocka_unit_test_setup_teardown(console_read_woken_by_input_and_kill, setup, teardown),
        cmocka_unit_test_setup_teardown(deadlines_hold, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
