/* kernel/coral/boot.h: userboot's boot handles. The kernel (from its
 * Multiboot modules) and `coral run` (from files) describe the boot
 * modules; this builds the objects that fill userboot's handle table in
 * the fixed slots of abi.h: the console, the root I/O capability, the
 * boot-info VMA (how many modules, their names and arguments), then one
 * VMA per module. */
#ifndef CORAL_BOOT_H
#define CORAL_BOOT_H

#include <stdint.h>
#include "kernel/coral/kobj.h"

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

#endif
