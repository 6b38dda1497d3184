/* tests/unit/os_fixture.h: what the tests of kernel/coral/ share: a NEW
 * component with one bare instance (`self`) calling the coral_* functions
 * through a fake memory, a console that is captured, and a check that every
 * kernel object, token and allocation is gone at the end of each test; an
 * engine for the tests that compile modules (setup_engine as the group's
 * setup), and small helpers: the clock, little-endian i32s in a memory, an
 * interrupt object made by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "host/sys.h"
#include "kernel/coral/abi.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/device.h"
#include "kernel/coral/handle.h"
#include "kernel/coral/kobj.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/token.h"
#include "kernel/coral/vma.h"
#include "wasm/wasm.h"

#define MEM_SIZE 65536

static kcomponent *comp;      /* the caller's component */
static kinstance *self;       /* the caller */
static uint8_t mem[MEM_SIZE]; /* the caller's memory */
static coral_ctx ctx;
static char console[8192];
static size_t console_len;

static void capture(const char *s, size_t len)
{
    if (console_len + len >= sizeof console)
        len = sizeof console - 1 - console_len;
    memcpy(console + console_len, s, len);
    console_len += len;
    console[console_len] = 0;
}

static __attribute__((unused)) int setup(void **state)
{
    console_len = 0;
    console[0] = 0;
    sys_host_set_console(capture);
    memset(mem, 0, sizeof mem);
    sys_lock();
    assert_int_equal(comp_new(NULL, &comp), 0);
    assert_int_equal(inst_new(comp, "self", 4, &self), 0);
    sys_unlock();
    ctx.self = self;
    ctx.mem = mem;
    ctx.mem_size = sizeof mem;
    ctx.trap = 0;
    return 0;
}

/* Drops the fixture and checks that nothing is left behind. */
static __attribute__((unused)) int teardown(void **state)
{
    sys_lock();
    kobj_unref(&self->o);
    kobj_unref(&comp->o);
    token_fini();
    sys_unlock();
    sys_host_set_console(NULL);
    assert_int_equal(kobj_live(0), 0);
    assert_int_equal(token_live(), 0);
    assert_int_equal(sys_host_live_allocs(), 0);
    return 0;
}

/* A second bare instance in `comp`, with its own memory. */
static __attribute__((unused)) kinstance *other_instance(coral_ctx *c, uint8_t *m, size_t size)
{
    kinstance *ki;
    sys_lock();
    assert_int_equal(inst_new(comp, "other", 5, &ki), 0);
    sys_unlock();
    c->self = ki;
    c->mem = m;
    c->mem_size = size;
    c->trap = 0;
    return ki;
}

static __attribute__((unused)) void drop_instance(kinstance *ki)
{
    sys_lock();
    kobj_unref(&ki->o);
    sys_unlock();
}

/* Writes `s` into the fake memory at `ptr`; returns ptr. */
static __attribute__((unused)) uint32_t put(uint32_t ptr, const char *s)
{
    memcpy(mem + ptr, s, strlen(s));
    return ptr;
}

static __attribute__((unused)) wasm_engine *engine;

/* A group setup/teardown for tests that compile modules. */
static __attribute__((unused)) int setup_engine(void **state)
{
    engine = wasm_engine_new();
    coral_init(engine);
    return engine ? 0 : -1;
}

static __attribute__((unused)) int teardown_engine(void **state)
{
    coral_init(NULL);
    wasm_engine_free(engine);
    return 0;
}

static __attribute__((unused)) uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static __attribute__((unused)) void pause_ms(int ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}

/* A little-endian i32 at `ptr` in memory m. */
static __attribute__((unused)) int32_t rd32(const uint8_t *m, uint32_t ptr)
{
    int32_t v;
    memcpy(&v, m + ptr, 4);
    return v;
}

static __attribute__((unused)) void wr32(uint8_t *m, uint32_t ptr, int32_t v)
{
    memcpy(m + ptr, &v, 4);
}

/* An interrupt object on line 5 made by hand (the host has no lines to
 * attach), in self's table; its handle in *h. */
static __attribute__((unused)) kirq *fake_irq(int32_t *h)
{
    sys_lock();
    kirq *q = sys_alloc(sizeof *q);
    assert_non_null(q);
    kobj_init(&q->o, CORAL_KIND_IRQ);
    q->line = 5;
    sys_waitlist_init(&q->waiters);
    *h = htab_add(&self->table, &q->o);
    kobj_unref(&q->o);
    sys_unlock();
    assert_true(*h >= 0);
    return q;
}
