/* kernel/coral/boot.c: the boot-info table, the boot handles, and the
 * start of the first program. */
#include "kernel/coral/abi.h"
#include "kernel/coral/boot.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/device.h"
#include "kernel/coral/kmodule.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/vma.h"
#include "lib/string.h"

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* Splits a command line into the name (last part of the first word) and
 * the arguments (the rest, without leading blanks). */
static void split(const char *cmd, const char **name, uint32_t *name_len,
                  const char **args, uint32_t *args_len)
{
    if (!cmd)
        cmd = "";
    while (is_space(*cmd))
        cmd++;
    const char *end = cmd;
    while (*end && !is_space(*end))
        end++;
    const char *base = cmd;
    for (const char *p = cmd; p < end; p++)
        if (*p == '/')
            base = p + 1;
    *name = base;
    *name_len = (uint32_t)(end - base);
    while (is_space(*end))
        end++;
    *args = end;
    *args_len = (uint32_t)lib_strlen(end);
}

/* The boot-info VMA (layout in abi.h). */
static int32_t make_info(const coral_bootmod *mods, uint32_t n, vma **out)
{
    uint64_t size = sizeof(coral_bootinfo_header) + (uint64_t)n * sizeof(coral_bootinfo_module);
    for (uint32_t i = 0; i < n; i++) {
        const char *name, *args;
        uint32_t nl, al;
        split(mods[i].cmdline, &name, &nl, &args, &al);
        size += nl + al;
    }
    if (size > CORAL_VMA_MAX)
        return CORAL_EINVAL;
    vma *v;
    int32_t rc = vma_new((uint32_t)size, &v);
    if (rc < 0)
        return rc;
    uint8_t *p = v->bytes;
    put32(p + 0, CORAL_BOOTINFO_MAGIC);
    put32(p + 4, CORAL_BOOTINFO_VERSION);
    put32(p + 8, n);
    put32(p + 12, (uint32_t)size);
    uint32_t str = sizeof(coral_bootinfo_header) + n * sizeof(coral_bootinfo_module);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *r = p + sizeof(coral_bootinfo_header) + i * sizeof(coral_bootinfo_module);
        const char *name, *args;
        uint32_t nl, al;
        split(mods[i].cmdline, &name, &nl, &args, &al);
        put32(r + 0, CORAL_BOOT_MODULES + i);
        put32(r + 4, mods[i].size);
        put32(r + 8, str);
        put32(r + 12, nl);
        lib_memcpy(p + str, name, nl);
        str += nl;
        put32(r + 16, str);
        put32(r + 20, al);
        lib_memcpy(p + str, args, al);
        str += al;
    }
    *out = v;
    return 0;
}

int32_t coral_boot_objects(kobj *console, kobj *iocap, const coral_bootmod *mods, uint32_t nmods,
                     kobj ***objs, uint32_t *count)
{
    *objs = NULL;
    *count = 0;
    if (nmods > CORAL_HANDLES_MAX - CORAL_BOOT_MODULES)
        return CORAL_EINVAL;
    uint32_t n = CORAL_BOOT_MODULES + nmods;
    kobj **o = sys_alloc(n * sizeof *o);
    if (!o)
        return CORAL_ENOMEM;
    o[CORAL_BOOT_CONSOLE] = console;
    kobj_ref(console);
    o[CORAL_BOOT_IOCAP] = iocap;
    kobj_ref(iocap);
    vma *v;
    int32_t rc = make_info(mods, nmods, &v);
    o[CORAL_BOOT_INFO] = rc < 0 ? NULL : &v->o;
    for (uint32_t i = 0; i < nmods && rc >= 0; i++) {
        rc = vma_new(mods[i].size, &v);
        if (rc >= 0) {
            lib_memcpy(v->bytes, mods[i].bytes, mods[i].size);
            o[CORAL_BOOT_MODULES + i] = &v->o;
        }
    }
    if (rc < 0) {
        coral_boot_objects_free(o, n);
        return rc;
    }
    *objs = o;
    *count = n;
    return 0;
}

void coral_boot_objects_free(kobj **objs, uint32_t count)
{
    if (!objs)
        return;
    for (uint32_t i = 0; i < count; i++)
        kobj_unref(objs[i]);
    sys_free(objs);
}

int32_t coral_boot_start(const uint8_t *bytes, size_t len, unsigned flags, const char *name,
                         const coral_bootmod *mods, uint32_t nmods, wasm_error *err,
                         kcomponent **out)
{
    *out = NULL;
    kmodule *m;
    int32_t rc = kmodule_new(bytes, len, &m);
    if (rc < 0)
        return rc;
    rc = kmodule_compile(m, coral_engine(), flags, err);
    if (rc >= 0)
        err->message[0] = 0;    /* a message only when compiling failed */
    kobj *console = kobj_new_plain(CORAL_KIND_CONSOLE);
    kiocap *root = iocap_new_root();
    kobj *iocap = root ? &root->o : NULL;
    kobj **objs = NULL;
    uint32_t nobjs = 0;
    kcomponent *c = NULL;
    kinstance *ki = NULL;
    if (rc >= 0)
        rc = console && iocap ? coral_boot_objects(console, iocap, mods, nmods, &objs, &nobjs)
                              : CORAL_ENOMEM;
    if (rc >= 0)
        rc = comp_new(NULL, &c);
    if (rc >= 0)
        rc = comp_add_instance(c, m, name, (uint32_t)lib_strlen(name), objs, nobjs, &ki);
    if (rc >= 0)
        rc = comp_start(c, ki, "_start", 6);
    coral_boot_objects_free(objs, nobjs);
    kobj_unref(console);
    kobj_unref(iocap);
    kobj_unref(&m->o);
    if (rc < 0) {
        kobj_unref(c ? &c->o : NULL);
        return rc;
    }
    *out = c;
    return 0;
}
