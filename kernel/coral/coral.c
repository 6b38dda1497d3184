/* kernel/coral/coral.c: the `coral` module: the checked calls (coral_*),
 * the table of host functions, and their Wasm-facing wrappers. */
#include <stdarg.h>
#include "kernel/coral/abi.h"
#include "kernel/coral/channel.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/device.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/token.h"
#include "kernel/coral/vma.h"
#include "kernel/coral/wait.h"
#include "lib/fmt.h"
#include "lib/string.h"

static wasm_engine *engine;

void coral_init(wasm_engine *e) { engine = e; }
wasm_engine *coral_engine(void) { return engine; }

void coral_logf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = lib_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    sys_console_write(buf, (size_t)n);
}

/* ---- entering and leaving ---- */

/* Whether the caller must unwind (its component is being killed, has
 * exited, or is gone): then c->trap is set and it traps on return. Checked
 * on entry and again after a call that blocked or killed. */
static int must_stop(coral_ctx *c)
{
    kcomponent *k = c->self->comp;
    if (k && !comp_must_stop(k))
        return 0;
    c->trap = 1;
    return 1;
}

/* Takes the big lock; false (lock still held, c->trap set) when the
 * caller must unwind. */
static int enter(coral_ctx *c)
{
    sys_lock();
    return !must_stop(c);
}

static int32_t leave(int32_t rc)
{
    sys_unlock();
    return rc;
}

/* Whether [ptr, ptr+len) lies inside the caller's memory. */
static int in_memory(const coral_ctx *c, uint32_t ptr, uint32_t len)
{
    if (!c->mem)
        return ptr == 0 && len == 0;
    return (uint64_t)ptr + len <= c->mem_size;
}

/* The object behind the caller's handle `h` of `kind` (0: any). */
static kobj *get(coral_ctx *c, int32_t h, int kind, int32_t *rc)
{
    kobj *o;
    *rc = htab_get(&c->self->table, h, kind, &o);
    return o;
}

/* Puts a new object into the caller's table and leaves; the table takes
 * the creator's reference, or, when it is full, the object goes. */
static int32_t leave_added(coral_ctx *c, kobj *o)
{
    int32_t rc = htab_add(&c->self->table, o);
    kobj_unref(o);
    return leave(rc);
}

/* Copies a name from the caller's memory into buf (NUL-terminated). */
static int32_t copy_name(coral_ctx *c, uint32_t ptr, uint32_t len, char *buf, uint32_t cap)
{
    if (len >= cap)
        return CORAL_EINVAL;
    if (!in_memory(c, ptr, len))
        return CORAL_EFAULT;
    lib_memcpy(buf, c->mem + ptr, len);
    buf[len] = 0;
    return 0;
}

/* ---- diagnostics ---- */

int32_t coral_log(coral_ctx *c, uint32_t ptr, uint32_t len)
{
    if (!enter(c))
        return leave(CORAL_ESTATE);
    if (!in_memory(c, ptr, len))
        return leave(CORAL_EFAULT);
    if (len > CORAL_LOG_MAX)
        return leave(CORAL_EINVAL);
    /* One record per call: a line, completed if the program did not end it. */
    if (len)
        sys_console_write((const char *)c->mem + ptr, len);
    if (!len || c->mem[ptr + len - 1] != '\n')
        sys_console_write("\n", 1);
    return leave((int32_t)len);
}

/* ---- the console ---- */

int32_t coral_console_write(coral_ctx *c, int32_t h, uint32_t ptr, uint32_t len)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    if (!get(c, h, CORAL_KIND_CONSOLE, &rc))
        return leave(rc);
    if (!in_memory(c, ptr, len))
        return leave(CORAL_EFAULT);
    if (len > CORAL_LOG_MAX)
        return leave(CORAL_EINVAL);
    sys_console_write((const char *)c->mem + ptr, len);
    return leave((int32_t)len);
}

