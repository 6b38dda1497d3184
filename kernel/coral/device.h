/* kernel/coral/device.h: devices for drivers written as programs: I/O
 * capabilities, interrupt objects, and device VMAs. Portable: the hardware
 * is reached through kernel/coral/sys.h (port I/O, interrupt lines, device
 * mappings), which the kernel implements and the host refuses with
 * CORAL_EUNSUPPORTED.
 *
 * An I/O capability (CORAL_KIND_IOCAP) grants device access. The root one
 * (userboot's CORAL_BOOT_IOCAP) grants every port, every ISA line and all
 * physical memory that is not RAM; a derived one grants one range of one
 * kind (CORAL_IO_PORTS, CORAL_IO_IRQ, CORAL_IO_MEM) that lies inside its
 * parent's grant. A derived capability copies its range and keeps no link
 * to its parent: closing the parent takes nothing away from it. Whatever a
 * capability grants, the kernel keeps its own devices (sys.h refuses them
 * with CORAL_EDENIED).
 *
 * An interrupt object (CORAL_KIND_IRQ) owns one ISA line while it lives.
 * Its handler, in interrupt context, masks the line, counts the interrupt
 * pending and wakes the waiters; kirq_wait unmasks the line (which
 * acknowledges the interrupt the driver has just serviced), then blocks
 * until one is pending and consumes the count. So the line stays masked
 * from an interrupt until the driver asks for the next one, and a device
 * that keeps its line raised cannot storm the kernel.
 *
 * Every function here runs with the big lock held, except the handler. */
#ifndef CORAL_DEVICE_H
#define CORAL_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/coral/component.h"
#include "kernel/coral/kobj.h"
#include "kernel/coral/vma.h"

typedef struct kiocap {
    kobj o;
    bool root;
    uint8_t kind;           /* CORAL_IO_*, when not root */
    uint64_t first, count;  /* the range it grants, when not root */
} kiocap;

typedef struct kirq {
    kobj o;
    int line;
    uint32_t pending;       /* interrupts not consumed yet (set by the handler) */
    sys_waitlist waiters;   /* irq_wait and wait on it: woken by the handler */
} kirq;

/* The root capability, or NULL when out of memory. */
kiocap *iocap_new_root(void);

/* Makes a capability for [first, first+count) of `kind` out of `parent`:
 * 0 and *out (one reference, the caller's), or CORAL_EINVAL (unknown
 * kind, count 0, the range reaches past the kind's end), CORAL_EDENIED
 * (parent does not grant all of it), CORAL_ENOMEM. */
int32_t iocap_derive(const kiocap *parent, int32_t kind, uint64_t first, uint64_t count,
                     kiocap **out);

/* Whether `c` grants [first, first+count) of `kind`. */
bool iocap_allows(const kiocap *c, int kind, uint64_t first, uint64_t count);

/* Reads or writes `width` bytes (1, 2, 4) at `port`: 0, or CORAL_EINVAL
 * (port over 0xffff, or the access reaches past 0xffff; a value too wide
 * to write), CORAL_EDENIED, CORAL_EUNSUPPORTED. */
int32_t dev_io_read(const kiocap *c, uint32_t port, int width, uint32_t *value);
int32_t dev_io_write(const kiocap *c, uint32_t port, int width, uint32_t value);

/* Claims ISA line `line` for a new interrupt object: 0 and *out (one
 * reference, the caller's), or CORAL_EINVAL (line over 15), CORAL_EDENIED
 * (not granted by `c`; line 0, the timer's, 2, the cascade, or 4, the
 * console's),
 * CORAL_EBUSY, CORAL_ENOMEM, CORAL_EUNSUPPORTED. */
int32_t kirq_new(const kiocap *c, int32_t line, kirq **out);

/* Unmasks the line, then blocks until an interrupt is pending, and
 * returns how many came since the last call (>= 1), or CORAL_ESTATE when
 * `self` (the caller's component) must stop meanwhile. When one is
 * pending already, it returns at once and leaves the line masked. */
int32_t kirq_wait(kirq *q, kcomponent *self);

/* For a wait on several handles: kirq_arm unmasks the line as kirq_wait
 * does before it blocks (not when an interrupt is pending); kirq_ready
 * tells whether one is pending (`o` must be a CORAL_KIND_IRQ object). The
 * waiter registers on the object's `waiters`, which the handler wakes.
 * After a wait reports the handle ready, irq_wait returns at once. */
void kirq_arm(kobj *o);
int kirq_ready(kobj *o);

/* A VMA over physical device memory [phys, phys+size): 0 and *out, or
 * CORAL_EINVAL (size 0 or over CORAL_VMA_MAX, or past CORAL_IO_MEM_END),
 * CORAL_EDENIED (not granted by `c`, or RAM or the kernel's), CORAL_ENOMEM,
 * CORAL_EUNSUPPORTED. */
int32_t dev_vma_new(const kiocap *c, uint64_t phys, uint32_t size, vma **out);

/* Copies `len` bytes where either side may be device memory (`*_dev`):
 * the device side is read or written in aligned units of 4, 2 or 1 bytes,
 * each one access of that width (the widest that the device addresses
 * and `len` allow), backwards when dst overlaps src from above. */
void dev_copy(uint8_t *dst, bool dst_dev, const uint8_t *src, bool src_dev, uint32_t len);

/* Called by kobj_unref only: detaches the line. */
void kirq_destroy(kirq *q);

#endif
