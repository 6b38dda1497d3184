/* kernel/coral/kobj.c: reference counts and the destroy dispatch of
 * kernel objects. */
#include "kernel/coral/abi.h"
#include "kernel/coral/channel.h"
#include "kernel/coral/component.h"
#include "kernel/coral/device.h"
#include "kernel/coral/kmodule.h"
#include "kernel/coral/kobj.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/vma.h"

static long live[CORAL_KIND_COUNT];

static const char *const kind_names[CORAL_KIND_COUNT] = {
    [0] = "none",
    [CORAL_KIND_VMA] = "vma",
    [CORAL_KIND_MODULE] = "module",
    [CORAL_KIND_COMPONENT] = "component",
    [CORAL_KIND_INSTANCE] = "instance",
    [CORAL_KIND_CONSOLE] = "console",
    [CORAL_KIND_IOCAP] = "iocap",
    [CORAL_KIND_CHANNEL] = "channel",
    [CORAL_KIND_IRQ] = "irq",
};

void kobj_init(kobj *o, int kind)
{
    o->refs = 1;
    o->kind = (uint8_t)kind;
    live[kind]++;
}

void kobj_ref(kobj *o)
{
    o->refs++;
}

static void destroy(kobj *o)
{
    live[o->kind]--;
    switch (o->kind) {
    case CORAL_KIND_VMA:       vma_destroy((vma *)o); break;
    case CORAL_KIND_MODULE:    kmodule_destroy((kmodule *)o); break;
    case CORAL_KIND_COMPONENT: comp_destroy((kcomponent *)o); break;
    case CORAL_KIND_INSTANCE:  inst_destroy((kinstance *)o); break;
    case CORAL_KIND_CHANNEL:   chan_destroy((kchan *)o); break;
    case CORAL_KIND_IRQ:       kirq_destroy((kirq *)o); break;
    default:                   sys_free(o); break;
    }
}

void kobj_unref(kobj *o)
{
    if (!o)
        return;
    if (--o->refs == 0)
        destroy(o);
}

kobj *kobj_new_plain(int kind)
{
    kobj *o = sys_alloc(sizeof *o);
    if (o)
        kobj_init(o, kind);
    return o;
}

long kobj_live(int kind)
{
    if (kind > 0 && kind < CORAL_KIND_COUNT)
        return live[kind];
    long n = 0;
    for (int k = 1; k < CORAL_KIND_COUNT; k++)
        n += live[k];
    return n;
}

const char *kobj_kind_name(int kind)
{
    if (kind > 0 && kind < CORAL_KIND_COUNT)
        return kind_names[kind];
    return "none";
}
