/* kernel/coral/component.c: components and instances: creation,
 * instantiation with import resolution, the component thread, death and
 * reclaim. */
#include "kernel/coral/abi.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/sys.h"
#include "lib/string.h"

static uint32_t next_id = 1;

int32_t comp_new(kcomponent *parent, kcomponent **out)
{
    *out = NULL;
    kcomponent *c = sys_alloc(sizeof *c);
    if (!c)
        return CORAL_ENOMEM;
    kobj_init(&c->o, CORAL_KIND_COMPONENT);
    c->id = next_id++;
    c->state = COMP_NEW;
    lib_list_init(&c->instances);
    lib_list_init(&c->children);
    lib_list_init(&c->child_node);
    sys_waitlist_init(&c->waiters);
    sys_waitlist_init(&c->stop_waiters);
    c->parent = parent;
    if (parent)
        lib_list_push_back(&parent->children, &c->child_node);
    *out = c;
    return 0;
}

int32_t inst_new(kcomponent *c, const char *name, uint32_t name_len, kinstance **out)
{
    *out = NULL;
    if (name_len >= sizeof ((kinstance *)0)->name)
        return CORAL_EINVAL;
    kinstance *ki = sys_alloc(sizeof *ki);
    if (!ki)
        return CORAL_ENOMEM;
    kobj_init(&ki->o, CORAL_KIND_INSTANCE);
    ki->comp = c;
    lib_list_init(&ki->node);
    htab_init(&ki->table);
    lib_memcpy(ki->name, name, name_len);
    ki->name_len = name_len;
    *out = ki;
    return 0;
}

/* Frees what an instance holds in the engine: the instance first, then
 * the host functions it imported, then its module. */
static void inst_release(kinstance *ki)
{
    if (ki->wi)
        wasm_instance_free(ki->wi);
    ki->wi = NULL;
    for (uint32_t i = 0; i < ki->nimports; i++)
        wasm_func_free(ki->imports[i].func);
    sys_free(ki->imports);
    ki->imports = NULL;
    ki->nimports = 0;
    if (ki->mod)
        kobj_unref(&ki->mod->o);
    ki->mod = NULL;
}

void inst_destroy(kinstance *ki)
{
    htab_close_all(&ki->table);
    inst_release(ki);
    sys_free(ki);
}

/* The instance of `c` named `name`, or NULL. */
static kinstance *find_instance(kcomponent *c, const char *name, uint32_t len)
{
    for (lib_list *n = c->instances.next; n != &c->instances; n = n->next) {
        kinstance *ki = LIB_CONTAINER_OF(n, kinstance, node);
        if (ki->name_len == len && lib_memcmp(ki->name, name, len) == 0)
            return ki;
    }
    return NULL;
}

/* Reclaims a DEAD component with no thread inside it (see component.h).
 * The caller keeps `c` alive (a reference, or c is being destroyed). */
static void reclaim_inner(kcomponent *c)
{
    if (c->reclaimed)
        return;
    c->reclaimed = true;
    /* Tables first, while the list still holds every instance: closing an
     * entry may drop the last outside reference to an instance of c. */
    for (lib_list *n = c->instances.next; n != &c->instances; n = n->next)
        htab_close_all(&LIB_CONTAINER_OF(n, kinstance, node)->table);
    /* Engine instances in reverse order: later ones import from earlier ones. */
    for (lib_list *n = c->instances.prev; n != &c->instances; n = n->prev)
        inst_release(LIB_CONTAINER_OF(n, kinstance, node));
    lib_list *n;
    while ((n = lib_list_pop_front(&c->instances))) {
        kinstance *ki = LIB_CONTAINER_OF(n, kinstance, node);
        ki->comp = NULL;
        kobj_unref(&ki->o);
    }
    c->ninstances = 0;
    c->entry = NULL;
    c->entry_instance = NULL;
    /* Children never started die with their parent; each kill may unlink
     * a child, so search again from the start every time. */
    for (;;) {
        kcomponent *child = NULL;
        for (n = c->children.next; n != &c->children; n = n->next) {
            kcomponent *k = LIB_CONTAINER_OF(n, kcomponent, child_node);
            if (k->state == COMP_NEW) {
                child = k;
                break;
            }
        }
        if (!child)
            break;
        comp_kill(child);
    }
    sys_wake(&c->waiters);
}

