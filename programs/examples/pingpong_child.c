/* programs/examples/pingpong_child.c: the child of pingpong.c (and of
 * tests/programs/costs.c). Its creator gives it one handle, a channel end
 * (handle 0 of its table). It answers each message: "ping..." with
 * "pong..." (the rest as it came), "vma" carrying a VMA handle by
 * appending to the VMA's text and sending the VMA back, "bye" by exiting
 * with 0. A closed channel makes it exit with 1, anything else with 2. */
#include <coral.h>

static char buf[256];
static int32_t handles[CORAL_MSG_HANDLES_MAX];

static int same(const char *a, const char *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* The VMA's text (NUL-ended), with " and back" added. */
static int32_t answer_vma(int32_t vma)
{
    static char text[64];
    static const char more[] = " and back";
    if (coral_vma_read(vma, 0, text, sizeof text) != sizeof text)
        return -1;
    uint32_t n = coral_strlen(text);
    if (n + sizeof more > sizeof text)
        return -1;
    if (coral_vma_write(vma, n, more, sizeof more) != sizeof more)
        return -1;
    int32_t give[1] = { vma };
    return coral_channel_send(0, "vma", 3, give, 1);
}

void _start(void)
{
    if (coral_handle_kind(0) != CORAL_KIND_CHANNEL) {
        coral_puts("pingpong_child: handle 0 is not a channel end");
        coral_exit(2);
    }
    for (;;) {
        int32_t n = coral_channel_recv(0, buf, sizeof buf, handles, CORAL_MSG_HANDLES_MAX);
        if (n == CORAL_ECLOSED)
            coral_exit(1);
        if (n < 0)
            coral_exit(2);
        uint32_t nh = coral_msg_handles(handles, CORAL_MSG_HANDLES_MAX);
        if (n == 3 && same(buf, "bye", 3) && nh == 0)
            coral_exit(0);
        if (n == 3 && same(buf, "vma", 3) && nh == 1 &&
            coral_handle_kind(handles[0]) == CORAL_KIND_VMA) {
            if (answer_vma(handles[0]) < 0)
                coral_exit(2);
            coral_puts("pingpong_child: sent the VMA back");
            continue;
        }
        if (n >= 4 && same(buf, "ping", 4) && nh == 0) {
            buf[1] = 'o';
            if (coral_channel_send(0, buf, (uint32_t)n, 0, 0) < 0)
                coral_exit(2);
            continue;
        }
        coral_exit(2);
    }
}