int32_t coral_console_read(coral_ctx *c, int32_t h, uint32_t ptr, uint32_t cap)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    if (!get(c, h, CORAL_KIND_CONSOLE, &rc))
        return leave(rc);
    if (!in_memory(c, ptr, cap))
        return leave(CORAL_EFAULT);
    if (cap == 0 || cap > CORAL_LOG_MAX)
        return leave(CORAL_EINVAL);
    /* Waits on the console's input and on a kill; registered before the
     * first read, so input that comes after it signals the waiter. */
    sys_waiter w;
    sys_waitlink links[2];
    sys_waiter_init(&w);
    sys_waiter_add(&w, &links[0], sys_console_waitlist());
    comp_watch_stop(c->self->comp, &w, &links[1]);
    for (;;) {
        int n = sys_console_read((char *)c->mem + ptr, cap);
        if (n != 0) {
            rc = n > 0 ? n : 0;         /* 0: the end of input */
            break;
        }
        if (must_stop(c)) {
            rc = CORAL_ESTATE;
            break;
        }
        sys_wait_event(&w, 0);
    }
    sys_waiter_done(&w);
    return leave(rc);
}

void coral_exit(coral_ctx *c, int32_t code)
{
    sys_lock();
    if (c->self->comp)
        comp_exit(c->self->comp, code);
    c->trap = 1;
    sys_unlock();
}

/* ---- handles ---- */

int32_t coral_handle_kind(coral_ctx *c, int32_t h)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kobj *o = get(c, h, 0, &rc);
    return leave(o ? o->kind : rc);
}

int32_t coral_handle_close(coral_ctx *c, int32_t h)
{
    if (!enter(c))
        return leave(CORAL_ESTATE);
    return leave(htab_close(&c->self->table, h));
}

int32_t coral_handle_dup(coral_ctx *c, int32_t h)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kobj *o = get(c, h, 0, &rc);
    return leave(o ? htab_add(&c->self->table, o) : rc);
}

uint64_t coral_handle_to_ref(coral_ctx *c, int32_t h)
{
    uint64_t token = 0;
    if (enter(c))
        htab_token(&c->self->table, h, &token);
    sys_unlock();
    return token;
}

int32_t coral_handle_from_ref(coral_ctx *c, uint64_t token)
{
    kobj *o;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    int32_t rc = token_lookup(token, &o);
    return leave(rc < 0 ? rc : htab_add(&c->self->table, o));
}

/* ---- VMAs ---- */

int32_t coral_vma_create(coral_ctx *c, uint32_t size)
{
    vma *v;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    int32_t rc = vma_new(size, &v);
    if (rc < 0)
        return leave(rc);
    return leave_added(c, &v->o);
}

int32_t coral_vma_size(coral_ctx *c, int32_t h)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    vma *v = (vma *)get(c, h, CORAL_KIND_VMA, &rc);
    return leave(v ? (int32_t)v->size : rc);
}

/* Checks a transfer between VMA `h` and the caller's memory. */
static vma *transfer(coral_ctx *c, int32_t h, uint32_t off, uint32_t ptr, uint32_t len,
                     int32_t *rc)
{
    vma *v = (vma *)get(c, h, CORAL_KIND_VMA, rc);
    if (!v)
        return NULL;
    if (!vma_in_bounds(v, off, len)) {
        *rc = CORAL_ERANGE;
        return NULL;
    }
    if (!in_memory(c, ptr, len)) {
        *rc = CORAL_EFAULT;
        return NULL;
    }
    return v;
}

int32_t coral_vma_read(coral_ctx *c, int32_t h, uint32_t off, uint32_t ptr, uint32_t len)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    vma *v = transfer(c, h, off, ptr, len, &rc);
    if (!v)
        return leave(rc);
    vma_load(v, off, c->mem + ptr, len);
    return leave((int32_t)len);
}

int32_t coral_vma_write(coral_ctx *c, int32_t h, uint32_t off, uint32_t ptr, uint32_t len)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    vma *v = transfer(c, h, off, ptr, len, &rc);
    if (!v)
        return leave(rc);
    vma_store(v, off, c->mem + ptr, len);
    return leave((int32_t)len);
}

int32_t coral_vma_copy(coral_ctx *c, int32_t src, int32_t dst, uint32_t src_off,
                       uint32_t dst_off, uint32_t len)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    vma *s = (vma *)get(c, src, CORAL_KIND_VMA, &rc);
    if (!s)
        return leave(rc);
    vma *d = (vma *)get(c, dst, CORAL_KIND_VMA, &rc);
    if (!d)
        return leave(rc);
    return leave(vma_copy(s, d, src_off, dst_off, len));
}

/* ---- modules and components ---- */