static void reclaim(kcomponent *c)
{
    kobj_ref(&c->o);
    reclaim_inner(c);
    kobj_unref(&c->o);
}

void comp_destroy(kcomponent *c)
{
    if (c->state != COMP_DEAD) {
        c->state = COMP_DEAD;
        c->status = CORAL_STATUS_KILLED;
    }
    reclaim_inner(c);
    lib_list_remove(&c->child_node);
    lib_list *n;
    while ((n = lib_list_pop_front(&c->children)))
        LIB_CONTAINER_OF(n, kcomponent, child_node)->parent = NULL;
    sys_free(c);
}

int32_t comp_adopt(kcomponent *c, kinstance *ki)
{
    if (c->state != COMP_NEW)
        return CORAL_ESTATE;
    if (c->ninstances >= COMP_INSTANCES_MAX)
        return CORAL_ELIMIT;
    if (ki->comp != c || !lib_list_empty(&ki->node) ||
        (ki->name_len && find_instance(c, ki->name, ki->name_len)))
        return CORAL_EINVAL;
    lib_list_push_back(&c->instances, &ki->node);
    c->ninstances++;
    return 0;
}

/* Resolves import `i` of `m` for `ki`, a new instance of `c`. */
static int32_t resolve(kcomponent *c, kinstance *ki, const wasm_import_info *imp,
                       wasm_extern *out)
{
    if (imp->module_len == 5 && lib_memcmp(imp->module, "coral", 5) == 0) {
        if (imp->kind != WASM_EXTERN_FUNC) {
            coral_logf("coral: instance %.*s: import coral.%.*s is not a function\n",
                       (int)ki->name_len, ki->name, (int)imp->name_len, imp->name);
            return CORAL_ELINK;
        }
        kimport *ci = &ki->imports[ki->nimports];
        ci->ki = ki;
        int32_t rc = coral_import_func(imp->name, imp->name_len, ci);
        if (rc < 0)
            return rc;
        ki->nimports++;
        out->kind = WASM_EXTERN_FUNC;
        out->of.func = ci->func;
        return 0;
    }
    kinstance *from = find_instance(c, imp->module, imp->module_len);
    if (!from || !from->wi || wasm_instance_export(from->wi, imp->name, imp->name_len, out) != 0 ||
        out->kind != imp->kind) {
        coral_logf("coral: instance %.*s: cannot resolve import %.*s.%.*s%s\n",
                   (int)ki->name_len, ki->name, (int)imp->module_len, imp->module,
                   (int)imp->name_len, imp->name,
                   !from ? " (no instance of that name)" : "");
        return CORAL_ELINK;
    }
    return 0;
}

static int32_t instantiate_error(kinstance *ki, const wasm_error *err)
{
    switch (err->kind) {
    case WASM_ERR_LINK:
        coral_logf("coral: instance %.*s: %s\n", (int)ki->name_len, ki->name, err->message);
        return CORAL_ELINK;
    case WASM_ERR_TRAP:
        coral_logf("coral: instance %.*s: instantiation trapped: %s\n",
                   (int)ki->name_len, ki->name, err->message);
        return CORAL_ETRAP;
    case WASM_ERR_RESOURCE:
        return CORAL_ENOMEM;
    case WASM_ERR_UNSUPPORTED:
        coral_logf("coral: instance %.*s: %s\n", (int)ki->name_len, ki->name, err->message);
        return CORAL_EUNSUPPORTED;
    default:
        coral_logf("coral: instance %.*s: %s\n", (int)ki->name_len, ki->name, err->message);
        return CORAL_EINVAL;
    }
}

