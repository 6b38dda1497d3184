/* kernel/coral/boot.h: userboot's boot handles. The kernel (from its
 * Multiboot modules) and `coral run` (from files) describe the boot
 * modules; this builds the objects that fill userboot's handle table in
 * the fixed slots of abi.h: the console, the root I/O capability, the
 * boot-info VMA (how many modules, their names and arguments), then one
 * VMA per module. */
#ifndef CORAL_BOOT_H
#define CORAL_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/coral/component.h"
#include "kernel/coral/kobj.h"
#include "wasm/wasm.h"

typedef struct coral_bootmod {
    const uint8_t *bytes;
    uint32_t size;
    const char *cmdline;    /* "path/name.wasm args...": the name is the last
                               part of the first word, the args the rest */
} coral_bootmod;

/* Makes the objects, in slot order, into a new array *objs of *count
 * entries, each holding one reference: 0, or CORAL_ENOMEM, CORAL_EINVAL
 * (an empty or too large module). Release with coral_boot_objects_free. */
int32_t coral_boot_objects(kobj *console, kobj *iocap, const coral_bootmod *mods, uint32_t nmods,
                     kobj ***objs, uint32_t *count);
void coral_boot_objects_free(kobj **objs, uint32_t count);

/* Starts the first program, as the kernel starts userboot and `coral run`
 * its program: compiles `bytes` (WASM_MODULE_* `flags`) with
 * coral_engine(), makes a component without a parent holding one
 * instance named `name` whose table holds the boot handles of `mods`,
 * and starts its export `_start`. Big lock held. Returns 0 and the
 * component (one reference, the caller's), or an error code. When the
 * module did not compile, err->message says why (it is empty otherwise);
 * CORAL_ENOTFOUND: no `_start`. */
int32_t coral_boot_start(const uint8_t *bytes, size_t len, unsigned flags, const char *name,
                         const coral_bootmod *mods, uint32_t nmods, wasm_error *err,
                         kcomponent **out);

#endif
