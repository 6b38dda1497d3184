/* kernel/coral/device.c: I/O capabilities, interrupt objects and device
 * VMAs (see device.h for the model). */
#include "kernel/coral/abi.h"
#include "kernel/coral/device.h"
#include "kernel/coral/sys.h"
#include "lib/string.h"

/* ---- capabilities ---- */

kiocap *iocap_new_root(void)
{
    kiocap *c = sys_alloc(sizeof *c);
    if (!c)
        return NULL;
    kobj_init(&c->o, CORAL_KIND_IOCAP);
    c->root = true;
    return c;
}

/* One past the last unit of `kind`, 0 for an unknown kind. */
static uint64_t kind_end(int kind)
{
    switch (kind) {
    case CORAL_IO_PORTS: return CORAL_IO_PORTS_END;
    case CORAL_IO_IRQ:   return CORAL_IO_IRQ_END;
    case CORAL_IO_MEM:   return CORAL_IO_MEM_END;
    default:             return 0;
    }
}

/* Whether [first, first+count) is a non-empty range below the kind's end
 * (computed without overflow). */
static bool in_kind(int kind, uint64_t first, uint64_t count)
{
    uint64_t end = kind_end(kind);
    return count && first < end && count <= end - first;
}

bool iocap_allows(const kiocap *c, int kind, uint64_t first, uint64_t count)
{
    if (!in_kind(kind, first, count))
        return false;
    if (c->root)
        return true;
    return c->kind == kind && first >= c->first && first - c->first <= c->count &&
           count <= c->count - (first - c->first);
}

int32_t iocap_derive(const kiocap *parent, int32_t kind, uint64_t first, uint64_t count,
                     kiocap **out)
{
    *out = NULL;
    if (!in_kind(kind, first, count))
        return CORAL_EINVAL;
    if (!iocap_allows(parent, kind, first, count))
        return CORAL_EDENIED;
    kiocap *c = sys_alloc(sizeof *c);
    if (!c)
        return CORAL_ENOMEM;
    kobj_init(&c->o, CORAL_KIND_IOCAP);
    c->kind = (uint8_t)kind;
    c->first = first;
    c->count = count;
    *out = c;
    return 0;
}

/* ---- ports ---- */

static int32_t port_check(const kiocap *c, uint32_t port, int width)
{
    if (port >= CORAL_IO_PORTS_END || port + (uint32_t)width > CORAL_IO_PORTS_END)
        return CORAL_EINVAL;
    if (!iocap_allows(c, CORAL_IO_PORTS, port, (uint64_t)width))
        return CORAL_EDENIED;
    return 0;
}

int32_t dev_io_read(const kiocap *c, uint32_t port, int width, uint32_t *value)
{
    *value = 0;
    int32_t rc = port_check(c, port, width);
    return rc < 0 ? rc : sys_io_read(port, width, value);
}

int32_t dev_io_write(const kiocap *c, uint32_t port, int width, uint32_t value)
{
    if (width < 4 && value >> (8 * width))
        return CORAL_EINVAL;
    int32_t rc = port_check(c, port, width);
    return rc < 0 ? rc : sys_io_write(port, width, value);
}

/* ---- interrupts ---- */

/* The line's handler, in interrupt context (kernel/irq.c calls it before
 * the end of interrupt). It masks the line first, so that nothing more
 * comes until the driver has serviced the device and called irq_wait.
 * What it calls is safe there: sys_irq_mask is irq_mask (an I/O APIC or
 * PIC register write, with interrupts already off); sys_wake only walks
 * the object's list of waiters and moves their threads to the run queue,
 * under irq_save, and never blocks or allocates (sys_kernel.c: the list
 * changes with interrupts off too). */
static void fired(int line, void *arg)
{
    kirq *q = arg;
    sys_irq_mask(line);
    __atomic_add_fetch(&q->pending, 1, __ATOMIC_RELAXED);
    sys_wake(&q->waiters);
}

int32_t kirq_new(const kiocap *c, int32_t line, kirq **out)
{
    *out = NULL;
    if (line < 0 || (uint64_t)line >= CORAL_IO_IRQ_END)
        return CORAL_EINVAL;
    if (!iocap_allows(c, CORAL_IO_IRQ, (uint64_t)line, 1))
        return CORAL_EDENIED;
    kirq *q = sys_alloc(sizeof *q);
    if (!q)
        return CORAL_ENOMEM;
    q->line = line;
    sys_waitlist_init(&q->waiters);     /* before the handler can run */
    int32_t rc = sys_irq_attach(line, fired, q);
    if (rc < 0) {
        sys_free(q);
        return rc;
    }
    kobj_init(&q->o, CORAL_KIND_IRQ);
    *out = q;
    return 0;
}