int32_t coral_module_create(coral_ctx *c, int32_t h, uint32_t off, uint32_t len)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    vma *v = (vma *)get(c, h, CORAL_KIND_VMA, &rc);
    if (!v)
        return leave(rc);
    if (!vma_in_bounds(v, off, len))
        return leave(CORAL_ERANGE);
    if (v->device)
        return leave(CORAL_EINVAL);    /* registers, not module bytes */
    if (!engine)
        return leave(CORAL_EUNSUPPORTED);
    kmodule *m;
    rc = kmodule_new(v->bytes + off, len, &m);     /* the copy, under the lock */
    if (rc < 0)
        return leave(rc);
    /* Compiling takes a while and looks only at the private copy. */
    wasm_error err;
    lib_memset(&err, 0, sizeof err);
    sys_unlock();
    rc = kmodule_compile(m, engine, 0, &err);
    sys_lock();
    if (rc >= 0)
        return leave_added(c, &m->o);
    coral_logf("coral: module_create: %s\n", err.message[0] ? err.message : "rejected");
    kobj_unref(&m->o);
    return leave(rc);
}

int32_t coral_component_create(coral_ctx *c)
{
    kcomponent *k;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    int32_t rc = comp_new(c->self->comp, &k);
    if (rc < 0)
        return leave(rc);
    return leave_added(c, &k->o);
}

int32_t coral_component_add_instance(coral_ctx *c, int32_t comp, int32_t module,
                                     uint32_t name_ptr, uint32_t name_len,
                                     uint32_t handles_ptr, uint32_t count)
{
    int32_t rc;
    char name[CORAL_NAME_MAX];
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kcomponent *k = (kcomponent *)get(c, comp, CORAL_KIND_COMPONENT, &rc);
    if (!k)
        return leave(rc);
    kmodule *m = (kmodule *)get(c, module, CORAL_KIND_MODULE, &rc);
    if (!m)
        return leave(rc);
    if ((rc = copy_name(c, name_ptr, name_len, name, sizeof name)) < 0)
        return leave(rc);
    if (count > CORAL_HANDLES_MAX)
        return leave(CORAL_EINVAL);
    if (!in_memory(c, handles_ptr, count * 4))
        return leave(CORAL_EFAULT);
    kobj **objs = NULL;
    if (count && !(objs = sys_alloc(count * sizeof *objs)))
        return leave(CORAL_ENOMEM);
    for (uint32_t i = 0; i < count && rc >= 0; i++) {
        const uint8_t *p = c->mem + handles_ptr + 4 * i;      /* little-endian i32 */
        int32_t h = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
                              (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        objs[i] = get(c, h, 0, &rc);
    }
    kinstance *ki = NULL;
    /* Room for the result first: an instance made and then refused a
     * handle would stay in the component out of reach. The lock is held
     * throughout (no Wasm code runs in comp_add_instance), so the room
     * stays and the caller's table keeps k, m and the handles alive. */
    if (rc >= 0)
        rc = htab_reserve(&c->self->table);
    if (rc >= 0)
        rc = comp_add_instance(k, m, name, name_len, objs, count, &ki);
    if (rc >= 0)
        rc = htab_add(&c->self->table, &ki->o);
    sys_free(objs);
    return leave(rc);
}

int32_t coral_component_start(coral_ctx *c, int32_t comp, int32_t inst,
                              uint32_t name_ptr, uint32_t name_len)
{
    int32_t rc;
    char name[CORAL_NAME_MAX];
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kcomponent *k = (kcomponent *)get(c, comp, CORAL_KIND_COMPONENT, &rc);
    if (!k)
        return leave(rc);
    kinstance *ki = (kinstance *)get(c, inst, CORAL_KIND_INSTANCE, &rc);
    if (!ki)
        return leave(rc);
    if ((rc = copy_name(c, name_ptr, name_len, name, sizeof name)) < 0)
        return leave(rc);
    return leave(comp_start(k, ki, name, name_len));
}

int32_t coral_component_wait(coral_ctx *c, int32_t comp)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kcomponent *k = (kcomponent *)get(c, comp, CORAL_KIND_COMPONENT, &rc);
    if (!k)
        return leave(rc);
    rc = comp_wait(k, c->self->comp);
    must_stop(c);
    return leave(rc);
}

int32_t coral_component_kill(coral_ctx *c, int32_t comp)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kcomponent *k = (kcomponent *)get(c, comp, CORAL_KIND_COMPONENT, &rc);
    if (!k)
        return leave(rc);
    rc = comp_kill(k);
    must_stop(c);          /* it may have killed its own component */
    return leave(rc);
}