/* Checks the arguments and builds the instance and its table. */
static int32_t prepare(kcomponent *c, kmodule *m, const char *name, uint32_t name_len,
                       kobj *const *handles, uint32_t count, kinstance **out)
{
    *out = NULL;
    if (c->state != COMP_NEW)
        return CORAL_ESTATE;
    if (!m->wm)
        return CORAL_EINVAL;
    if (c->ninstances >= COMP_INSTANCES_MAX)
        return CORAL_ELIMIT;
    if (count > CORAL_HANDLES_MAX)
        return CORAL_EINVAL;
    if ((name_len == 5 && lib_memcmp(name, "coral", 5) == 0) ||
        (name_len && find_instance(c, name, name_len)))
        return CORAL_EINVAL;
    kinstance *ki;
    int32_t rc = inst_new(c, name, name_len, &ki);
    if (rc < 0)
        return rc;
    for (uint32_t i = 0; i < count && rc >= 0; i++)
        rc = htab_add(&ki->table, handles[i]);
    uint32_t nimports = wasm_module_import_count(m->wm);
    if (rc >= 0 && nimports) {
        ki->imports = sys_alloc(nimports * sizeof *ki->imports);
        if (!ki->imports)
            rc = CORAL_ENOMEM;
    }
    ki->mod = m;
    kobj_ref(&m->o);
    if (rc < 0) {
        kobj_unref(&ki->o);
        return rc;
    }
    *out = ki;
    return 0;
}

int32_t comp_add_instance(kcomponent *c, kmodule *m, const char *name, uint32_t name_len,
                          kobj *const *handles, uint32_t count, kinstance **out)
{
    kinstance *ki;
    int32_t rc = prepare(c, m, name, name_len, handles, count, &ki);
    *out = NULL;
    if (rc < 0)
        return rc;
    uint32_t nimports = wasm_module_import_count(m->wm);
    wasm_extern *imports = NULL;
    if (nimports && !(imports = sys_alloc(nimports * sizeof *imports)))
        rc = CORAL_ENOMEM;
    for (uint32_t i = 0; i < nimports && rc >= 0; i++) {
        wasm_import_info imp;
        wasm_module_import(m->wm, i, &imp);
        rc = resolve(c, ki, &imp, &imports[i]);
    }
    if (rc >= 0) {
        /* The start function is left to the component's own thread
         * (comp_thread), so that it is scheduled, killed and accounted as
         * the component's: no Wasm code runs here, the lock stays held. */
        wasm_error err;
        lib_memset(&err, 0, sizeof err);
        ki->wi = wasm_instance_new_ex(m->wm, imports, nimports, WASM_INSTANCE_DEFER_START, &err);
        if (!ki->wi)
            rc = instantiate_error(ki, &err);
    }
    sys_free(imports);
    if (rc < 0) {
        kobj_unref(&ki->o);
        return rc;
    }
    lib_list_push_back(&c->instances, &ki->node);   /* the list takes our reference */
    c->ninstances++;
    *out = ki;
    return 0;
}

/* Runs the start functions of c's instances, in the order they were
 * added (later ones may import from earlier ones), then the entry: 0, or
 * -1 with err and *where, the instance whose code trapped. The instance
 * list does not change while the component runs (it is added to only when
 * NEW and reclaimed only when no thread is inside), so no lock is needed. */
static int run_code(kcomponent *c, wasm_val *res, wasm_error *err, kinstance **where)
{
    for (lib_list *n = c->instances.next; n != &c->instances; n = n->next) {
        *where = LIB_CONTAINER_OF(n, kinstance, node);
        if (wasm_instance_run_start((*where)->wi, err) != 0)
            return -1;
    }
    *where = c->entry_instance;
    return wasm_func_call(c->entry, NULL, 0, res, c->entry_nresults, err);
}

