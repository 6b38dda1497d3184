/* kernel/coral/component.h: components and instances.
 *
 * A component is the unit of scheduling and of death: it owns its instances
 * (the unit of isolation: each has its own memory and handle table) and,
 * once started, one thread. Its life:
 *
 *   NEW      instances may be added (component_add_instance)
 *   RUNNING  its thread runs the start functions of its instances, then an
 *            export of one instance (component_start)
 *   DEAD     it exited, trapped or was killed; its status is set
 *
 * When it is DEAD and no thread is inside its Wasm code any more, it is
 * reclaimed: every instance's handle table is closed (revoking their
 * tokens), every engine instance and its host functions freed, and its
 * unstarted child components killed (which breaks reference cycles through
 * components that were never started). The component and instance objects
 * themselves live on, as husks, while handles name them.
 *
 * Every function here runs with the big lock held (kernel/coral/sys.h). */
#ifndef CORAL_COMPONENT_H
#define CORAL_COMPONENT_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/coral/abi.h"
#include "kernel/coral/handle.h"
#include "kernel/coral/kmodule.h"
#include "kernel/coral/kobj.h"
#include "kernel/coral/sys.h"
#include "lib/list.h"
#include "wasm/wasm.h"

enum { COMP_NEW, COMP_RUNNING, COMP_DEAD };

#define COMP_INSTANCES_MAX 64u

typedef struct kcomponent {
    kobj o;
    uint32_t id;            /* for messages */
    int state;              /* COMP_* */
    int32_t status;         /* CORAL_STATUS_*, once DEAD */
    bool reclaimed;
    bool kill_requested;
    bool exit_requested;
    uint8_t exit_code;
    uint32_t users;         /* threads inside its Wasm code (its own) */
    lib_list instances;     /* kinstance.node, creation order; each holds a reference */
    uint32_t ninstances;
    struct kcomponent *parent;  /* weak: cleared when the parent goes */
    lib_list children;      /* kcomponent.child_node, weak */
    lib_list child_node;
    struct kinstance *entry_instance;   /* the instance it was started in (weak) */
    struct sys_thread *thread;  /* its thread while RUNNING, NULL once it ends */
    wasm_func *entry;       /* the export its thread runs */
    uint32_t entry_nresults;
    sys_waitlist waiters;       /* component_wait and wait on it: woken when it is reclaimed */
    sys_waitlist stop_waiters;  /* its own blocking calls: woken when it must stop */
} kcomponent;

/* One import of a `coral` function by an instance: the host function made
 * for it, and its data (kernel/coral/coral.c). */
typedef struct coral_fn coral_fn;
typedef struct kimport {
    struct kinstance *ki;
    const coral_fn *fn;
    wasm_func *func;
} kimport;

typedef struct kinstance {
    kobj o;
    kcomponent *comp;       /* weak: NULL once the component is reclaimed */
    lib_list node;
    kmodule *mod;           /* holds a reference */
    wasm_instance *wi;      /* NULL for a bare instance and once reclaimed */
    htab table;
    kimport *imports;       /* its coral imports, one per import of the module */
    uint32_t nimports;      /* how many of them are made */
    uint32_t name_len;
    char name[CORAL_NAME_MAX];
} kinstance;

/* A NEW component, child of `parent` (NULL for the first one): 0 or
 * CORAL_ENOMEM. */
int32_t comp_new(kcomponent *parent, kcomponent **out);

/* An instance with an empty table and no module, not part of `c`'s list
 * (for the kernel's own use and for tests): 0 or CORAL_ENOMEM,
 * CORAL_EINVAL (name too long). */
int32_t inst_new(kcomponent *c, const char *name, uint32_t name_len, kinstance **out);

/* Makes a bare instance from inst_new part of NEW component `c` (the
 * component takes over the caller's reference): 0, or CORAL_ESTATE,
 * CORAL_ELIMIT, CORAL_EINVAL (not a bare instance of c, or name in use).
 * For the kernel's own instances and for tests. */
int32_t comp_adopt(kcomponent *c, kinstance *ki);

/* Instantiates `m` as a new instance of NEW component `c` named `name`,
 * with handles[0..count-1] as its table's entries 0..count-1 and its
 * imports resolved from `coral` or from the exports of the instances
 * already in `c`, named by module name. Its segments are applied now (one
 * that does not fit: CORAL_ETRAP); its start function, if any, runs later
 * on c's thread (comp_start). Returns 0 and the instance (borrowed: the
 * component holds it), or CORAL_ESTATE (not NEW), CORAL_EINVAL (name in
 * use or too long, too many handles), CORAL_ELIMIT, CORAL_ELINK,
 * CORAL_ETRAP, CORAL_ENOMEM, CORAL_EUNSUPPORTED. Link and trap errors are
 * also written to the console. */
int32_t comp_add_instance(kcomponent *c, kmodule *m, const char *name, uint32_t name_len,
                          kobj *const *handles, uint32_t count, kinstance **out);

/* Starts `c`'s thread: it runs the start functions of c's instances, in
 * the order they were added, then export `name` of `ki`, a function of
 * type [] -> [] or [] -> [i32] (the result is the exit code). 0, or
 * CORAL_ESTATE (not NEW), CORAL_EINVAL (ki is not c's, wrong type),
 * CORAL_ENOTFOUND, CORAL_ENOMEM (no thread). */
int32_t comp_start(kcomponent *c, kinstance *ki, const char *name, uint32_t name_len);

/* Waits until `c` is DEAD and reclaimed: its status, or CORAL_ESTATE when
 * `c` was never started or when `self` (the waiting component, may be
 * NULL) is killed meanwhile, CORAL_EINVAL when c == self. */
int32_t comp_wait(kcomponent *c, kcomponent *self);

/* Kills `c`: a NEW one dies now; a RUNNING one is asked to stop: its
 * blocked or next coral call traps, and its thread is interrupted in Wasm
 * code where the engine can (sys_thread_kill); a DEAD one is left alone.
 * Returns 0. */
int32_t comp_kill(kcomponent *c);

/* Records exit(code) for a RUNNING component (its thread then unwinds). */
void comp_exit(kcomponent *c, int32_t code);

/* Whether the thread of a coral call made by `c` must unwind now. */
bool comp_must_stop(const kcomponent *c);

/* Registers waiter `w` (through `link`) on the list woken when `c` must
 * stop, so that a kill ends every wait of c's thread, whatever it waits
 * for (sleep, console_read, recv, irq_wait, wait, component_wait). Does
 * nothing when c is NULL. */
void comp_watch_stop(kcomponent *c, sys_waiter *w, sys_waitlink *link);

/* Called by kobj_unref only. */
void comp_destroy(kcomponent *c);
void inst_destroy(kinstance *ki);

#endif
