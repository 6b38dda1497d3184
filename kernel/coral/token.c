/* kernel/coral/token.c: the token table: an array of slots that grows by
 * doubling, a free list threaded through the unused slots (last freed,
 * first reused), and a generation per slot. */
#include "kernel/coral/abi.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/token.h"
#include "lib/string.h"

typedef struct slot {
    uint32_t gen;       /* the generation of the token in this slot (or the next one) */
    uint32_t next_free; /* when free: the next free slot + 1, 0 ends the list */
    kobj *obj;          /* NULL when free */
} slot;

static slot *slots;
static uint32_t nslots;
static uint32_t free_head;  /* first free slot + 1; 0: none */
static long nlive;

#define TOKEN_SLOTS_MAX (1u << 24)

static int grow(void)
{
    uint32_t n = nslots ? nslots * 2 : 64;
    if (n > TOKEN_SLOTS_MAX)
        return -1;
    slot *s = sys_alloc(n * sizeof *s);
    if (!s)
        return -1;
    if (nslots)
        lib_memcpy(s, slots, nslots * sizeof *s);
    /* New slots join the free list, lowest first. */
    for (uint32_t i = n; i-- > nslots;) {
        s[i].gen = 1;
        s[i].next_free = free_head;
        free_head = i + 1;
    }
    sys_free(slots);
    slots = s;
    nslots = n;
    return 0;
}

uint64_t token_make(kobj *o)
{
    if (!free_head && grow() < 0)
        return 0;
    uint32_t i = free_head - 1;
    free_head = slots[i].next_free;
    slots[i].next_free = 0;
    slots[i].obj = o;
    kobj_ref(o);
    nlive++;
    return (uint64_t)slots[i].gen << 32 | i;
}

/* The slot of a live token, or NULL. */
static slot *find(uint64_t token)
{
    uint32_t i = (uint32_t)token, gen = (uint32_t)(token >> 32);
    if (i >= nslots || !slots[i].obj || slots[i].gen != gen)
        return NULL;
    return &slots[i];
}

int32_t token_lookup(uint64_t token, kobj **out)
{
    *out = NULL;
    if (token == 0)
        return CORAL_EINVAL;
    slot *s = find(token);
    if (!s)
        return CORAL_ESTALE;
    *out = s->obj;
    return 0;
}

void token_revoke(uint64_t token)
{
    slot *s = find(token);
    if (!s)
        return;
    kobj *o = s->obj;
    s->obj = NULL;
    if (++s->gen == 0)     /* after 2^32 uses of one slot: skip 0, never a null token */
        s->gen = 1;
    s->next_free = free_head;
    free_head = (uint32_t)(s - slots) + 1;
    nlive--;
    kobj_unref(o);         /* last: it may revoke other tokens and touch `slots` */
}

long token_live(void)
{
    return nlive;
}

void token_fini(void)
{
    if (nlive)
        return;
    sys_free(slots);
    slots = NULL;
    nslots = 0;
    free_head = 0;
}
