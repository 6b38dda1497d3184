/* wasm/trap.c: traps: their names, the per-thread state (limits and entry
 * records), wasm_rt_trap (what the trap stub calls to record a trap and
 * its backtrace and find where to unwind to), and the trap message with
 * the function names. */
#include "wasm/compile.h"
#include "wasm/platform.h"
#include "wasm/trap.h"
#include "lib/fmt.h"
#include "lib/string.h"

/* How much of the stack stays free below the limit: room for host
 * functions called from Wasm and (in the kernel) interrupt frames. */
#define STACK_RESERVE (128u * 1024)

const char *wasm_trap_name(wasm_trap_kind kind)
{
    switch (kind) {
    case WASM_TRAP_UNREACHABLE: return "unreachable";
    case WASM_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WASM_TRAP_TABLE_OOB: return "out of bounds table access";
    case WASM_TRAP_DIV_ZERO: return "integer divide by zero";
    case WASM_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case WASM_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WASM_TRAP_INDIRECT_TYPE: return "indirect call type mismatch";
    case WASM_TRAP_NULL_REF: return "null reference";
    case WASM_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WASM_TRAP_HOST: return "host function trapped";
    case WASM_TRAP_KILLED: return "killed";
    default: return "trap";
    }
}

wasm_thread *wasm_thread_get(void)
{
    void **slot = wasm_platform_thread_slot();
    if (*slot)
        return *slot;
    wasm_thread *t = wasm_platform_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    uintptr_t lo, hi;
    /* A known stack too small to keep the reserve gets a limit that every
     * call fails (a trap) rather than none (an overflow). */
    if (wasm_platform_stack_bounds(&lo, &hi) == 0)
        t->limits.stack_limit = hi - lo > 2 * STACK_RESERVE ? lo + STACK_RESERVE : hi;
    *slot = t;
    return t;
}

/* The function holding code address pc (a return address points just
 * after its call, hence pc - 1), or NULL. */
static wasm_compiled *code_at(uintptr_t pc)
{
    wasm_compiled *c = wasm_platform_code_lookup(pc - 1, NULL);
    return c && c->tag == OWNER_MODULE ? c : NULL;
}

uintptr_t wasm_rt_trap(uint64_t kind, uintptr_t pc, uintptr_t fp)
{
    wasm_thread *t = *wasm_platform_thread_slot();
    wasm_entry *e = t->limits.entry;
    e->trap = (wasm_trap_kind)kind;
    e->nframes = 0;
    e->truncated = false;
    /* A trap raised in the engine's host-call stub (a host function's
     * trap, a kill) is reported at its Wasm caller, the next frame. */
    if (code_at(pc))
        e->frames[e->nframes++] = pc;
    /* Walk the rbp chain while the return addresses are in Wasm code. */
    while (fp) {
        uintptr_t ret = ((uintptr_t *)fp)[1];
        if (!code_at(ret))
            break;
        if (e->nframes == WASM_MAX_FRAMES) {
            e->truncated = true;
            break;
        }
        e->frames[e->nframes++] = ret;
        fp = ((uintptr_t *)fp)[0];
    }
    return e->saved_rsp;
}

bool wasm_describe_code(uintptr_t pc, char *buf, size_t cap)
{
    uintptr_t start;
    const uint32_t *tag = wasm_platform_code_lookup(pc, &start);
    if (!tag)
        return false;
    if (*tag != OWNER_MODULE) {
        lib_snprintf(buf, cap, "wasm stubs+0x%lx", (unsigned long)(pc - start));
        return true;
    }
    const wasm_compiled *c = (const wasm_compiled *)tag;
    int64_t f = wasm_compiled_func_at(c, pc);
    if (f < 0) {
        lib_snprintf(buf, cap, "wasm code+0x%lx", (unsigned long)(pc - start));
        return true;
    }
    uint32_t len = 0;
    const uint8_t *name = c->module ? wasm_module_func_name(c->module, (uint32_t)f, &len) : NULL;
    uintptr_t fstart = (uintptr_t)c->code + c->func_start[f - c->nimported_funcs];
    if (name)
        lib_snprintf(buf, cap, "%.*s+0x%lx", (int)len, (const char *)name, (unsigned long)(pc - fstart));
    else
        lib_snprintf(buf, cap, "func[%u]+0x%lx", (unsigned)f, (unsigned long)(pc - fstart));
    return true;
}

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n && b->len + 1 < b->cap; i++)
        b->s[b->len++] = s[i];
    b->s[b->len] = 0;
}

static void put_func(buf *b, uintptr_t pc)
{
    wasm_compiled *c = code_at(pc);
    int64_t f = c ? wasm_compiled_func_at(c, pc - 1) : -1;
    if (f < 0) {
        put(b, "?", 1);
        return;
    }
    uint32_t len = 0;
    const uint8_t *name = c->module ? wasm_module_func_name(c->module, (uint32_t)f, &len) : NULL;
    char tmp[32];
    if (name) {
        put(b, (const char *)name, len);
    } else {
        lib_snprintf(tmp, sizeof tmp, "func[%u]", (unsigned)f);
        put(b, tmp, lib_strlen(tmp));
    }
}

void wasm_trap_message(const wasm_entry *e, wasm_error *err)
{
    buf b = { err->message, 0, sizeof err->message };
    err->kind = WASM_ERR_TRAP;
    err->trap = e->trap;
    err->message[0] = 0;
    const char *name = wasm_trap_name(e->trap);
    put(&b, name, lib_strlen(name));
    if (e->nframes == 0)
        return;
    put(&b, " in ", 4);
    put_func(&b, e->frames[0]);
    put(&b, " (wasm backtrace: ", 18);
    for (uint32_t i = 0; i < e->nframes; i++) {
        if (i)
            put(&b, " <- ", 4);
        put_func(&b, e->frames[i]);
    }
    if (e->truncated)
        put(&b, " <- ...", 7);
    put(&b, ")", 1);
}
