/* wasm/global.c: global objects. A global's value lives in a 16-byte
 * cell: its own, or (for an instance's exported global) the slot inside
 * that instance's context, which the object then keeps alive. */
#include "wasm/runtime.h"
#include "wasm/platform.h"
#include "lib/fmt.h"
#include "lib/string.h"

wasm_global *wasm_global_new(wasm_engine *engine, wasm_val value, bool mutable_,
                             wasm_error *err)
{
    (void)engine;
    wasm_global *g = wasm_platform_calloc(1, sizeof *g);
    if (!g) {
        if (err) {
            err->kind = WASM_ERR_RESOURCE;
            lib_snprintf(err->message, sizeof err->message, "out of memory");
        }
        return NULL;
    }
    g->refs = 1;
    g->type = value.type;
    g->mutable_ = mutable_;
    g->cell = g->own;
    if (value.type == WASM_V128)
        lib_memcpy(g->own, value.of.v128, 16);
    else
        g->own[0] = value.type == WASM_I32 || value.type == WASM_F32 ? value.of.i32 : value.of.i64;
    return g;
}

void wasm_global_release(wasm_global *g)
{
    if (!g || --g->refs)
        return;
    wasm_platform_free(g);
}

void wasm_global_free(wasm_global *g)
{
    if (g && !g->instance)     /* an instance's own globals die with it */
        wasm_global_release(g);
}

wasm_val wasm_global_get(wasm_global *g)
{
    wasm_val v = { 0 };
    v.type = g->type;
    if (g->type == WASM_V128)
        lib_memcpy(v.of.v128, g->cell, 16);
    else if (g->type == WASM_I32 || g->type == WASM_F32)
        v.of.i32 = (uint32_t)g->cell[0];
    else
        v.of.i64 = g->cell[0];
    return v;
}
