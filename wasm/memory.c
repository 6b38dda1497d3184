/* wasm/memory.c: linear memories. Each reserves 8 GiB + 64 KiB of address
 * space once (4 GiB addressable, a 4 GiB guard, and room for the largest
 * access past index + offset), so the base never moves and compiled code
 * needs no bounds check; pages are committed as the memory grows. A memory
 * made for a module compiled with explicit bounds checks reserves only its
 * maximum size (no guard), and only such modules may import it. Every
 * instance context that uses the memory caches its base and size, and is
 * updated on grow. Also the memory.init and data.drop helpers called from
 * compiled code. */
#include "wasm/compile.h"
#include "wasm/platform.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define RESERVE ((8ull << 30) + 65536)

static wasm_memory *memory_create(uint64_t min, uint64_t max, bool has_max, bool guarded,
                                  wasm_error *err)
{
    wasm_memory *mem = wasm_platform_calloc(1, sizeof *mem);
    if (!mem)
        goto oom;
    mem->refs = 1;
    mem->has_max = has_max;
    mem->max_pages = has_max && max < WASM_MAX_PAGES32 ? max : WASM_MAX_PAGES32;
    if (min > mem->max_pages) {
        wasm_platform_free(mem);
        err->kind = WASM_ERR_RESOURCE;
        lib_snprintf(err->message, sizeof err->message, "memory size must be at most 65536 pages");
        return NULL;
    }
    /* Without a guard (explicit bounds checks), only what the memory can
     * ever grow to is reserved. */
    mem->guarded = guarded;
    mem->reserved = guarded ? RESERVE : mem->max_pages * WASM_PAGE_SIZE;
    if (mem->reserved == 0)
        mem->reserved = wasm_platform_page_size();
    mem->base = wasm_platform_reserve(mem->reserved);
    if (!mem->base) {
        wasm_platform_free(mem);
        err->kind = WASM_ERR_RESOURCE;
        lib_snprintf(err->message, sizeof err->message, "out of address space for a memory");
        return NULL;
    }
    if (wasm_platform_commit(mem->base, min * WASM_PAGE_SIZE) != 0) {
        wasm_platform_release(mem->base, mem->reserved);
        wasm_platform_free(mem);
        goto oom;
    }
    mem->pages = min;
    return mem;
oom:
    err->kind = WASM_ERR_RESOURCE;
    lib_snprintf(err->message, sizeof err->message, "out of memory");
    return NULL;
}

wasm_memory *wasm_memory_create(uint64_t min, uint64_t max, bool has_max, bool guarded,
                                wasm_error *err)
{
    return memory_create(min, max, has_max, guarded, err);
}

wasm_memory *wasm_memory_new(wasm_engine *engine, uint32_t min_pages, uint32_t max_pages,
                             bool has_max, wasm_error *err)
{
    wasm_error scratch;
    (void)engine;
    return memory_create(min_pages, max_pages, has_max, true, err ? err : &scratch);
}

void wasm_memory_release(wasm_memory *mem)
{
    if (!mem || --mem->refs)
        return;
    wasm_platform_release(mem->base, mem->reserved);
    wasm_platform_free(mem->users);
    wasm_platform_free(mem);
}

void wasm_memory_free(wasm_memory *mem) { wasm_memory_release(mem); }

uint8_t *wasm_memory_data(wasm_memory *mem, uint64_t *size)
{
    *size = mem->pages * WASM_PAGE_SIZE;
    return mem->base;
}

int wasm_memory_add_user(wasm_memory *mem, uint8_t *ctx)
{
    if (mem->nusers == mem->cap_users) {
        uint32_t cap = mem->cap_users ? mem->cap_users * 2 : 4;
        uint8_t **u = wasm_platform_realloc(mem->users, cap * sizeof *u);
        if (!u)
            return -1;
        mem->users = u;
        mem->cap_users = cap;
    }
    mem->users[mem->nusers++] = ctx;
    *(uint64_t *)(ctx + CTX_MEM_BASE) = (uint64_t)(uintptr_t)mem->base;
    *(uint64_t *)(ctx + CTX_MEM_SIZE) = mem->pages * WASM_PAGE_SIZE;
    return 0;
}

void wasm_memory_remove_user(wasm_memory *mem, uint8_t *ctx)
{
    for (uint32_t i = 0; i < mem->nusers; i++) {
        if (mem->users[i] == ctx) {
            mem->users[i] = mem->users[--mem->nusers];
            return;
        }
    }
}

int64_t wasm_memory_grow(wasm_memory *mem, uint64_t delta)
{
    uint64_t old = mem->pages;
    if (delta > mem->max_pages - old)
        return -1;
    if (delta == 0)
        return (int64_t)old;
    if (wasm_platform_commit(mem->base + old * WASM_PAGE_SIZE, delta * WASM_PAGE_SIZE) != 0)
        return -1;
    mem->pages = old + delta;
    for (uint32_t i = 0; i < mem->nusers; i++)
        *(uint64_t *)(mem->users[i] + CTX_MEM_SIZE) = mem->pages * WASM_PAGE_SIZE;
    return (int64_t)old;
}

/* ---- helpers called from compiled code (first argument: the context) ---- */

static wasm_instance *inst_of(uint8_t *ctx)
{
    return *(wasm_instance **)(ctx + CTX_INSTANCE);
}

static uint64_t mem_size(uint8_t *ctx)
{
    return *(uint64_t *)(ctx + CTX_MEM_SIZE);
}

static uint8_t *mem_base(uint8_t *ctx)
{
    return (uint8_t *)(uintptr_t)*(uint64_t *)(ctx + CTX_MEM_BASE);
}

int32_t wasm_rt_memory_grow(uint8_t *ctx, uint32_t delta)
{
    return (int32_t)wasm_memory_grow(inst_of(ctx)->memory, delta);
}

uint32_t wasm_rt_memory_init(uint8_t *ctx, uint32_t seg, uint32_t d, uint32_t s, uint32_t n)
{
    wasm_instance *inst = inst_of(ctx);
    const wasm_data_segment *ds = &inst->module->datas[seg];
    uint64_t len = inst->data_dropped[seg] ? 0 : ds->len;
    if ((uint64_t)s + n > len || (uint64_t)d + n > mem_size(ctx))
        return WASM_TRAP_MEMORY_OOB;
    lib_memmove(mem_base(ctx) + d, ds->bytes + s, n);
    return 0;
}

uint32_t wasm_rt_data_drop(uint8_t *ctx, uint32_t seg)
{
    inst_of(ctx)->data_dropped[seg] = true;
    return 0;
}