/* The component's thread: runs its code, then records how it ended. */
static void comp_thread(void *arg)
{
    kcomponent *c = arg;
    wasm_val res[1];
    wasm_error err;
    kinstance *ki = NULL;
    lib_memset(res, 0, sizeof res);
    lib_memset(&err, 0, sizeof err);
    int rc = run_code(c, res, &err, &ki);
    sys_lock();
    int32_t status;
    if (c->kill_requested) {
        status = CORAL_STATUS_KILLED;
    } else if (c->exit_requested) {
        status = CORAL_STATUS_EXITED | c->exit_code;
    } else if (rc != 0) {
        int trap = err.kind == WASM_ERR_TRAP ? (int)err.trap : WASM_TRAP_HOST;
        status = CORAL_STATUS_TRAPPED | (trap & CORAL_STATUS_DETAIL);
        coral_logf("coral: component %u (%.*s) trapped: %s\n", c->id,
                   ki ? (int)ki->name_len : 0, ki ? ki->name : "",
                   err.message[0] ? err.message : "no message");
    } else {
        status = CORAL_STATUS_EXITED | (c->entry_nresults ? (res[0].of.i32 & 0xff) : 0);
    }
    c->status = status;
    c->state = COMP_DEAD;
    c->thread = NULL;
    c->users--;
    if (c->users == 0)
        reclaim(c);
    sys_wake(&c->stop_waiters);    /* other threads in its calls (the embedder's) */
    kobj_unref(&c->o);   /* the thread's reference */
    sys_unlock();
}

int32_t comp_start(kcomponent *c, kinstance *ki, const char *name, uint32_t name_len)
{
    if (c->state != COMP_NEW)
        return CORAL_ESTATE;
    if (ki->comp != c || !ki->wi)
        return CORAL_EINVAL;
    wasm_extern ext;
    if (wasm_instance_export(ki->wi, name, name_len, &ext) != 0 || ext.kind != WASM_EXTERN_FUNC)
        return CORAL_ENOTFOUND;
    const uint8_t *params, *results;
    uint32_t np, nr;
    wasm_func_type(ext.of.func, &params, &np, &results, &nr);
    if (np != 0 || nr > 1 || (nr == 1 && results[0] != WASM_I32))
        return CORAL_EINVAL;
    c->entry = ext.of.func;
    c->entry_nresults = nr;
    c->entry_instance = ki;
    c->state = COMP_RUNNING;
    c->users++;
    kobj_ref(&c->o);
    c->thread = sys_thread_start(comp_thread, c);
    if (!c->thread) {
        c->state = COMP_NEW;
        c->users--;
        c->entry = NULL;
        c->entry_instance = NULL;
        kobj_unref(&c->o);
        return CORAL_ENOMEM;
    }
    return 0;
}

int32_t comp_wait(kcomponent *c, kcomponent *self)
{
    if (c == self)
        return CORAL_EINVAL;
    if (c->state == COMP_NEW)
        return CORAL_ESTATE;
    kobj_ref(&c->o);
    int32_t rc;
    sys_waiter w;
    sys_waitlink links[2];
    sys_waiter_init(&w);
    sys_waiter_add(&w, &links[0], &c->waiters);
    comp_watch_stop(self, &w, &links[1]);
    for (;;) {
        if (c->reclaimed) {
            rc = c->status;
            break;
        }
        if (self && comp_must_stop(self)) {
            rc = CORAL_ESTATE;
            break;
        }
        sys_wait_event(&w, 0);
    }
    sys_waiter_done(&w);
    kobj_unref(&c->o);
    return rc;
}

int32_t comp_kill(kcomponent *c)
{
    switch (c->state) {
    case COMP_NEW:
        c->kill_requested = true;
        c->state = COMP_DEAD;
        c->status = CORAL_STATUS_KILLED;
        sys_wake(&c->stop_waiters);      /* before reclaim, which may free c */
        if (c->users == 0)
            reclaim(c);
        break;
    case COMP_RUNNING:
        c->kill_requested = true;
        sys_wake(&c->stop_waiters);      /* its blocked calls return and trap */
        if (c->thread)
            sys_thread_kill(c->thread);   /* stops code that makes no coral calls */
        break;
    default:
        break;                          /* DEAD: woken when it died */
    }
    return 0;
}

void comp_exit(kcomponent *c, int32_t code)
{
    if (c->state == COMP_RUNNING && !c->exit_requested) {
        c->exit_requested = true;
        c->exit_code = (uint8_t)(code & 0xff);
        sys_wake(&c->stop_waiters);
    }
}

bool comp_must_stop(const kcomponent *c)
{
    return c->kill_requested || c->exit_requested || c->state == COMP_DEAD;
}

void comp_watch_stop(kcomponent *c, sys_waiter *w, sys_waitlink *link)
{
    if (c)
        sys_waiter_add(w, link, &c->stop_waiters);
}
