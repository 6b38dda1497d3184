/* kernel/coral/handle.c: handle tables: a growable array of entries,
 * searched from 0 for the lowest free number. */
#include "kernel/coral/abi.h"
#include "kernel/coral/handle.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/token.h"
#include "lib/string.h"

void htab_init(htab *t)
{
    t->e = NULL;
    t->cap = t->used = 0;
    t->closed = false;
}

static int grow(htab *t)
{
    uint32_t n = t->cap ? t->cap * 2 : 16;
    if (n > CORAL_HANDLES_MAX)
        n = CORAL_HANDLES_MAX;
    if (n <= t->cap)
        return CORAL_ELIMIT;
    hentry *e = sys_alloc(n * sizeof *e);    /* zeroed: free entries */
    if (!e)
        return CORAL_ENOMEM;
    if (t->cap)
        lib_memcpy(e, t->e, t->cap * sizeof *e);
    sys_free(t->e);
    t->e = e;
    t->cap = n;
    return 0;
}

int32_t htab_reserve(htab *t)
{
    if (t->closed)
        return CORAL_ESTATE;
    return t->used == t->cap ? grow(t) : 0;
}

int32_t htab_add(htab *t, kobj *o)
{
    int32_t rc = htab_reserve(t);
    if (rc < 0)
        return rc;
    for (uint32_t i = 0; i < t->cap; i++) {
        if (!t->e[i].obj) {
            t->e[i].obj = o;
            t->e[i].token = 0;
            t->used++;
            kobj_ref(o);
            return (int32_t)i;
        }
    }
    return CORAL_ELIMIT;   /* not reached: used < cap means a free entry */
}

static hentry *entry(htab *t, int32_t h)
{
    if (h < 0 || (uint32_t)h >= t->cap || !t->e[h].obj)
        return NULL;
    return &t->e[h];
}

int32_t htab_get(htab *t, int32_t h, int kind, kobj **out)
{
    hentry *e = entry(t, h);
    *out = NULL;
    if (!e)
        return CORAL_EBADH;
    if (kind && e->obj->kind != kind)
        return CORAL_EKIND;
    *out = e->obj;
    return 0;
}

/* Empties an entry, then drops what it held: the unref may destroy objects
 * that close other tables, so the entry is consistent first. */
static void clear(htab *t, hentry *e)
{
    kobj *o = e->obj;
    uint64_t tok = e->token;
    e->obj = NULL;
    e->token = 0;
    t->used--;
    token_revoke(tok);
    kobj_unref(o);
}

int32_t htab_close(htab *t, int32_t h)
{
    hentry *e = entry(t, h);
    if (!e)
        return CORAL_EBADH;
    clear(t, e);
    return 0;
}

int32_t htab_token(htab *t, int32_t h, uint64_t *token)
{
    hentry *e = entry(t, h);
    *token = 0;
    if (!e)
        return CORAL_EBADH;
    if (!e->token) {
        e->token = token_make(e->obj);
        if (!e->token)
            return CORAL_ENOMEM;
    }
    *token = e->token;
    return 0;
}

void htab_close_all(htab *t)
{
    t->closed = true;
    /* Entries are cleared one by one, re-reading t->e each time: dropping
     * an object can run code that looks at this table (it finds it closed). */
    for (uint32_t i = 0; i < t->cap; i++)
        if (t->e[i].obj)
            clear(t, &t->e[i]);
    sys_free(t->e);
    t->e = NULL;
    t->cap = t->used = 0;
}
