/* tests/kernel/ktest_channel.c: channels in the kernel (kernel/coral/),
 * through the checked calls with a kernel buffer as the caller's memory:
 * after 10 warm-up rounds, 1,000 rounds of largest messages, handles that
 * move (VMAs and channel ends), messages left queued when both ends close,
 * leave the free frame count, the heap and the kernel objects where they
 * were. No Wasm code runs, and no call blocks (each recv has a message). */
#include "tests/kernel/ktest.h"
#include "kernel/coral/abi.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/kmalloc.h"
#include "kernel/kprintf.h"
#include "kernel/pmm.h"
#include "kernel/time.h"
#include "lib/string.h"

#define MEM   (128u * 1024)
#define ENDS  0u          /* channel_create writes two i32s here */
#define HS    16u         /* handle arrays */
#define DATA  1024u       /* message bytes */
#define BUF   (DATA + CORAL_MSG_BYTES_MAX)

static int32_t rd(const coral_ctx *c, uint32_t at)
{
    int32_t v;
    lib_memcpy(&v, c->mem + at, 4);
    return v;
}

static void wr(coral_ctx *c, uint32_t at, int32_t v)
{
    lib_memcpy(c->mem + at, &v, 4);
}

static bool channel(coral_ctx *c, int32_t *a, int32_t *b)
{
    if (coral_channel_create(c, ENDS) != 0)
        return ktest_fail("channel_create failed");
    *a = rd(c, ENDS);
    *b = rd(c, ENDS + 4);
    return true;
}

static bool one_round(coral_ctx *c, int i)
{
    int32_t a, b, x, y;
    if (!channel(c, &a, &b) || !channel(c, &x, &y))
        return false;
    int32_t v = coral_vma_create(c, 4096);
    /* The largest message, carrying a VMA and the end x. */
    c->mem[DATA] = (uint8_t)i;
    c->mem[DATA + CORAL_MSG_BYTES_MAX - 1] = (uint8_t)~i;
    wr(c, HS, v);
    wr(c, HS + 4, x);
    if (coral_channel_send(c, a, DATA, CORAL_MSG_BYTES_MAX, HS, 2) != 0)
        return ktest_fail("round %d: send of 64 KiB and 2 handles failed", i);
    if (coral_handle_kind(c, v) != CORAL_EBADH || coral_handle_kind(c, x) != CORAL_EBADH)
        return ktest_fail("round %d: moved handles stayed", i);
    lib_memset(c->mem + DATA, 0, CORAL_MSG_BYTES_MAX);
    if (coral_channel_recv(c, b, DATA, CORAL_MSG_BYTES_MAX, HS, 4) != (int32_t)CORAL_MSG_BYTES_MAX)
        return ktest_fail("round %d: recv of 64 KiB failed", i);
    if (c->mem[DATA] != (uint8_t)i || c->mem[DATA + CORAL_MSG_BYTES_MAX - 1] != (uint8_t)~i)
        return ktest_fail("round %d: the bytes changed on the way", i);
    int32_t v2 = rd(c, HS), x2 = rd(c, HS + 4);
    if (coral_handle_kind(c, v2) != CORAL_KIND_VMA || coral_handle_kind(c, x2) != CORAL_KIND_CHANNEL ||
        rd(c, HS + 8) != -1)
        return ktest_fail("round %d: the handles did not arrive", i);
    /* The end works where it arrived. */
    if (coral_channel_send(c, y, DATA, 5, 0, 0) != 0 || coral_channel_recv(c, x2, DATA, 8, 0, 0) != 5)
        return ktest_fail("round %d: the moved end does not work", i);
    /* Left queued: a VMA and an end, freed when the channel goes. */
    wr(c, HS, v2);
    wr(c, HS + 4, y);
    if (coral_channel_send(c, b, DATA, 100, HS, 2) != 0)
        return ktest_fail("round %d: the last send failed", i);
    coral_handle_close(c, a);
    coral_handle_close(c, b);
    coral_handle_close(c, x2);
    return true;
}

static bool rounds(coral_ctx *c, int n)
{
    for (int i = 0; i < n; i++)
        if (!one_round(c, i))
            return false;
    return kobj_live(CORAL_KIND_CHANNEL) == 0 && kobj_live(CORAL_KIND_VMA) == 0 ? true
           : ktest_fail("%ld channel ends and %ld VMAs left", kobj_live(CORAL_KIND_CHANNEL),
                        kobj_live(CORAL_KIND_VMA));
}

bool ktest_coral_channels(void)
{
    kcomponent *comp;
    kinstance *self;
    uint8_t *mem = kzalloc(MEM);
    if (!mem || comp_new(0, &comp) < 0 || inst_new(comp, "ktest", 5, &self) < 0)
        return ktest_fail("no memory");
    coral_ctx c = { self, mem, MEM, 0 };
    bool ok = rounds(&c, 10);
    uint64_t frames = pmm_free_count();
    kmalloc_stats heap = kmalloc_stats_get();
    uint64_t t0 = time_ns();
    ok = ok && rounds(&c, 1000);
    uint64_t t1 = time_ns();
    uint64_t frames2 = pmm_free_count();
    kmalloc_stats heap2 = kmalloc_stats_get();
    kprintf("coral-channels: 1000 rounds in %lu ms: free frames %lu -> %lu, heap blocks %lu -> %lu, "
            "bytes %lu -> %lu\n", (t1 - t0) / 1000000, frames, frames2, heap.blocks, heap2.blocks,
            heap.bytes, heap2.bytes);
    if (ok && (frames2 != frames || heap2.blocks != heap.blocks || heap2.bytes != heap.bytes))
        ok = ktest_fail("the channels did not give everything back");
    kobj_unref(&self->o);
    kobj_unref(&comp->o);
    kfree(mem);
    if (ok && kobj_live(0) != 0)
        ok = ktest_fail("%ld kernel objects left", kobj_live(0));
    return ok;
}
