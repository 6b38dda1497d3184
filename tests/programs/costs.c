/* tests/programs/costs.c: what a coral call costs beside a plain
 * Wasm-to-Wasm call, what an empty component costs to create, run and
 * reclaim, and what a channel round trip costs, within one component and
 * to a child component (pingpong_child.c, embedded as
 * pingpong_child_wasm[]), alone and beside IDLE more children blocked in
 * recv on channels of their own (what a wake-up costs when many threads
 * wait elsewhere). Prints one line per figure (nanoseconds, from
 * coral.time). */
#include <coral.h>
#include "pingpong_child_wasm.h"

/* (module (func (export "_start"))) */
static const unsigned char empty_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73,
    0x74, 0x61, 0x72, 0x74, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b
};

__attribute__((noinline)) static int32_t plain(int32_t x)
{
    return x * 3 + 1;
}

static void report(const char *what, int64_t total_ns, int64_t n)
{
    char line[128];
    uint32_t k = 0;
    for (const char *s = "costs: "; *s; s++)
        line[k++] = *s;
    for (const char *s = what; *s; s++)
        line[k++] = *s;
    line[k++] = ' ';
    /* ns per operation with one decimal */
    int64_t tenths = total_ns * 10 / n;
    char d[24];
    int m = 0;
    int64_t whole = tenths / 10;
    do {
        d[m++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (m)
        line[k++] = d[--m];
    line[k++] = '.';
    line[k++] = (char)('0' + tenths % 10);
    for (const char *s = " ns"; *s; s++)
        line[k++] = *s;
    coral_log(line, k);
}

volatile int32_t sink;

/* IPC: a round trip is a send and a recv each way, 8 bytes, no handles. */
enum { REMOTE = 2000, BATCHES = 5 };

/* REMOTE round trips to the child that answers on end a, in BATCHES
 * batches; returns the fastest batch's time (a stall of the host then
 * spoils one batch, not the figure). Exits with `code` on a failed call. */
static int64_t remote_trips(int32_t a, int code)
{
    static char msg[8] = "ping 456";
    static char got[16];
    int64_t best = -1;
    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = coral_time();
        for (int i = 0; i < REMOTE / BATCHES; i++) {
            if (coral_channel_send(a, msg, 8, 0, 0) < 0 || coral_channel_recv(a, got, 16, 0, 0) != 8)
                coral_exit(code);
        }
        int64_t t = coral_time() - t0;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

static void channel_costs(void)
{
    enum { LOCAL = 20000 };
    static char msg[8] = "ping 123";
    static char got[16];
    int32_t ends[2];
    if (coral_channel_create(ends) < 0)
        coral_exit(4);
    int32_t a = ends[0], b = ends[1];
    int64_t t0 = coral_time();
    for (int i = 0; i < LOCAL; i++) {
        if (coral_channel_send(a, msg, 8, 0, 0) < 0 || coral_channel_recv(b, got, 16, 0, 0) != 8 ||
            coral_channel_send(b, got, 8, 0, 0) < 0 || coral_channel_recv(a, got, 16, 0, 0) != 8)
            coral_exit(5);
    }
    int64_t t1 = coral_time();
    report("channel round trip within a component (4 calls):", t1 - t0, LOCAL);

    /* The other side is a child component that answers each ping. */
    int32_t v = coral_vma_create(sizeof pingpong_child_wasm);
    coral_vma_write(v, 0, pingpong_child_wasm, sizeof pingpong_child_wasm);
    int32_t m = coral_module_create(v, 0, sizeof pingpong_child_wasm);
    int32_t c = coral_component_create();
    int32_t inst = coral_component_add_instance(c, m, "child", 5, &b, 1);
    if (m < 0 || inst < 0 || coral_component_start(c, inst, "_start", 6) < 0)
        coral_exit(6);
    coral_handle_close(b);
    report("channel round trip to another component:", remote_trips(a, 7), REMOTE / BATCHES);

    /* The same, while IDLE more children wait in recv on their own ends. */
    enum { IDLE = 50 };
    static int32_t idle_end[IDLE], idle_comp[IDLE];
    for (int i = 0; i < IDLE; i++) {
        int32_t e[2];
        if (coral_channel_create(e) < 0)
            coral_exit(9);
        int32_t k = coral_component_create();
        int32_t ki = coral_component_add_instance(k, m, "child", 5, &e[1], 1);
        if (ki < 0 || coral_component_start(k, ki, "_start", 6) < 0)
            coral_exit(10);
        coral_handle_close(e[1]);
        coral_handle_close(ki);
        idle_end[i] = e[0];
        idle_comp[i] = k;
    }
    report("channel round trip to another component, 50 idle waiters:", remote_trips(a, 11),
           REMOTE / BATCHES);
    for (int i = 0; i < IDLE; i++) {
        coral_channel_send(idle_end[i], "bye", 3, 0, 0);
        if (coral_component_wait(idle_comp[i]) != CORAL_STATUS_EXITED)
            coral_exit(12);
        coral_handle_close(idle_end[i]);
        coral_handle_close(idle_comp[i]);
    }
    coral_channel_send(a, "bye", 3, 0, 0);
    if (coral_component_wait(c) != CORAL_STATUS_EXITED)
        coral_exit(8);
}

void _start(void)
{
    enum { CALLS = 2000000, COMPONENTS = 300 };
    int32_t acc = 0;
    int64_t t0 = coral_time();
    for (int32_t i = 0; i < CALLS; i++)
        acc += plain(i);
    int64_t t1 = coral_time();
    for (int32_t i = 0; i < CALLS; i++)
        acc += coral_handle_kind(-1);
    int64_t t2 = coral_time();
    sink = acc;
    report("plain wasm call + loop:", t1 - t0, CALLS);
    report("coral call (handle_kind) + loop:", t2 - t1, CALLS);

    int32_t v = coral_vma_create(sizeof empty_wasm);
    coral_vma_write(v, 0, empty_wasm, sizeof empty_wasm);
    int32_t m = coral_module_create(v, 0, sizeof empty_wasm);
    if (m < 0)
        coral_exit(1);
    int64_t t3 = coral_time(), made = 0, started = 0, waited = 0;
    for (int i = 0; i < COMPONENTS; i++) {
        int64_t a = coral_time();
        int32_t c = coral_component_create();
        int32_t inst = coral_component_add_instance(c, m, "e", 1, 0, 0);
        int64_t b = coral_time();
        if (inst < 0 || coral_component_start(c, inst, "_start", 6) < 0)
            coral_exit(2);
        int64_t d = coral_time();
        if (coral_component_wait(c) != CORAL_STATUS_EXITED)
            coral_exit(3);
        made += b - a;
        started += d - b;
        waited += coral_time() - d;
        coral_handle_close(inst);
        coral_handle_close(c);
    }
    int64_t t4 = coral_time();
    report("empty component create+start+wait+reclaim:", t4 - t3, COMPONENTS);
    report("  of which create+add_instance:", made, COMPONENTS);
    report("  of which start (makes the thread):", started, COMPONENTS);
    report("  of which wait (it runs, ends, is reclaimed):", waited, COMPONENTS);
    channel_costs();
}