/* ---- time and scheduling ---- */

int64_t coral_time(coral_ctx *c)
{
    if (!enter(c))
        return leave(CORAL_ESTATE);
    sys_unlock();
    return (int64_t)sys_time_ns();
}

int32_t coral_sleep(coral_ctx *c, int64_t ns)
{
    if (!enter(c))
        return leave(CORAL_ESTATE);
    if (ns < 0)
        return leave(CORAL_EINVAL);
    uint64_t deadline = sys_time_ns() + (uint64_t)ns;
    /* Nothing wakes a sleep but its deadline and a kill. */
    sys_waiter w;
    sys_waitlink link;
    sys_waiter_init(&w);
    comp_watch_stop(c->self->comp, &w, &link);
    int32_t rc = 0;
    while (sys_time_ns() < deadline) {
        if (must_stop(c)) {
            rc = CORAL_ESTATE;
            break;
        }
        sys_wait_event(&w, deadline);
    }
    sys_waiter_done(&w);
    return leave(rc);
}

int32_t coral_yield(coral_ctx *c)
{
    if (!enter(c))
        return leave(CORAL_ESTATE);
    sys_unlock();
    sys_yield();
    return 0;
}

/* ---- the host functions ---- */

/* Every import of a `coral` function gets a host function of its own whose
 * data is a kimport: the importing instance and the entry of the table
 * below. One adapter (host_call) serves them all: it builds the coral_ctx
 * and calls the entry's h_* glue, which unpacks the arguments, calls the
 * checked function and packs its result. */

/* An i32 result goes in the low half of its slot. */
static uint64_t r32(int32_t r) { return (uint32_t)r; }
static int32_t s32(uint64_t a) { return (int32_t)(uint32_t)a; }
static uint32_t u32(uint64_t a) { return (uint32_t)a; }

static void h_log(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_log(c, u32(a[0]), u32(a[1]))); }
static void h_exit(coral_ctx *c, uint64_t *a) { coral_exit(c, s32(a[0])); }
static void h_handle_kind(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_handle_kind(c, s32(a[0]))); }
static void h_handle_close(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_handle_close(c, s32(a[0]))); }
static void h_handle_dup(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_handle_dup(c, s32(a[0]))); }
static void h_handle_to_ref(coral_ctx *c, uint64_t *a) { a[0] = coral_handle_to_ref(c, s32(a[0])); }
static void h_handle_from_ref(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_handle_from_ref(c, a[0])); }
static void h_vma_create(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_vma_create(c, u32(a[0]))); }
static void h_vma_size(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_vma_size(c, s32(a[0]))); }

static void h_vma_read(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_vma_read(c, s32(a[0]), u32(a[1]), u32(a[2]), u32(a[3])));
}

static void h_vma_write(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_vma_write(c, s32(a[0]), u32(a[1]), u32(a[2]), u32(a[3])));
}

static void h_vma_copy(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_vma_copy(c, s32(a[0]), s32(a[1]), u32(a[2]), u32(a[3]), u32(a[4])));
}

static void h_module_create(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_module_create(c, s32(a[0]), u32(a[1]), u32(a[2])));
}

static void h_component_create(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_component_create(c)); }

static void h_component_add_instance(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_component_add_instance(c, s32(a[0]), s32(a[1]), u32(a[2]), u32(a[3]),
                                            u32(a[4]), u32(a[5])));
}

static void h_component_start(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_component_start(c, s32(a[0]), s32(a[1]), u32(a[2]), u32(a[3])));
}

static void h_component_wait(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_component_wait(c, s32(a[0]))); }
static void h_component_kill(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_component_kill(c, s32(a[0]))); }
static void h_time(coral_ctx *c, uint64_t *a) { a[0] = (uint64_t)coral_time(c); }
static void h_console_write(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_console_write(c, (int32_t)a[0], u32(a[1]), u32(a[2])));
}
static void h_console_read(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_console_read(c, (int32_t)a[0], u32(a[1]), u32(a[2])));
}
static void h_sleep(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_sleep(c, (int64_t)a[0])); }
static void h_yield(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_yield(c)); }

