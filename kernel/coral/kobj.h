/* kernel/coral/kobj.h: the common head of every kernel object, and its
 * reference count.
 *
 * A reference is held by each handle-table entry naming the object, each
 * live token, and each kernel structure that points at it (a component's
 * instances, an instance's module, a running thread's component). Copies of
 * handle numbers or tokens inside Wasm are not counted: they are just
 * numbers, checked on every use. When the count drops to zero the object's
 * kind-specific destroy function runs. All of this happens under the big
 * lock (kernel/coral/sys.h). */
#ifndef CORAL_KOBJ_H
#define CORAL_KOBJ_H

#include <stdint.h>

typedef struct kobj {
    uint32_t refs;
    uint8_t kind;       /* CORAL_KIND_* */
} kobj;

/* Sets up the head of a new object with one reference (the creator's). */
void kobj_init(kobj *o, int kind);
void kobj_ref(kobj *o);
/* Drops a reference; the last one destroys the object. NULL is ignored. */
void kobj_unref(kobj *o);

/* A kernel object with no state of its own (the console, the root I/O
 * capability); NULL when out of memory. */
kobj *kobj_new_plain(int kind);

/* Objects of `kind` alive now (0: all kinds), for leak checks. */
long kobj_live(int kind);

/* The kind's name ("vma", "module", ...), for messages. */
const char *kobj_kind_name(int kind);

#endif
