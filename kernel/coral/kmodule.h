/* kernel/coral/kmodule.h: module objects: a private copy of a module's
 * bytes and the engine's compiled module made from that copy. The copy is
 * made before anything looks at the bytes, so the program that supplied
 * them cannot change them while they are validated and compiled. */
#ifndef CORAL_KMODULE_H
#define CORAL_KMODULE_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/coral/kobj.h"
#include "wasm/wasm.h"

typedef struct kmodule {
    kobj o;
    uint8_t *bytes;     /* the private copy; the engine's module points into it */
    size_t len;
    wasm_module *wm;
} kmodule;

/* Copies `len` bytes at `src`: 0 and a module holding the copy (not yet
 * compiled), or CORAL_EINVAL (len 0), CORAL_ENOMEM. Called with the big
 * lock held, so the source cannot change during the copy. */
int32_t kmodule_new(const uint8_t *src, size_t len, kmodule **out);

/* Decodes, validates and compiles the copy (with WASM_MODULE_* `flags`),
 * without the big lock: 0, or CORAL_EMALFORMED (malformed or invalid; `err`
 * says why), CORAL_ENOMEM, CORAL_EUNSUPPORTED. */
int32_t kmodule_compile(kmodule *m, wasm_engine *engine, unsigned flags, wasm_error *err);

/* Called by kobj_unref only. */
void kmodule_destroy(kmodule *m);

#endif