/* ---- IPC: channels and wait ----
 * The checked calls (kernel/coral/channel.c holds the object,
 * kernel/coral/wait.c readiness), then their glue. Handle arrays in the
 * caller's memory are little-endian i32s. */

static int32_t get_i32(const coral_ctx *c, uint32_t ptr)
{
    const uint8_t *p = c->mem + ptr;
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

static void put_i32(coral_ctx *c, uint32_t ptr, int32_t v)
{
    uint8_t *p = c->mem + ptr;
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)((uint32_t)v >> (8 * i));
}

int32_t coral_channel_create(coral_ctx *c, uint32_t ends_ptr)
{
    kchan *a, *b;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    if (!in_memory(c, ends_ptr, 8))
        return leave(CORAL_EFAULT);
    int32_t rc = chan_new(&a, &b);
    if (rc < 0)
        return leave(rc);
    int32_t ha = htab_add(&c->self->table, &a->o), hb = CORAL_ENOMEM;
    if (ha >= 0 && (hb = htab_add(&c->self->table, &b->o)) < 0)
        htab_close(&c->self->table, ha);
    kobj_unref(&a->o);      /* the table holds them now, or nobody does */
    kobj_unref(&b->o);
    if (ha < 0 || hb < 0)
        return leave(ha < 0 ? ha : hb);
    put_i32(c, ends_ptr, ha);
    put_i32(c, ends_ptr + 4, hb);
    return leave(0);
}

int32_t coral_channel_send(coral_ctx *c, int32_t end, uint32_t ptr, uint32_t len,
                           uint32_t handles_ptr, uint32_t count)
{
    int32_t rc;
    kobj *objs[CORAL_MSG_HANDLES_MAX];
    int32_t hs[CORAL_MSG_HANDLES_MAX];
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kchan *e = (kchan *)get(c, end, CORAL_KIND_CHANNEL, &rc);
    if (!e)
        return leave(rc);
    if (len > CORAL_MSG_BYTES_MAX || count > CORAL_MSG_HANDLES_MAX)
        return leave(CORAL_EINVAL);
    if (!in_memory(c, ptr, len) || !in_memory(c, handles_ptr, count * 4))
        return leave(CORAL_EFAULT);
    for (uint32_t i = 0; i < count; i++) {
        hs[i] = get_i32(c, handles_ptr + 4 * i);
        if (!(objs[i] = get(c, hs[i], 0, &rc)))
            return leave(rc);
        for (uint32_t j = 0; j < i; j++)
            if (hs[j] == hs[i])
                return leave(CORAL_EINVAL);     /* a handle moves once */
    }
    if ((rc = chan_check_send(e, objs, count)) < 0)
        return leave(rc);
    if ((rc = chan_send(e, c->mem ? c->mem + ptr : NULL, len, objs, count)) < 0)
        return leave(rc);
    /* The message holds the objects now; the sender's entries go (and
     * with them the tokens made from them). */
    for (uint32_t i = 0; i < count; i++)
        htab_close(&c->self->table, hs[i]);
    return leave(0);
}

/* Installs message m's handles in the caller's table, all or none:
 * 0 and their numbers in hs, or the table's error. */
static int32_t install(coral_ctx *c, const kmsg *m, int32_t *hs)
{
    for (uint32_t i = 0; i < m->nhandles; i++) {
        hs[i] = htab_add(&c->self->table, m->handles[i]);
        if (hs[i] < 0) {
            int32_t rc = hs[i];
            while (i--)
                htab_close(&c->self->table, hs[i]);
            return rc;
        }
    }
    return 0;
}

