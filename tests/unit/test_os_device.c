/* tests/unit/test_os_device.c: the device calls on the host: capabilities
 * derive and narrow as documented (this part is portable and works here),
 * every check that comes before the hardware gives its error code, and
 * every call that passes the checks returns CORAL_EUNSUPPORTED, since a
 * Linux process has no devices to give. Also the device copy (widths,
 * overlap) over plain memory. The kernel side runs in QEMU
 * (tests/steps/60-kernel-programs: programs/drivers/rtc.c and the
 * driver-side bad calls). */
#include <pthread.h>
#include <time.h>
#include "kernel/coral/device.h"
#include "tests/unit/os_fixture.h"

/* Puts a root capability into the caller's table: its handle. */
static int32_t root_cap(void)
{
    sys_lock();
    kiocap *r = iocap_new_root();
    assert_non_null(r);
    int32_t h = htab_add(&self->table, &r->o);
    kobj_unref(&r->o);
    sys_unlock();
    assert_true(h >= 0);
    return h;
}

static void derive_narrows(void **state)
{
    int32_t root = root_cap();
    int32_t ports = coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, 0x70, 2);
    assert_true(ports >= 0);
    assert_int_equal(coral_handle_kind(&ctx, ports), CORAL_KIND_IOCAP);
    /* Narrower, from a derived one: fine; the same range: fine. */
    int32_t one = coral_iocap_derive(&ctx, ports, CORAL_IO_PORTS, 0x71, 1);
    assert_true(one >= 0);
    assert_true(coral_iocap_derive(&ctx, ports, CORAL_IO_PORTS, 0x70, 2) >= 0);
    /* Wider than the parent, overlapping it, beside it, another kind. */
    assert_int_equal(coral_iocap_derive(&ctx, ports, CORAL_IO_PORTS, 0x70, 3), CORAL_EDENIED);
    assert_int_equal(coral_iocap_derive(&ctx, ports, CORAL_IO_PORTS, 0x6f, 2), CORAL_EDENIED);
    assert_int_equal(coral_iocap_derive(&ctx, ports, CORAL_IO_PORTS, 0x72, 1), CORAL_EDENIED);
    assert_int_equal(coral_iocap_derive(&ctx, one, CORAL_IO_PORTS, 0x70, 1), CORAL_EDENIED);
    assert_int_equal(coral_iocap_derive(&ctx, ports, CORAL_IO_IRQ, 0, 1), CORAL_EDENIED);
    assert_int_equal(coral_iocap_derive(&ctx, ports, CORAL_IO_MEM, 0x70, 2), CORAL_EDENIED);
    /* Closing the parent takes nothing from the child. */
    assert_int_equal(coral_handle_close(&ctx, ports), 0);
    assert_true(coral_iocap_derive(&ctx, one, CORAL_IO_PORTS, 0x71, 1) >= 0);
    assert_int_equal(kobj_live(CORAL_KIND_IOCAP), 4);
}

static void derive_ranges(void **state)
{
    int32_t root = root_cap();
    assert_int_equal(coral_iocap_derive(&ctx, root, 0, 0, 1), CORAL_EINVAL);
    assert_int_equal(coral_iocap_derive(&ctx, root, 4, 0, 1), CORAL_EINVAL);
    assert_int_equal(coral_iocap_derive(&ctx, root, -1, 0, 1), CORAL_EINVAL);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, 0x70, 0), CORAL_EINVAL);
    /* Every unit of each kind, and one past the end. */
    assert_true(coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, 0, 0x10000) >= 0);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, 0, 0x10001), CORAL_EINVAL);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, 0xffff, 2), CORAL_EINVAL);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, 0x10000, 1), CORAL_EINVAL);
    assert_true(coral_iocap_derive(&ctx, root, CORAL_IO_IRQ, 15, 1) >= 0);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_IRQ, 15, 2), CORAL_EINVAL);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_IRQ, 16, 1), CORAL_EINVAL);
    assert_true(coral_iocap_derive(&ctx, root, CORAL_IO_MEM, (1ull << 46) - 4096, 4096) >= 0);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_MEM, 1ull << 46, 1), CORAL_EINVAL);
    /* first + count wraps around 64 bits: still refused. */
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_MEM, 4096, UINT64_MAX), CORAL_EINVAL);
    assert_int_equal(coral_iocap_derive(&ctx, root, CORAL_IO_MEM, UINT64_MAX, 2), CORAL_EINVAL);
    /* Handles first. */
    assert_int_equal(coral_iocap_derive(&ctx, 99, CORAL_IO_PORTS, 0x70, 1), CORAL_EBADH);
    int32_t v = coral_vma_create(&ctx, 16);
    assert_int_equal(coral_iocap_derive(&ctx, v, CORAL_IO_PORTS, 0x70, 1), CORAL_EKIND);
}