static int pending(kirq *q)
{
    return __atomic_load_n(&q->pending, __ATOMIC_RELAXED) != 0;
}

/* Unmasks the line, unless an interrupt is pending: that one has not been
 * serviced yet, so the line stays masked until it has been consumed and
 * the driver asks for the next. The second look closes the window where
 * an interrupt comes between the first and the unmask (possible only when
 * the line was unmasked already, by kirq_arm). */
static void arm(kirq *q)
{
    if (pending(q))
        return;
    sys_irq_unmask(q->line);
    if (pending(q))
        sys_irq_mask(q->line);
}

int32_t kirq_wait(kirq *q, kcomponent *self)
{
    int32_t rc;
    kobj_ref(&q->o);        /* another holder may close the last handle meanwhile */
    sys_waiter w;
    sys_waitlink links[2];
    sys_waiter_init(&w);
    sys_waiter_add(&w, &links[0], &q->waiters);
    comp_watch_stop(self, &w, &links[1]);
    arm(q);
    for (;;) {
        if (self && comp_must_stop(self)) {
            rc = CORAL_ESTATE;
            break;
        }
        uint32_t n = __atomic_exchange_n(&q->pending, 0, __ATOMIC_RELAXED);
        if (n) {
            rc = n > INT32_MAX ? INT32_MAX : (int32_t)n;
            break;
        }
        /* An interrupt between the check above and this wait is not
         * lost: w is registered, so the handler's sys_wake signals it
         * and sys_wait_event returns at once. */
        sys_wait_event(&w, 0);
    }
    sys_waiter_done(&w);
    kobj_unref(&q->o);
    return rc;
}

void kirq_arm(kobj *o)
{
    arm((kirq *)o);
}

int kirq_ready(kobj *o)
{
    return pending((kirq *)o);
}

void kirq_destroy(kirq *q)
{
    sys_irq_detach(q->line);
    sys_free(q);
}

/* ---- device memory ---- */

int32_t dev_vma_new(const kiocap *c, uint64_t phys, uint32_t size, vma **out)
{
    *out = NULL;
    if (size == 0 || size > CORAL_VMA_MAX || !in_kind(CORAL_IO_MEM, phys, size))
        return CORAL_EINVAL;
    if (!iocap_allows(c, CORAL_IO_MEM, phys, size))
        return CORAL_EDENIED;
    uint8_t *map;
    int32_t rc = sys_device_map(phys, size, &map);
    if (rc < 0)
        return rc;
    rc = vma_new_device(map, phys, size, out);
    if (rc < 0)
        sys_device_unmap(phys, size);
    return rc;
}

static uint32_t load(const uint8_t *p, bool dev, uint32_t w)
{
    uint32_t v = 0;
    if (!dev)
        lib_memcpy(&v, p, w);               /* little-endian: the low w bytes */
    else if (w == 4)
        v = *(const volatile uint32_t *)p;
    else if (w == 2)
        v = *(const volatile uint16_t *)p;
    else
        v = *(const volatile uint8_t *)p;
    return v;
}

static void store(uint8_t *p, bool dev, uint32_t w, uint32_t v)
{
    if (!dev)
        lib_memcpy(p, &v, w);
    else if (w == 4)
        *(volatile uint32_t *)p = v;
    else if (w == 2)
        *(volatile uint16_t *)p = (uint16_t)v;
    else
        *(volatile uint8_t *)p = (uint8_t)v;
}

void dev_copy(uint8_t *dst, bool dst_dev, const uint8_t *src, bool src_dev, uint32_t len)
{
    uintptr_t a = len;
    if (dst_dev)
        a |= (uintptr_t)dst;
    if (src_dev)
        a |= (uintptr_t)src;
    uint32_t w = a % 4 == 0 ? 4 : a % 2 == 0 ? 2 : 1;
    bool back = dst > src && dst < src + len;
    for (uint32_t i = 0; i < len; i += w) {
        uint32_t at = back ? len - w - i : i;
        store(dst + at, dst_dev, w, load(src + at, src_dev, w));
    }
}