int32_t coral_channel_recv(coral_ctx *c, int32_t end, uint32_t ptr, uint32_t cap,
                           uint32_t handles_ptr, uint32_t hcap)
{
    int32_t rc;
    int32_t hs[CORAL_MSG_HANDLES_MAX];
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kchan *e = (kchan *)get(c, end, CORAL_KIND_CHANNEL, &rc);
    if (!e)
        return leave(rc);
    if (hcap > CORAL_MSG_HANDLES_MAX)
        return leave(CORAL_EINVAL);
    if (!in_memory(c, ptr, cap) || !in_memory(c, handles_ptr, hcap * 4))
        return leave(CORAL_EFAULT);
    kobj_ref(&e->o);        /* while it waits */
    /* The waiter is registered (on e and on the kill) only when recv
     * must block, then everything is checked again before it sleeps. */
    sys_waiter w;
    sys_waitlink links[2];
    bool waiting = false;
    kmsg *m;
    while (!(m = chan_peek(e))) {
        if (!e->peer) {
            rc = CORAL_ECLOSED;
            goto out;
        }
        if (must_stop(c)) {
            rc = CORAL_ESTATE;
            goto out;
        }
        if (!waiting) {
            sys_waiter_init(&w);
            sys_waiter_add(&w, &links[0], &e->waiters);
            comp_watch_stop(c->self->comp, &w, &links[1]);
            waiting = true;
            continue;
        }
        sys_wait_event(&w, 0);
    }
    if (m->len > cap || m->nhandles > hcap) {
        rc = CORAL_ETOOBIG;     /* it stays queued */
        goto out;
    }
    if ((rc = install(c, m, hs)) < 0)
        goto out;
    if (m->len)
        lib_memcpy(c->mem + ptr, m->bytes, m->len);
    for (uint32_t i = 0; i < hcap; i++)
        put_i32(c, handles_ptr + 4 * i, i < m->nhandles ? hs[i] : -1);
    rc = (int32_t)m->len;
    chan_pop(e);
out:
    if (waiting)
        sys_waiter_done(&w);
    kobj_unref(&e->o);
    return leave(rc);
}

int32_t coral_wait(coral_ctx *c, uint32_t handles_ptr, uint32_t count, int64_t timeout_ns)
{
    int32_t rc;
    kobj *objs[CORAL_WAIT_MAX];
    if (!enter(c))
        return leave(CORAL_ESTATE);
    if (count == 0 || count > CORAL_WAIT_MAX)
        return leave(CORAL_EINVAL);
    if (!in_memory(c, handles_ptr, count * 4))
        return leave(CORAL_EFAULT);
    for (uint32_t i = 0; i < count; i++) {
        if (!(objs[i] = get(c, get_i32(c, handles_ptr + 4 * i), 0, &rc)))
            return leave(rc);
        if (!wait_list(objs[i]))
            return leave(CORAL_EKIND);      /* a kind that cannot be waited on */
    }
    /* Ours while we wait: the caller's entries may go meanwhile. */
    for (uint32_t i = 0; i < count; i++)
        kobj_ref(objs[i]);
    uint64_t deadline = 0;
    if (timeout_ns >= 0) {
        deadline = sys_time_ns() + (uint64_t)timeout_ns;
        if (!deadline)
            deadline = 1;
    }
    rc = wait_any(objs, count, deadline, c->self->comp);
    if (rc == CORAL_ESTATE)
        must_stop(c);
    for (uint32_t i = 0; i < count; i++)
        kobj_unref(objs[i]);
    return leave(rc);
}

static void h_channel_create(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_channel_create(c, u32(a[0]))); }

static void h_channel_send(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_channel_send(c, s32(a[0]), u32(a[1]), u32(a[2]), u32(a[3]), u32(a[4])));
}

static void h_channel_recv(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_channel_recv(c, s32(a[0]), u32(a[1]), u32(a[2]), u32(a[3]), u32(a[4])));
}

static void h_wait(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_wait(c, u32(a[0]), u32(a[1]), (int64_t)a[2]));
}

/* ---- end of IPC ---- */
/* ---- devices (kernel/coral/device.c): the checked calls and their glue ---- */

int32_t coral_iocap_derive(coral_ctx *c, int32_t iocap, int32_t kind, uint64_t first,
                           uint64_t count)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kiocap *p = (kiocap *)get(c, iocap, CORAL_KIND_IOCAP, &rc);
    if (!p)
        return leave(rc);
    kiocap *d;
    if ((rc = iocap_derive(p, kind, first, count, &d)) < 0)
        return leave(rc);
    return leave_added(c, &d->o);
}

/* io_read8/16 and io_write*: the value (or 0), or an error. */
static int64_t io_read(coral_ctx *c, int32_t iocap, uint32_t port, int width)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kiocap *k = (kiocap *)get(c, iocap, CORAL_KIND_IOCAP, &rc);
    if (!k)
        return leave(rc);
    uint32_t v;
    rc = dev_io_read(k, port, width, &v);
    sys_unlock();
    return rc < 0 ? rc : (int64_t)v;
}

int32_t coral_io_read8(coral_ctx *c, int32_t iocap, uint32_t port)
{
    return (int32_t)io_read(c, iocap, port, 1);
}

