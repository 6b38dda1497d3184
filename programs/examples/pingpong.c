/* programs/examples/pingpong.c: two components talk over a channel. The
 * parent makes a channel, starts a child (pingpong_child.c, embedded by
 * the build as pingpong_child_wasm[]) with one end, and keeps the other.
 * They exchange ROUNDS pings and pongs, the parent waiting with wait() on
 * its end and on the child's component; then a VMA moves to the child and
 * back (the parent's handle is gone meanwhile), and the parent says bye
 * and waits until its end sees the child's end closed. Last, a second
 * child that is never sent anything blocks in channel_recv: a wait with
 * a timeout times out, and a kill ends the child's recv. */
#include <coral.h>
#include "pingpong_child_wasm.h"

#define ROUNDS 100

static void fail(const char *what, int32_t rc)
{
    coral_puts(what);
    coral_exit(rc < 0 ? 100 - rc : 100);
}

static int32_t end, child;
static char buf[64];
static int32_t handles[4];

/* Waits for the channel or the child: which one is ready (0 or 1). */
static int32_t wait_either(void)
{
    int32_t hs[2] = { end, child };
    int32_t rc = coral_wait(hs, 2, -1);
    if (rc < 0)
        fail("pingpong: wait failed", rc);
    return rc;
}

/* "ping N" as bytes; returns the length. */
static uint32_t ping(int32_t i, char *out, char p)
{
    char d[12];
    int k = 0;
    out[0] = 'p';
    out[1] = p;
    out[2] = 'n';
    out[3] = 'g';
    out[4] = ' ';
    do {
        d[k++] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    uint32_t n = 5;
    while (k)
        out[n++] = d[--k];
    return n;
}

static int32_t start_child(int32_t give)
{
    int32_t code = coral_vma_create(sizeof pingpong_child_wasm);
    if (code < 0 || coral_vma_write(code, 0, pingpong_child_wasm, sizeof pingpong_child_wasm) < 0)
        fail("pingpong: vma for the child's code", code);
    int32_t module = coral_module_create(code, 0, sizeof pingpong_child_wasm);
    if (module < 0)
        fail("pingpong: module_create failed", module);
    coral_handle_close(code);
    int32_t c = coral_component_create();
    if (c < 0)
        fail("pingpong: component_create failed", c);
    int32_t inst = coral_component_add_instance(c, module, "child", 5, &give, 1);
    if (inst < 0)
        fail("pingpong: component_add_instance failed", inst);
    int32_t rc = coral_component_start(c, inst, "_start", 6);
    if (rc < 0)
        fail("pingpong: component_start failed", rc);
    coral_handle_close(inst);
    coral_handle_close(module);
    return c;
}

void _start(void)
{
    int32_t ends[2];
    int32_t rc = coral_channel_create(ends);
    if (rc < 0)
        fail("pingpong: channel_create failed", rc);
    end = ends[0];
    child = start_child(ends[1]);
    coral_handle_close(ends[1]);     /* the child holds that end now, alone */

    char want[16];
    for (int32_t i = 0; i < ROUNDS; i++) {
        uint32_t n = ping(i, buf, 'i');
        if ((rc = coral_channel_send(end, buf, n, 0, 0)) < 0)
            fail("pingpong: send failed", rc);
        if (wait_either() != 0)
            fail("pingpong: the child ended before answering", -1);
        rc = coral_channel_recv(end, buf, sizeof buf, handles, 4);
        ping(i, want, 'o');
        if (rc != (int32_t)n || handles[0] != -1)
            fail("pingpong: wrong answer", rc);
        for (uint32_t k = 0; k < n; k++)
            if (buf[k] != want[k])
                fail("pingpong: wrong pong", -1);
    }
    coral_puts("pingpong: 100 pings answered");

    /* A VMA goes to the child and comes back. */
    static const char text[] = "there";
    int32_t vma = coral_vma_create(64);
    if (vma < 0 || coral_vma_write(vma, 0, text, sizeof text) < 0)
        fail("pingpong: vma", vma);
    int32_t give[1] = { vma };
    if ((rc = coral_channel_send(end, "vma", 3, give, 1)) < 0)
        fail("pingpong: sending the VMA failed", rc);
    if (coral_handle_kind(vma) != CORAL_EBADH)
        fail("pingpong: the VMA's handle stayed after it moved", -1);
    if (wait_either() != 0)
        fail("pingpong: the child ended before sending the VMA back", -1);
    rc = coral_channel_recv(end, buf, sizeof buf, handles, 4);
    if (rc != 3 || coral_msg_handles(handles, 4) != 1 ||
        coral_handle_kind(handles[0]) != CORAL_KIND_VMA)
        fail("pingpong: no VMA came back", rc);
    char line[80] = "pingpong: the VMA came back saying: ";
    uint32_t k = coral_strlen(line);
    if (coral_vma_read(handles[0], 0, line + k, 24) != 24)
        fail("pingpong: vma_read", -1);
    line[k + 23] = 0;
    coral_puts(line);

    /* Bye: the child exits, its end closes, both become ready. */
    if ((rc = coral_channel_send(end, "bye", 3, 0, 0)) < 0)
        fail("pingpong: sending bye failed", rc);
    int32_t hs[1] = { child };
    if ((rc = coral_wait(hs, 1, -1)) != 0)
        fail("pingpong: waiting for the child failed", rc);
    int32_t status = coral_component_wait(child);
    if (!coral_status_exited(status) || coral_status_detail(status) != 0)
        fail("pingpong: the child did not exit with 0", status);
    if ((rc = coral_wait(&end, 1, 0)) != 0)
        fail("pingpong: the channel is not ready after the child ended", rc);
    if ((rc = coral_channel_recv(end, buf, sizeof buf, handles, 4)) != CORAL_ECLOSED)
        fail("pingpong: recv after the child ended is not CORAL_ECLOSED", rc);
    coral_puts("pingpong: the child exited and its end closed");

    /* A child blocked in recv: the wait times out; a kill ends it. */
    if ((rc = coral_channel_create(ends)) < 0)
        fail("pingpong: channel_create failed", rc);
    int32_t quiet = start_child(ends[1]);
    coral_handle_close(ends[1]);
    int32_t both[2] = { quiet, ends[0] };
    int64_t t0 = coral_time();
    if ((rc = coral_wait(both, 2, 20 * 1000 * 1000)) != CORAL_ETIMEDOUT)
        fail("pingpong: the wait on a silent child did not time out", rc);
    if (coral_time() - t0 < 20 * 1000 * 1000)
        fail("pingpong: the wait timed out early", -1);
    if ((rc = coral_component_kill(quiet)) < 0)
        fail("pingpong: component_kill failed", rc);
    if ((rc = coral_wait(both, 2, -1)) != 0)
        fail("pingpong: the killed child is not ready first", rc);
    status = coral_component_wait(quiet);
    if (!coral_status_killed(status))
        fail("pingpong: the child blocked in recv was not killed", status);
    if ((rc = coral_wait(&ends[0], 1, 0)) != 0)
        fail("pingpong: the killed child's end is not closed", rc);
    coral_puts("pingpong: a child blocked in recv was killed");
}