static void ports(void **state)
{
    int32_t root = root_cap();
    int32_t rtc = coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, 0x70, 2);
    int32_t v = coral_vma_create(&ctx, 16);
    /* What the capability grants reaches the hardware, which is not here. */
    assert_int_equal(coral_io_read8(&ctx, rtc, 0x70), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_io_read16(&ctx, rtc, 0x70), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_io_write8(&ctx, rtc, 0x71, 0xff), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_io_write16(&ctx, rtc, 0x70, 0xffff), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_io_read32(&ctx, root, 0xcf8), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_io_write32(&ctx, root, 0xcf8, 0xffffffffu), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_io_read8(&ctx, root, 0xffff), CORAL_EUNSUPPORTED);
    /* Outside the grant, partly outside, past the port space. */
    assert_int_equal(coral_io_read8(&ctx, rtc, 0x72), CORAL_EDENIED);
    assert_int_equal(coral_io_read8(&ctx, rtc, 0x6f), CORAL_EDENIED);
    assert_int_equal(coral_io_read16(&ctx, rtc, 0x71), CORAL_EDENIED);
    assert_int_equal(coral_io_read32(&ctx, rtc, 0x70), CORAL_EDENIED);
    assert_int_equal(coral_io_write8(&ctx, rtc, 0x80, 0), CORAL_EDENIED);
    assert_int_equal(coral_io_write32(&ctx, rtc, 0x70, 0), CORAL_EDENIED);
    assert_int_equal(coral_io_read8(&ctx, root, 0x10000), CORAL_EINVAL);
    assert_int_equal(coral_io_read16(&ctx, root, 0xffff), CORAL_EINVAL);
    assert_int_equal(coral_io_read32(&ctx, root, 0xfffd), CORAL_EINVAL);
    assert_int_equal(coral_io_read8(&ctx, root, UINT32_MAX), CORAL_EINVAL);
    /* Values wider than the access. */
    assert_int_equal(coral_io_write8(&ctx, rtc, 0x70, 0x100), CORAL_EINVAL);
    assert_int_equal(coral_io_write16(&ctx, rtc, 0x70, 0x10000), CORAL_EINVAL);
    /* Handles: not open, another kind, a capability of another kind. */
    int32_t irqs = coral_iocap_derive(&ctx, root, CORAL_IO_IRQ, 8, 1);
    assert_int_equal(coral_io_read8(&ctx, -1, 0x70), CORAL_EBADH);
    assert_int_equal(coral_io_read8(&ctx, 77, 0x70), CORAL_EBADH);
    assert_int_equal(coral_io_read8(&ctx, v, 0x70), CORAL_EKIND);
    assert_int_equal(coral_io_write8(&ctx, v, 0x70, 0), CORAL_EKIND);
    assert_int_equal(coral_io_read32(&ctx, v, 0x70), CORAL_EKIND);
    assert_int_equal(coral_io_read8(&ctx, irqs, 8), CORAL_EDENIED);
}

static void interrupts(void **state)
{
    int32_t root = root_cap();
    int32_t eight = coral_iocap_derive(&ctx, root, CORAL_IO_IRQ, 8, 1);
    int32_t v = coral_vma_create(&ctx, 16);
    assert_int_equal(coral_irq_create(&ctx, root, 8), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_irq_create(&ctx, eight, 8), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_irq_create(&ctx, eight, 9), CORAL_EDENIED);
    assert_int_equal(coral_irq_create(&ctx, root, 16), CORAL_EINVAL);
    assert_int_equal(coral_irq_create(&ctx, root, -1), CORAL_EINVAL);
    assert_int_equal(coral_irq_create(&ctx, v, 8), CORAL_EKIND);
    assert_int_equal(coral_irq_create(&ctx, 55, 8), CORAL_EBADH);
    assert_int_equal(coral_irq_wait(&ctx, v), CORAL_EKIND);
    assert_int_equal(coral_irq_wait(&ctx, root), CORAL_EKIND);
    assert_int_equal(coral_irq_wait(&ctx, 55), CORAL_EBADH);
    assert_int_equal(kobj_live(CORAL_KIND_IRQ), 0);
}