int32_t coral_io_read16(coral_ctx *c, int32_t iocap, uint32_t port)
{
    return (int32_t)io_read(c, iocap, port, 2);
}

int64_t coral_io_read32(coral_ctx *c, int32_t iocap, uint32_t port)
{
    return io_read(c, iocap, port, 4);
}

static int32_t io_write(coral_ctx *c, int32_t iocap, uint32_t port, int width, uint32_t value)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kiocap *k = (kiocap *)get(c, iocap, CORAL_KIND_IOCAP, &rc);
    if (!k)
        return leave(rc);
    return leave(dev_io_write(k, port, width, value));
}

int32_t coral_io_write8(coral_ctx *c, int32_t iocap, uint32_t port, uint32_t value)
{
    return io_write(c, iocap, port, 1, value);
}

int32_t coral_io_write16(coral_ctx *c, int32_t iocap, uint32_t port, uint32_t value)
{
    return io_write(c, iocap, port, 2, value);
}

int32_t coral_io_write32(coral_ctx *c, int32_t iocap, uint32_t port, uint32_t value)
{
    return io_write(c, iocap, port, 4, value);
}

int32_t coral_irq_create(coral_ctx *c, int32_t iocap, int32_t line)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kiocap *k = (kiocap *)get(c, iocap, CORAL_KIND_IOCAP, &rc);
    if (!k)
        return leave(rc);
    /* Room first: a line claimed and then refused a handle would be
     * claimed for nobody until the object went again. */
    if ((rc = htab_reserve(&c->self->table)) < 0)
        return leave(rc);
    kirq *q;
    if ((rc = kirq_new(k, line, &q)) < 0)
        return leave(rc);
    return leave_added(c, &q->o);
}

int32_t coral_irq_wait(coral_ctx *c, int32_t irq)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kirq *q = (kirq *)get(c, irq, CORAL_KIND_IRQ, &rc);
    if (!q)
        return leave(rc);
    rc = kirq_wait(q, c->self->comp);
    must_stop(c);
    return leave(rc);
}

int32_t coral_vma_device(coral_ctx *c, int32_t iocap, uint64_t phys, uint32_t size)
{
    int32_t rc;
    if (!enter(c))
        return leave(CORAL_ESTATE);
    kiocap *k = (kiocap *)get(c, iocap, CORAL_KIND_IOCAP, &rc);
    if (!k)
        return leave(rc);
    if ((rc = htab_reserve(&c->self->table)) < 0)
        return leave(rc);
    vma *v;
    if ((rc = dev_vma_new(k, phys, size, &v)) < 0)
        return leave(rc);
    return leave_added(c, &v->o);
}

static void h_iocap_derive(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_iocap_derive(c, s32(a[0]), s32(a[1]), a[2], a[3]));
}

static void h_io_read8(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_io_read8(c, s32(a[0]), u32(a[1]))); }
static void h_io_read16(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_io_read16(c, s32(a[0]), u32(a[1]))); }
static void h_io_read32(coral_ctx *c, uint64_t *a) { a[0] = (uint64_t)coral_io_read32(c, s32(a[0]), u32(a[1])); }

static void h_io_write8(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_io_write8(c, s32(a[0]), u32(a[1]), u32(a[2])));
}

static void h_io_write16(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_io_write16(c, s32(a[0]), u32(a[1]), u32(a[2])));
}

static void h_io_write32(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_io_write32(c, s32(a[0]), u32(a[1]), u32(a[2])));
}

static void h_irq_create(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_irq_create(c, s32(a[0]), s32(a[1]))); }
static void h_irq_wait(coral_ctx *c, uint64_t *a) { a[0] = r32(coral_irq_wait(c, s32(a[0]))); }

static void h_vma_device(coral_ctx *c, uint64_t *a)
{
    a[0] = r32(coral_vma_device(c, s32(a[0]), a[1], u32(a[2])));
}

struct coral_fn {
    const char *name;
    const char *params;     /* i: i32, I: i64, r: externref */
    const char *results;
    void (*glue)(coral_ctx *c, uint64_t *args_and_results);
};

