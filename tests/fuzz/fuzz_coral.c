/* tests/fuzz/fuzz_coral.c: libFuzzer target for the `coral` module, driven
 * from the host side: the input is a little program of coral calls, made
 * by two instances of one component (each with a memory of its own) with
 * handles, tokens, pointers, lengths, names and module bytes taken from
 * the input (the second one also holds its own component, and may kill
 * it: then every call must trap); modules are a few known ones (tests/unit/os_modules.h and
 * one here), possibly with bytes changed.
 * Components it starts run on host threads; every one is killed and
 * waited for at the end. Beyond "no crash, no sanitizer report", every
 * call must return a result or a documented error code, and once all is
 * closed no kernel object, token or allocation may be left. An input can
 * also make the next call's allocations fail (sys_host_fail_after).
 * Built with clang, ASan and UBSan (mk/os.mk); `make fuzz
 * FUZZ_TARGET=coral` runs it, tests/steps/15-os-asan replays
 * tests/fuzz/crashes/coral-* and a short seeded run from
 * tests/fuzz/coral-seeds/ (hand-made inputs that reach instantiation and
 * running components, and one that uses channels). FUZZ_CORAL_TRACE=1
 * prints each call's result. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host/sys.h"
#include "kernel/coral/abi.h"
#include "kernel/coral/channel.h"
#include "kernel/coral/component.h"
#include "kernel/coral/coral.h"
#include "kernel/coral/device.h"
#include "kernel/coral/kobj.h"
#include "kernel/coral/sys.h"
#include "kernel/coral/token.h"
#include "tests/unit/os_modules.h"
#include "wasm/wasm.h"

/* (module (import "coral" "log" ...) (import "coral" "vma_create" ...)
 *   (import "coral" "handle_close" ...) (memory (export "mem") 1)
 *   (data (i32.const 0) "hi") (func $init (drop (call $log (i32.const 0)
 *   (i32.const 2)))) (start $init) (func (export "_start") (result i32)
 *   (drop (call $hc (call $vc (i32.const 16)))) (call $hc (i32.const 0)))) */
static const uint8_t m_logmem[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x13, 0x04, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00,
    0x00, 0x60, 0x00, 0x01, 0x7f, 0x02, 0x35, 0x03, 0x05, 0x63, 0x6f, 0x72,
    0x61, 0x6c, 0x03, 0x6c, 0x6f, 0x67, 0x00, 0x00, 0x05, 0x63, 0x6f, 0x72,
    0x61, 0x6c, 0x0a, 0x76, 0x6d, 0x61, 0x5f, 0x63, 0x72, 0x65, 0x61, 0x74,
    0x65, 0x00, 0x01, 0x05, 0x63, 0x6f, 0x72, 0x61, 0x6c, 0x0c, 0x68, 0x61,
    0x6e, 0x64, 0x6c, 0x65, 0x5f, 0x63, 0x6c, 0x6f, 0x73, 0x65, 0x00, 0x01,
    0x03, 0x03, 0x02, 0x02, 0x03, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x10,
    0x02, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x06, 0x5f, 0x73, 0x74, 0x61,
    0x72, 0x74, 0x00, 0x04, 0x08, 0x01, 0x03, 0x0a, 0x19, 0x02, 0x09, 0x00,
    0x41, 0x00, 0x41, 0x02, 0x10, 0x00, 0x1a, 0x0b, 0x0d, 0x00, 0x41, 0x10,
    0x10, 0x01, 0x10, 0x02, 0x1a, 0x41, 0x00, 0x10, 0x02, 0x0b, 0x0b, 0x08,
    0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x68, 0x69
};

static const struct { const uint8_t *b; uint32_t n; } modules[] = {
    { plain_wasm, sizeof plain_wasm }, { traps_wasm, sizeof traps_wasm },
    { exits_wasm, sizeof exits_wasm }, { reexport_wasm, sizeof reexport_wasm },
    { user_wasm, sizeof user_wasm }, { spin_start_wasm, sizeof spin_start_wasm },
    { m_logmem, sizeof m_logmem },
};
#define NMODULES (sizeof modules / sizeof modules[0])

