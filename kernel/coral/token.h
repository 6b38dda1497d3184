/* kernel/coral/token.h: externref tokens, the kernel-wide table that lets
 * one instance hand an object to another.
 *
 * A token's bits are `generation << 32 | slot`. Each slot keeps its current
 * generation; revoking a token bumps it, so an old token naming a reused
 * slot no longer matches and gets CORAL_ESTALE, never another object.
 * Generations start at 1, so no token is 0 (the null externref). A live
 * token holds one reference on its object. */
#ifndef CORAL_TOKEN_H
#define CORAL_TOKEN_H

#include <stdint.h>
#include "kernel/coral/kobj.h"

/* A new token for `o` (taking a reference), or 0 when out of memory. */
uint64_t token_make(kobj *o);

/* The object a live token names (borrowed): 0, or CORAL_EINVAL for the
 * null token, CORAL_ESTALE for any other bits that are not a live token. */
int32_t token_lookup(uint64_t token, kobj **out);

/* Ends a live token (drops its reference); other bits are ignored. */
void token_revoke(uint64_t token);

/* Tokens live now; token_fini frees the table once none are. */
long token_live(void);
void token_fini(void);

#endif