static const coral_fn fns[] = {
    { "log", "ii", "i", h_log },
    { "exit", "i", "", h_exit },
    { "handle_kind", "i", "i", h_handle_kind },
    { "handle_close", "i", "i", h_handle_close },
    { "handle_dup", "i", "i", h_handle_dup },
    { "handle_to_ref", "i", "r", h_handle_to_ref },
    { "handle_from_ref", "r", "i", h_handle_from_ref },
    { "vma_create", "i", "i", h_vma_create },
    { "vma_size", "i", "i", h_vma_size },
    { "vma_read", "iiii", "i", h_vma_read },
    { "vma_write", "iiii", "i", h_vma_write },
    { "vma_copy", "iiiii", "i", h_vma_copy },
    { "module_create", "iii", "i", h_module_create },
    { "component_create", "", "i", h_component_create },
    { "component_add_instance", "iiiiii", "i", h_component_add_instance },
    { "component_start", "iiii", "i", h_component_start },
    { "component_wait", "i", "i", h_component_wait },
    { "component_kill", "i", "i", h_component_kill },
    { "time", "", "I", h_time },
    { "sleep", "I", "i", h_sleep },
    { "yield", "", "i", h_yield },
    /* the console */
    { "console_write", "iii", "i", h_console_write },
    { "console_read", "iii", "i", h_console_read },
    /* IPC: channels and wait */
    { "channel_create", "i", "i", h_channel_create },
    { "channel_send", "iiiii", "i", h_channel_send },
    { "channel_recv", "iiiii", "i", h_channel_recv },
    { "wait", "iiI", "i", h_wait },
    /* devices */
    { "iocap_derive", "iiII", "i", h_iocap_derive },
    { "io_read8", "ii", "i", h_io_read8 },
    { "io_read16", "ii", "i", h_io_read16 },
    { "io_read32", "ii", "I", h_io_read32 },
    { "io_write8", "iii", "i", h_io_write8 },
    { "io_write16", "iii", "i", h_io_write16 },
    { "io_write32", "iii", "i", h_io_write32 },
    { "irq_create", "ii", "i", h_irq_create },
    { "irq_wait", "i", "i", h_irq_wait },
    { "vma_device", "iIi", "i", h_vma_device },
};

/* The host function of every coral import. A coral function acts only for
 * the instance that imported it: reached through a re-export from another
 * instance, it traps. Non-zero: the caller's thread unwinds (a trap, an
 * exit, a kill). */
static int host_call(wasm_caller *caller, uint64_t *args_and_results)
{
    const kimport *imp = wasm_caller_data(caller);
    kinstance *ki = imp->ki;
    wasm_instance *wi = wasm_caller_instance(caller);
    if (ki->wi && wi && wi != ki->wi)
        return 1;
    coral_ctx c;
    c.self = ki;
    c.trap = 0;
    c.mem = wasm_caller_memory(caller, &c.mem_size);
    if (!c.mem)
        c.mem_size = 0;
    imp->fn->glue(&c, args_and_results);
    return c.trap;
}

#define NFNS (sizeof fns / sizeof fns[0])

uint32_t coral_fn_count(void) { return NFNS; }

void coral_fn_info(uint32_t i, const char **name, const char **params, const char **results)
{
    *name = fns[i].name;
    *params = fns[i].params;
    *results = fns[i].results;
}

static uint32_t types(const char *s, uint8_t *out)
{
    uint32_t n = 0;
    for (; *s; s++)
        out[n++] = *s == 'i' ? WASM_I32 : *s == 'I' ? WASM_I64 : WASM_EXTERNREF;
    return n;
}

int32_t coral_import_func(const char *name, uint32_t len, kimport *imp)
{
    kinstance *ki = imp->ki;
    for (uint32_t i = 0; i < NFNS; i++) {
        if (lib_strlen(fns[i].name) != len || lib_memcmp(fns[i].name, name, len) != 0)
            continue;
        uint8_t p[8], r[8];
        uint32_t np = types(fns[i].params, p), nr = types(fns[i].results, r);
        imp->fn = &fns[i];
        imp->func = engine ? wasm_func_new_host(engine, p, np, r, nr, host_call, imp) : NULL;
        if (!imp->func) {
            coral_logf("coral: instance %.*s: cannot make host function coral.%s\n",
                       (int)ki->name_len, ki->name, fns[i].name);
            return CORAL_EUNSUPPORTED;
        }
        return 0;
    }
    coral_logf("coral: instance %.*s: unknown import coral.%.*s\n",
               (int)ki->name_len, ki->name, (int)len, name);
    return CORAL_ELINK;
}