/* Names an instance may be given or asked to start. */
static const char *const names[] = { "_start", "a", "user", "coral", "mem", "log", "" };
#define NNAMES (sizeof names / sizeof names[0])

#define MEM0 65536
#define MEM1 4096
#define MAX_CALLS 48

static wasm_engine *engine;
static int trace;               /* FUZZ_CORAL_TRACE set: each call and its result */
static uint8_t mem0[MEM0], mem1[MEM1];

static void quiet(const char *s, size_t len) { (void)s; (void)len; }

/* The input, read from the front; zeros once it runs out. */
typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static uint8_t u8(input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

static uint32_t u32(input *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)u8(in) << (8 * i);
    return v;
}

/* A handle: mostly a small number, sometimes anything. */
static int32_t handle(input *in)
{
    uint8_t b = u8(in);
    return b < 0xf0 ? (int32_t)(b % 24) - 2 : (int32_t)u32(in);
}

/* A pointer, offset or length: small, near the end of a memory, or anything. */
static uint32_t size(input *in)
{
    uint8_t b = u8(in);
    switch (b >> 6) {
    case 0: return b & 63;
    case 1: return MEM0 - (b & 63);
    case 2: return MEM1 - (b & 63);
    default: return u32(in);
    }
}

static int known(int32_t rc)
{
    return rc >= 0 || (rc <= CORAL_EBADH && rc >= CORAL_EUNSUPPORTED) ||
           (rc <= CORAL_ETIMEDOUT && rc >= CORAL_ETOOBIG) ||      /* IPC */
           rc == CORAL_EDENIED || rc == CORAL_EBUSY;              /* devices */
}

/* Kills and waits for every component `root` made (started or not), so
 * that no thread is left running when the input ends. */
static void end_children(kcomponent *root)
{
    for (;;) {
        kcomponent *k = NULL;
        for (lib_list *n = root->children.next; n != &root->children; n = n->next) {
            kcomponent *c = LIB_CONTAINER_OF(n, kcomponent, child_node);
            if (!c->reclaimed) {
                k = c;
                break;
            }
        }
        if (!k)
            return;
        kobj_ref(&k->o);
        end_children(k);
        comp_kill(k);
        if (k->state != COMP_NEW)
            comp_wait(k, NULL);
        kobj_unref(&k->o);
    }
}

/* ---- IPC: channels and wait ----
 * Ops 242..255, so that inputs written before them keep their meaning.
 * The fuzzer has one thread: a recv that would block is not made. */

static bool would_block(coral_ctx *c, int32_t end)
{
    kobj *o;
    sys_lock();
    kcomponent *k = c->self->comp;
    bool block = htab_get(&c->self->table, end, CORAL_KIND_CHANNEL, &o) == 0 &&
                 !chan_ready((kchan *)o) && k && !comp_must_stop(k);
    sys_unlock();
    return block;
}

static int32_t ipc_call(input *in, coral_ctx *c, uint8_t op)
{
    switch (op % 4) {
    case 0: return coral_channel_create(c, size(in));
    case 1: { int32_t e = handle(in); uint32_t p = size(in), len = size(in), hp = size(in);
              return coral_channel_send(c, e, p, len, hp, u8(in) % 66); }
    case 2: { int32_t e = handle(in); uint32_t p = size(in), cap = size(in), hp = size(in);
              uint32_t hcap = u8(in) % 66;
              return would_block(c, e) ? 0 : coral_channel_recv(c, e, p, cap, hp, hcap); }
    default: { uint32_t p = size(in), n = u8(in) % 66;
               return coral_wait(c, p, n, u8(in) & 1 ? 0 : 100000); }
    }
}

