/* kernel/coral/kmodule.c: module objects. */
#include "kernel/coral/abi.h"
#include "kernel/coral/kmodule.h"
#include "kernel/coral/sys.h"
#include "lib/string.h"

int32_t kmodule_new(const uint8_t *src, size_t len, kmodule **out)
{
    *out = NULL;
    if (len == 0)
        return CORAL_EINVAL;
    kmodule *m = sys_alloc(sizeof *m);
    if (!m)
        return CORAL_ENOMEM;
    m->bytes = sys_alloc(len);
    if (!m->bytes) {
        sys_free(m);
        return CORAL_ENOMEM;
    }
    lib_memcpy(m->bytes, src, len);
    m->len = len;
    kobj_init(&m->o, CORAL_KIND_MODULE);
    *out = m;
    return 0;
}

int32_t kmodule_compile(kmodule *m, wasm_engine *engine, unsigned flags, wasm_error *err)
{
    m->wm = wasm_module_new(engine, m->bytes, m->len, flags, err);
    if (m->wm)
        return 0;
    switch (err->kind) {
    case WASM_ERR_MALFORMED:
    case WASM_ERR_INVALID:
        return CORAL_EMALFORMED;
    case WASM_ERR_RESOURCE:
        return CORAL_ENOMEM;
    case WASM_ERR_UNSUPPORTED:
        return CORAL_EUNSUPPORTED;
    default:
        return CORAL_EMALFORMED;
    }
}

void kmodule_destroy(kmodule *m)
{
    if (m->wm)
        wasm_module_free(m->wm);
    sys_free(m->bytes);
    sys_free(m);
}
