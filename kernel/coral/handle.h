/* kernel/coral/handle.h: an instance's handle table. A handle is an i32
 * index into it, meaningful only in that instance, like a file
 * descriptor: a new entry takes the lowest free number. Each entry holds a
 * reference on its object and remembers the token made from it (at most
 * one), which closing the entry revokes. */
#ifndef CORAL_HANDLE_H
#define CORAL_HANDLE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/coral/kobj.h"

typedef struct hentry {
    kobj *obj;          /* NULL: free */
    uint64_t token;     /* the token made from this entry, 0: none */
} hentry;

typedef struct htab {
    hentry *e;
    uint32_t cap;
    uint32_t used;
    bool closed;        /* the instance died: no new entries */
} htab;

/* An empty table (no allocation until the first entry). */
void htab_init(htab *t);

/* Adds `o` (taking a new reference): the handle, or CORAL_ELIMIT,
 * CORAL_ENOMEM, CORAL_ESTATE (closed table). */
int32_t htab_add(htab *t, kobj *o);

/* Makes sure the next htab_add finds a free entry: 0, or CORAL_ELIMIT,
 * CORAL_ENOMEM, CORAL_ESTATE (closed table). */
int32_t htab_reserve(htab *t);

/* The object behind handle `h`, borrowed: 0, or CORAL_EBADH (not open),
 * CORAL_EKIND (open, but not of `kind`; kind 0 accepts any). */
int32_t htab_get(htab *t, int32_t h, int kind, kobj **out);

/* Closes `h` (revoking its token): 0 or CORAL_EBADH. */
int32_t htab_close(htab *t, int32_t h);

/* The token made from `h`, made now if there is none: 0 and the token, or
 * CORAL_EBADH, CORAL_ENOMEM. */
int32_t htab_token(htab *t, int32_t h, uint64_t *token);

/* Closes every entry and frees the table; it stays closed for good. */
void htab_close_all(htab *t);

#endif