static void device_memory(void **state)
{
    int32_t root = root_cap();
    int32_t hpet = coral_iocap_derive(&ctx, root, CORAL_IO_MEM, 0xfed00000u, 0x400);
    int32_t v = coral_vma_create(&ctx, 16);
    assert_int_equal(coral_vma_device(&ctx, root, 0xfed00000u, 0x400), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_vma_device(&ctx, hpet, 0xfed00000u, 0x400), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_vma_device(&ctx, hpet, 0xfed00100u, 4), CORAL_EUNSUPPORTED);
    assert_int_equal(coral_vma_device(&ctx, hpet, 0xfed00000u, 0x401), CORAL_EDENIED);
    assert_int_equal(coral_vma_device(&ctx, hpet, 0xfecff000u, 0x1000), CORAL_EDENIED);
    assert_int_equal(coral_vma_device(&ctx, root, 0xfed00000u, 0), CORAL_EINVAL);
    assert_int_equal(coral_vma_device(&ctx, root, 0, CORAL_VMA_MAX + 1), CORAL_EINVAL);
    assert_int_equal(coral_vma_device(&ctx, root, 1ull << 46, 4096), CORAL_EINVAL);
    assert_int_equal(coral_vma_device(&ctx, root, (1ull << 46) - 1, 2), CORAL_EINVAL);
    assert_int_equal(coral_vma_device(&ctx, v, 0xfed00000u, 4), CORAL_EKIND);
    assert_int_equal(coral_vma_device(&ctx, -3, 0xfed00000u, 4), CORAL_EBADH);
    assert_int_equal(kobj_live(CORAL_KIND_VMA), 1);
}

/* dev_copy over plain memory standing in for device memory: the bytes
 * arrive as memmove would put them, for every alignment and overlap. */
static void device_copy(void **state)
{
    uint8_t a[64], b[64], want[64];
    for (uint32_t so = 0; so < 4; so++) {
        for (uint32_t dof = 0; dof < 8; dof++) {
            for (uint32_t len = 0; len < 20; len++) {
                for (int k = 0; k < 4; k++) {
                    bool sd = k & 1, dd = k & 2;
                    for (int i = 0; i < 64; i++)
                        a[i] = (uint8_t)(i * 7 + 1), b[i] = (uint8_t)(200 - i);
                    memcpy(want, b, 64);
                    memmove(want + dof, a + so, len);
                    dev_copy(b + dof, dd, a + so, sd, len);
                    assert_memory_equal(b, want, 64);
                    /* Within one buffer, overlapping both ways. */
                    for (int i = 0; i < 64; i++)
                        a[i] = (uint8_t)(i * 7 + 1);
                    memcpy(want, a, 64);
                    memmove(want + dof, want + so, len);
                    dev_copy(a + dof, dd, a + so, sd, len);
                    assert_memory_equal(a, want, 64);
                }
            }
        }
    }
}

/* An interrupt object made by hand (fake_irq, os_fixture.h): what the
 * handler leaves, irq_wait consumes; a wake-up from another
 * thread ends a wait; a kill ends it with CORAL_ESTATE; the last close
 * destroys it. */
static void *interrupt_later(void *arg)
{
    kirq *q = arg;
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    sys_lock();
    __atomic_add_fetch(&q->pending, 1, __ATOMIC_RELAXED);   /* as the handler does */
    sys_wake(&q->waiters);
    sys_unlock();
    return NULL;
}

static void *kill_later(void *arg)
{
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    sys_lock();
    comp_kill(arg);
    sys_unlock();
    return NULL;
}

static void interrupt_object(void **state)
{
    int32_t h;
    kirq *q = fake_irq(&h);
    assert_int_equal(coral_handle_kind(&ctx, h), CORAL_KIND_IRQ);
    assert_false(kirq_ready(&q->o));
    q->pending = 3;
    assert_true(kirq_ready(&q->o));
    assert_int_equal(coral_irq_wait(&ctx, h), 3);
    assert_false(kirq_ready(&q->o));
    /* Nothing pending: it blocks until another thread's interrupt. */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, interrupt_later, q), 0);
    assert_int_equal(coral_irq_wait(&ctx, h), 1);
    pthread_join(t, NULL);
    assert_int_equal(ctx.trap, 0);
    /* Killed while it waits: it returns and the caller must unwind. */
    assert_int_equal(pthread_create(&t, NULL, kill_later, comp), 0);
    assert_int_equal(coral_irq_wait(&ctx, h), CORAL_ESTATE);
    pthread_join(t, NULL);
    assert_int_equal(ctx.trap, 1);
    sys_lock();
    assert_int_equal(htab_close(&self->table, h), 0);
    sys_unlock();
    assert_int_equal(kobj_live(CORAL_KIND_IRQ), 0);
}

/* A derived capability and an interrupt-less root go away with the table. */
static void reclaim(void **state)
{
    int32_t root = root_cap();
    for (int i = 0; i < 100; i++)
        assert_true(coral_iocap_derive(&ctx, root, CORAL_IO_PORTS, (uint64_t)i, 1) >= 0);
    assert_int_equal(kobj_live(CORAL_KIND_IOCAP), 101);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(derive_narrows, setup, teardown),
        cmocka_unit_test_setup_teardown(derive_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(ports, setup, teardown),
        cmocka_unit_test_setup_teardown(interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(device_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(device_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(interrupt_object, setup, teardown),
        cmocka_unit_test_setup_teardown(reclaim, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