/* One call, chosen and fed by the input. */
static int32_t one_call(input *in, coral_ctx *c, uint64_t *tokens)
{
    uint8_t op = u8(in);
    if (op >= 242)
        return ipc_call(in, c, op);
    switch (op % 24) {
    case 0: return coral_vma_create(c, u8(in) & 1 ? u8(in) * 64u : size(in));
    case 1: return coral_vma_size(c, handle(in));
    case 2: { int32_t h = handle(in); uint32_t off = size(in), p = size(in);
              return coral_vma_read(c, h, off, p, size(in)); }
    case 3: { int32_t h = handle(in); uint32_t off = size(in), p = size(in);
              return coral_vma_write(c, h, off, p, size(in)); }
    case 4: { int32_t s = handle(in), d = handle(in); uint32_t so = size(in), dof = size(in);
              return coral_vma_copy(c, s, d, so, dof, size(in)); }
    case 5: return coral_handle_close(c, handle(in));
    case 6: return coral_handle_dup(c, handle(in));
    case 7: return coral_handle_kind(c, handle(in));
    case 8: { uint8_t t = u8(in) % 8; tokens[t] = coral_handle_to_ref(c, handle(in)); return 0; }
    case 9: {
        uint64_t t = tokens[u8(in) % 8];
        uint8_t how = u8(in);
        if (how & 1)
            t += (uint64_t)(how >> 1 & 3) << 32 | (how >> 3 & 3);   /* near a real one */
        if (how == 0xff) {
            t = (uint64_t)u32(in) << 32;
            t |= u32(in);
        }
        return coral_handle_from_ref(c, t);
    }
    case 10: return coral_component_create(c);
    case 11: return coral_component_kill(c, handle(in));
    case 12: {
        /* Waiting on a running component could wait for ever: kill first. */
        int32_t h = handle(in);
        coral_component_kill(c, h);
        return coral_component_wait(c, h);
    }
    case 13: {
        /* A known module, maybe changed, into a VMA of the caller's. */
        uint8_t k = u8(in);
        uint32_t n = modules[k % NMODULES].n, at = u8(in) % 8;
        if (c->mem_size < 1024)
            return 0;
        memcpy(c->mem + 512, modules[k % NMODULES].b, n);
        for (uint8_t flips = k >> 5; flips; flips--) {
            uint32_t at_byte = 512 + u8(in) % n;
            c->mem[at_byte] ^= u8(in);
        }
        int32_t v = coral_vma_create(c, n + at);
        if (v < 0)
            return v;
        int32_t rc = coral_vma_write(c, v, at, 512, n);
        uint32_t off = u8(in) & 1 ? at : size(in);
        uint32_t len = u8(in) & 1 ? n : size(in);
        if (rc >= 0)
            rc = coral_module_create(c, v, off, len);
        coral_handle_close(c, v);
        return rc;
    }
    case 14: { int32_t h = handle(in); uint32_t off = size(in);
               return coral_module_create(c, h, off, size(in)); }
    case 15: {
        /* A name from the list at a pointer, or any bytes. */
        const char *s = names[u8(in) % NNAMES];
        uint32_t p = size(in), n = (uint32_t)strlen(s);
        if ((uint64_t)p + n <= c->mem_size)
            memcpy(c->mem + p, s, n);
        return 0;
    }
    case 16: {
        /* Handles for add_instance, little-endian at a pointer. */
        uint32_t p = size(in), n = u8(in) % 4;
        for (uint32_t i = 0; i < n && (uint64_t)p + 4 * i + 4 <= c->mem_size; i++) {
            int32_t h = handle(in);
            memcpy(c->mem + p + 4 * i, &h, 4);
        }
        return 0;
    }
    case 17: { int32_t k = handle(in), m = handle(in); uint32_t np = size(in), nl = u8(in) % 8;
               uint32_t hp = size(in);
               return coral_component_add_instance(c, k, m, np, nl, hp, u8(in) % 5); }
    case 18: { int32_t k = handle(in), i = handle(in); uint32_t np = size(in);
               return coral_component_start(c, k, i, np, u8(in) % 8); }
    case 19: { uint32_t p = size(in); return coral_log(c, p, size(in) % 200); }
    case 20: {
        int32_t rc = coral_sleep(c, (int64_t)(int8_t)u8(in) * 1000);
        coral_yield(c);
        return rc;
    }
    case 21: {
        /* A capability from one of the caller's handles (the first
         * instance starts with the root one), for a range near the ends. */
        int32_t h = u8(in) & 1 ? 0 : handle(in), kind = (int32_t)(u8(in) % 5);
        uint64_t first = u8(in) & 1 ? u8(in) : (uint64_t)u32(in) << (u8(in) % 24);
        uint64_t count = u8(in) & 1 ? u8(in) : (uint64_t)u32(in) << (u8(in) % 24);
        return coral_iocap_derive(c, h, kind, first, count);
    }
    case 22: {
        /* A device call: on the host it fails, after its checks. */
        int32_t h = u8(in) & 1 ? 0 : handle(in);
        uint32_t port = u8(in) & 1 ? 0x70u + u8(in) % 4 : u32(in), value = u32(in) >> (u8(in) % 32);
        uint64_t phys = (uint64_t)u32(in) << (u8(in) % 16);
        switch (u8(in) % 9) {
        case 0: return coral_io_read8(c, h, port);
        case 1: return coral_io_read16(c, h, port);
        case 2: { int64_t r = coral_io_read32(c, h, port); return r < 0 ? (int32_t)r : 0; }
        case 3: return coral_io_write8(c, h, port, value);
        case 4: return coral_io_write16(c, h, port, value);
        case 5: return coral_io_write32(c, h, port, value);
        case 6: return coral_irq_create(c, h, (int32_t)(int8_t)u8(in));
        case 7: return coral_irq_wait(c, h);
        default: return coral_vma_device(c, h, phys, size(in));
        }
    }
    default: {
        /* The next call runs out of memory after a few allocations. */
        sys_host_fail_after(u8(in) % 4);
        int32_t rc = one_call(in, c, tokens);
        sys_host_fail_after(-1);
        return rc;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!engine) {
        if (!(engine = wasm_engine_new()))
            abort();
        coral_init(engine);
        trace = getenv("FUZZ_CORAL_TRACE") != NULL;
        sys_host_set_console(trace ? NULL : quiet);
    }
    input in = { data, n };
    kcomponent *comp;
    kinstance *self[2];
    memset(mem0, 0, sizeof mem0);
    memset(mem1, 0, sizeof mem1);
    sys_lock();
    if (comp_new(NULL, &comp) < 0 || inst_new(comp, "self", 4, &self[0]) < 0 ||
        inst_new(comp, "other", 5, &self[1]) < 0)
        abort();
    /* The second instance may kill its own component (handle 0): from then
     * on every call must trap and fail with CORAL_ESTATE. */
    if (htab_add(&self[1]->table, &comp->o) != 0)
        abort();
    /* The first one holds the root I/O capability (handle 0). */
    kiocap *root = iocap_new_root();
    if (!root || htab_add(&self[0]->table, &root->o) != 0)
        abort();
    kobj_unref(&root->o);
    sys_unlock();
    coral_ctx ctx[2] = { { self[0], mem0, MEM0, 0 }, { self[1], mem1, MEM1, 0 } };
    uint64_t tokens[8] = { 0 };
    for (int i = 0; i < MAX_CALLS && in.n; i++) {
        coral_ctx *c = &ctx[u8(&in) & 1];
        uint8_t op = in.n ? in.p[0] : 0;
        bool dying = comp_must_stop(comp);
        int32_t rc = one_call(&in, c, tokens);
        if (trace)
            fprintf(stderr, "fuzz_coral: instance %d op %s%d: %d%s\n", (int)(c - ctx),
                    op >= 242 ? "ipc " : "", op >= 242 ? op % 4 : op % 24, (int)rc,
                    c->trap ? " (trap)" : "");
        if (!known(rc) || (dying && rc != 0 && rc != CORAL_ESTATE)) {
            fprintf(stderr, "fuzz_coral: call %d returned %d\n", i, (int)rc);
            abort();
        }
        if (c->trap && !comp_must_stop(comp)) {
            fprintf(stderr, "fuzz_coral: call %d trapped\n", i);
            abort();
        }
        c->trap = 0;
    }
    /* The root dies as a component does: it may hold instances added by
     * the input whose tables name it (a cycle, broken by its reclaim). */
    sys_lock();
    end_children(comp);
    comp_kill(comp);
    kobj_unref(&self[0]->o);
    kobj_unref(&self[1]->o);
    kobj_unref(&comp->o);
    token_fini();
    long objs = kobj_live(0), toks = token_live();
    sys_unlock();
    if (objs || toks || sys_host_live_allocs()) {
        fprintf(stderr, "fuzz_coral: left behind: %ld objects, %ld tokens, %ld allocations\n",
                objs, toks, sys_host_live_allocs());
        abort();
    }
    return 0;
}
