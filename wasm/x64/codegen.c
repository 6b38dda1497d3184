/* wasm/x64/codegen.c: the single-pass compiler from Wasm function bodies
 * to x86-64.
 *
 * One pass over the bytecode with an abstract operand stack: each entry is
 * a constant, a register, a reference to a local, or a value in its home
 * slot in the frame; entries are materialized only when an instruction
 * consumes them, so constants become immediates and pinned locals
 * register operands. At control-flow boundaries (blocks, branches, calls)
 * every entry is written to its home slot: that is the canonical state
 * every label expects, which keeps merges trivial. A compare feeding `if`,
 * `br_if` or `select` sets the flags its consumer tests (the integer
 * peepholes are listed above int_binop). Before the pass, a quick scan weighs the
 * locals by use and loop depth, and the heaviest live in registers for
 * the whole function (three integer, six float: "pinned").
 *
 * Frame (rbp-based, no red zone):
 *   [rbp+16+8*i]   parameter i / result i (the caller's argument slots)
 *   [rbp+8]        return address          [rbp] caller's rbp
 *   [rbp-8]        this function's context, written before each call that
 *                  may change instance (imports, call_indirect elsewhere)
 *   [rbp-16]       the running thread's stack limit (from the caller's
 *                  frame; written only by functions that call)
 *   [rbp-24..-56]  saved rbx, r12, r13, r10, r9
 *   [rbp-64..-104] saved xmm9-14
 *   [rbp-104-8*j]  declared local j (j from 1)
 *   below          operand-stack home slots, then saved `if` params
 *   [rsp+8*k]      outgoing argument/result slots for calls
 *
 * Registers: r15 context, r14 memory base, r11 and xmm15 scratch; rbx,
 * r12, r13, r10, r9 and xmm9-14 for pinned locals (callee-saved); the
 * rest are allocated to operand-stack entries. */
#include "wasm/compile.h"
#include "wasm/engine.h"
#include "wasm/platform.h"
#include "wasm/x64/asm.h"
#include "wasm/x64/asm_simd.h"
#include "wasm/x64/simd.h"
#include "lib/fmt.h"
#include "lib/string.h"

enum { V_CONST, V_REG, V_LOCAL, V_SLOT };

typedef struct val {
    uint8_t kind;
    uint8_t type;
    uint8_t reg;
    uint32_t local;              /* V_LOCAL */
    uint32_t pos;                /* stack position when popped */
    uint64_t imm;                /* V_CONST */
} val;

enum { C_BLOCK, C_LOOP, C_IF, C_FUNC };
enum { FUSE_CMP, FUSE_TEST, FUSE_EQZ, FUSE_ALU };

typedef struct ctl {
    uint8_t kind;
    bool has_else;
    uint32_t label, else_label;
    uint32_t height;             /* operand height below the params */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    uint32_t save;               /* first save slot of an `if`'s params */
} ctl;

/* Operand-stack registers. rbx, r12, r13, r10 and r9 are kept for locals
 * pinned to registers (callee-saved in compiled code: a function saves
 * the ones it pins). */
#define NGPR 6
static const uint8_t gpr_order[NGPR] = { RAX, RSI, RDI, R8, RCX, RDX };
#define NPIN 5
static const uint8_t pin_regs[NPIN] = { RBX, R12, R13, R10, R9 };
/* r10 and r9 are not callee-saved in C: calls to C save them like
 * xmm9-14. */
#define PIN_C_CLOBBERED(k) ((k) >= 3)
/* Float locals may be pinned to xmm9-xmm14, which compiled code treats
 * as callee-saved too (C helpers and host functions do not: those calls
 * save them; see call_helper and the host stub). */
#define NXPIN 6
static const uint8_t pin_xmms[NXPIN] = { 14, 13, 12, 11, 10, 9 };
/* Frame slots above the declared locals: context, the thread's stack
 * limit (taken from the caller's frame, so that an instance can run on
 * several threads), then the pin saves (five GPRs, six XMMs). */
#define FRAME_FIXED 13
#define SLOT_LIMITS (-16)
#define SLOT_PIN(k) (-(int32_t)(24 + 8 * (k)))
#define SLOT_XPIN(k) (-(int32_t)(64 + 8 * (k)))
#define NXMM 9

/* Which local each pin register holds (NO_LOCAL: none). */
#define NO_LOCAL UINT32_MAX
typedef struct pinset {
    uint32_t g[NPIN];            /* the local in pin_regs[k] */
    uint32_t x[NXPIN];           /* the local in pin_xmms[k] */
} pinset;

/* A loop (nested at most MAX_REGION_LEVEL deep) and the locals it keeps
 * in registers while control is inside it (its parent's when switching
 * would not pay). The pre-scan keeps the loop's heaviest locals. */
#define MAX_REGION_LEVEL 8
#define NCAND 16
typedef struct pin_region {
    const uint8_t *start;        /* the loop's block type byte */
    int32_t parent;              /* the enclosing loop's region, or -1 */
    uint32_t level;              /* 1 for a loop in no other loop */
    uint32_t ncand;
    uint32_t cand[NCAND];        /* heaviest pinnable locals, heaviest first */
    uint32_t candw[NCAND];       /* their weights inside the loop */
    pinset pins;
} pin_region;

struct cg {
    x64_asm *a;
    wasm_compiled *c;
    const wasm_module *m;
    wasm_error *err;
    bool failed;
    unsigned cpu;

    uint32_t func;
    const wasm_functype *type;
    uint32_t nparams, nlocals;   /* nlocals: declared ones */
    uint32_t cell;               /* bytes per declared local and home slot: 8, or 16
                                    when the module uses v128 */
    uint8_t *ltypes;             /* params then declared locals */
    int8_t *lpin;                /* per local: its pinned register, or -1 */
    uint32_t *lweight;           /* per local: how much pinning it pays (pre-scan) */
    uint32_t cap_ltypes;
    uint32_t *rweight;           /* per loop level, per local: weight inside the open loop */
    uint32_t *touched;           /* per loop level: the locals with a weight there */
    uint32_t nsave_g, nsave_x;   /* pin registers saved by the prologue: a prefix */
    pinset cur;                  /* what the pin registers hold here */
    pinset outside;              /* ... outside every loop */
    pin_region *regions;         /* in code order */
    uint32_t nregions, cap_regions, next_region;
    bool regions_oom;
    struct { uint32_t ctl, region; } active[MAX_REGION_LEVEL];   /* entered regions */
    uint32_t nactive;

    val *stack;
    uint32_t sp, cap, max_sp;
    ctl *ctls;
    uint32_t nctl, cap_ctl;
    uint32_t gpr_used, xmm_used;
    bool unreachable;
    uint32_t dead_depth;

    uint32_t trap_lbl[WASM_TRAP_COUNT];   /* label + 1, 0 when unused */
    uint32_t dyn_trap_lbl;                /* label + 1 */
    uint32_t max_out;
    uint32_t save_base, nsaves;
    /* Out-of-line paths of call_indirect to another instance: {entry
     * label, label to come back to}, emitted after the body. */
    uint32_t (*cross)[2];
    uint32_t ncross, cap_cross;
    uint32_t *func_labels;

    const uint8_t *p, *end;

    /* A compare whose result feeds the next `if`, `br_if` or `select`:
     * kept here instead of being turned into 0/1, so that the consumer
     * tests the flags directly (compare fused into branch or cmov). */
    struct {
        bool active, w;
        uint8_t how;             /* FUSE_CMP: cmp a, b; FUSE_TEST: test a, b
                                    (an `and`); FUSE_EQZ: test a, a; FUSE_ALU:
                                    `alu_op` of pinned local a and b, into a */
        uint8_t alu_op;
        int cc;                  /* the condition for "true" */
        val a, b;
    } fuse;
};

static void fail(cg *g, const char *msg)
{
    if (g->failed)
        return;
    g->failed = true;
    g->err->kind = WASM_ERR_UNSUPPORTED;
    g->err->trap = WASM_TRAP_NONE;
    lib_snprintf(g->err->message, sizeof g->err->message, "compiling function %u: %s",
                 g->func, msg);
}

/* ---- reading ---- */

static uint8_t rd_u8(cg *g)
{
    if (g->p >= g->end) {
        fail(g, "unexpected end of code");
        return 0x0b;
    }
    return *g->p++;
}

static uint64_t rd_uleb(cg *g)
{
    if (g->p < g->end && *g->p < 0x80)
        return *g->p++;
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b = rd_u8(g);
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

static int64_t rd_sleb(cg *g)
{
    uint64_t v = 0;
    int shift = 0;
    uint8_t b;
    do {
        b = rd_u8(g);
        if (shift < 64)
            v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while ((b & 0x80) && shift < 70);
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;   /* sign extension, in unsigned arithmetic */
    return (int64_t)v;
}

static uint32_t rd_u32(cg *g) { return (uint32_t)rd_uleb(g); }

static uint64_t rd_fixed(cg *g, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)rd_u8(g) << (8 * i);
    return v;
}

/* ---- types and slots ---- */

static bool is_float(uint8_t t) { return t == WASM_F32 || t == WASM_F64; }
/* Values that live in XMM registers: floats and v128. */
static bool is_xmm(uint8_t t) { return is_float(t) || t == WASM_V128; }
static bool is_w(uint8_t t) { return t != WASM_I32 && t != WASM_F32; }

static x64_mem home(cg *g, uint32_t pos)
{
    return x64_m(RBP, -(int32_t)(8 * FRAME_FIXED + g->cell * (g->nlocals + pos + 1)));
}

/* The first 64-bit argument slot of parameter (or result) i of types[]:
 * a v128 takes two. */
static uint32_t arg_slot(const uint8_t *types, uint32_t i)
{
    uint32_t slot = i;
    for (uint32_t k = 0; k < i; k++)
        slot += types[k] == WASM_V128;
    return slot;
}

/* Parameter i of a function in a module with v128 values (kept apart so
 * that local_mem's common path stays small). */
static x64_mem param_mem_v128(cg *g, uint32_t i)
{
    return x64_m(RBP, (int32_t)(16 + 8 * arg_slot(g->ltypes, i)));
}

static inline x64_mem local_mem(cg *g, uint32_t i)
{
    if (i < g->nparams)
        return g->cell == 8 ? x64_m(RBP, (int32_t)(16 + 8 * i)) : param_mem_v128(g, i);
    return x64_m(RBP, -(int32_t)(8 * FRAME_FIXED + g->cell * (i - g->nparams + 1)));
}

/* The register a V_LOCAL entry lives in when its local is pinned, or -1;
 * an XMM register when the local is a float (pin_is_xmm). */
static int pin_of(cg *g, const val *v)
{
    return v->kind == V_LOCAL ? g->lpin[v->local] : -1;
}

static bool pin_is_xmm(cg *g, const val *v)
{
    return is_float(g->ltypes[v->local]);
}

/* Copies a pinned local's register into r, as v's type wants it. */
static void load_pinned(cg *g, const val *v, int r)
{
    int pin = pin_of(g, v);
    bool w = is_w(v->type);
    if (pin_is_xmm(g, v)) {
        if (is_float(v->type))
            x64_movaps(g->a, r, pin);
        else
            x64_movd_rx(g->a, w, r, pin);
    } else {
        if (is_float(v->type))
            x64_movd_xr(g->a, w, r, pin);
        else
            x64_mov_rr(g->a, w, r, pin);
    }
}

/* Stores a pinned local's register (all 64 bits) at m. */
static void store_pinned(cg *g, const val *v, x64_mem m)
{
    if (pin_is_xmm(g, v))
        x64_fstore(g->a, true, m, pin_of(g, v));
    else
        x64_store(g->a, true, m, pin_of(g, v));
}

/* Whether v can be used as a memory operand. */
static bool is_mem(cg *g, const val *v)
{
    return v->kind == V_SLOT || (v->kind == V_LOCAL && g->lpin[v->local] < 0);
}

static x64_mem val_mem(cg *g, const val *v)
{
    return v->kind == V_LOCAL ? local_mem(g, v->local) : home(g, v->pos);
}

static void load_typed(cg *g, uint8_t t, int r, x64_mem m)
{
    if (is_float(t))
        x64_fload(g->a, t == WASM_F64, r, m);
    else if (t != WASM_V128)
        x64_load(g->a, is_w(t), r, m);
    else
        x64_sse_m(g->a, P_MOVDQU_LOAD, r, m);
}

static void store_typed(cg *g, uint8_t t, x64_mem m, int r)
{
    if (is_float(t))
        x64_fstore(g->a, t == WASM_F64, m, r);
    else if (t != WASM_V128)
        x64_store(g->a, is_w(t), m, r);
    else
        x64_sse_m(g->a, P_MOVDQU_STORE, r, m);
}

static bool fits32(uint64_t v) { return (int64_t)v == (int64_t)(int32_t)v; }

/* Stores constant `imm` of type t at m. */
static void store_const(cg *g, uint8_t t, x64_mem m, uint64_t imm)
{
    if (!is_w(t)) {
        x64_store_i32(g->a, false, m, (int32_t)(uint32_t)imm);
    } else if (fits32(imm)) {
        x64_store_i32(g->a, true, m, (int32_t)imm);
    } else {
        x64_mov_ri(g->a, true, R11, imm);
        x64_store(g->a, true, m, R11);
    }
}

/* ---- the operand stack ---- */

static val *push(cg *g, uint8_t kind, uint8_t type)
{
    if (g->sp == g->cap) {
        uint32_t cap = g->cap ? g->cap * 2 : 64;
        val *s = wasm_platform_realloc(g->stack, cap * sizeof *s);
        if (!s) {
            fail(g, "out of memory");
            g->sp = 0;
        } else {
            g->stack = s;
            g->cap = cap;
        }
    }
    val *v = &g->stack[g->sp++];
    if (g->sp > g->max_sp)
        g->max_sp = g->sp;
    v->kind = kind;
    v->type = type;
    v->reg = 0;
    v->local = 0;
    v->imm = 0;
    v->pos = g->sp - 1;
    return v;
}

static void push_reg(cg *g, uint8_t type, int r) { push(g, V_REG, type)->reg = (uint8_t)r; }
static void push_const(cg *g, uint8_t type, uint64_t imm) { push(g, V_CONST, type)->imm = imm; }

static val pop(cg *g)
{
    val v;
    if (g->sp == 0) {
        fail(g, "operand stack underflow");
        lib_memset(&v, 0, sizeof v);
        v.kind = V_CONST;
        v.type = WASM_I32;
        return v;
    }
    v = g->stack[--g->sp];
    v.pos = g->sp;
    return v;
}

static void free_reg(cg *g, const val *v)
{
    if (v->kind != V_REG)
        return;
    if (is_xmm(v->type))
        g->xmm_used &= ~(1u << v->reg);
    else
        g->gpr_used &= ~(1u << v->reg);
}

/* Writes stack entry i to its home slot. */
static void spill_entry(cg *g, uint32_t i)
{
    val *v = &g->stack[i];
    x64_mem m = home(g, i);
    switch (v->kind) {
    case V_REG:
        store_typed(g, v->type, m, v->reg);
        free_reg(g, v);
        break;
    case V_CONST:
        store_const(g, v->type, m, v->imm);
        break;
    case V_LOCAL:
        if (g->lpin[v->local] >= 0) {
            store_pinned(g, v, m);
        } else if (v->type == WASM_V128) {
            load_typed(g, WASM_V128, 15, local_mem(g, v->local));
            store_typed(g, WASM_V128, m, 15);
        } else {
            x64_load(g->a, true, R11, local_mem(g, v->local));
            x64_store(g->a, true, m, R11);
        }
        break;
    default:
        return;
    }
    v->kind = V_SLOT;
}

static void spill_all(cg *g)
{
    for (uint32_t i = 0; i < g->sp; i++)
        spill_entry(g, i);
}

static void spill_one(cg *g, bool xmm)
{
    for (uint32_t i = 0; i < g->sp; i++) {
        if (g->stack[i].kind == V_REG && is_xmm(g->stack[i].type) == xmm) {
            spill_entry(g, i);
            return;
        }
    }
    fail(g, "out of registers");
}

static int alloc_gpr(cg *g)
{
    for (int tries = 0; tries < 2; tries++) {
        for (int i = 0; i < NGPR; i++) {
            int r = gpr_order[i];
            if (!(g->gpr_used & (1u << r))) {
                g->gpr_used |= 1u << r;
                return r;
            }
        }
        spill_one(g, false);
    }
    return RAX;
}

static int alloc_xmm(cg *g)
{
    for (int tries = 0; tries < 2; tries++) {
        for (int r = 0; r < NXMM; r++) {
            if (!(g->xmm_used & (1u << r))) {
                g->xmm_used |= 1u << r;
                return r;
            }
        }
        spill_one(g, true);
    }
    return 0;
}

static int alloc_for(cg *g, uint8_t t) { return is_xmm(t) ? alloc_xmm(g) : alloc_gpr(g); }

/* A GPR that is none of `avoid` (a mask). */
static int alloc_gpr_avoid(cg *g, uint32_t avoid)
{
    uint32_t added = avoid & ~g->gpr_used;
    g->gpr_used |= added;
    int r = alloc_gpr(g);
    g->gpr_used &= ~added;
    return r;
}

/* Moves any stack entry out of register r (to its home slot). */
static void evict(cg *g, int r)
{
    if (!(g->gpr_used & (1u << r)))
        return;
    for (uint32_t i = 0; i < g->sp; i++) {
        val *v = &g->stack[i];
        if (v->kind == V_REG && !is_xmm(v->type) && v->reg == r) {
            spill_entry(g, i);
            return;
        }
    }
}

static void load_const(cg *g, uint8_t t, int r, uint64_t imm)
{
    if (!is_float(t)) {
        x64_mov_ri(g->a, is_w(t), r, imm);
    } else if (imm == 0) {
        x64_sse_logic(g->a, false, SSE_XOR, r, r);
    } else {
        x64_mov_ri(g->a, true, R11, imm);
        x64_movd_xr(g->a, t == WASM_F64, r, R11);
    }
}

/* Puts v in a register that the caller owns (may clobber). */
static int to_reg(cg *g, val *v)
{
    if (v->kind == V_REG)
        return v->reg;
    int r = alloc_for(g, v->type);
    int pin = pin_of(g, v);
    if (v->kind == V_CONST)
        load_const(g, v->type, r, v->imm);
    else if (pin >= 0)
        load_pinned(g, v, r);
    else
        load_typed(g, v->type, r, val_mem(g, v));
    v->kind = V_REG;
    v->reg = (uint8_t)r;
    return r;
}

/* Puts integer v in register r (which must not hold a stack entry). */
static void to_fixed(cg *g, val *v, int r)
{
    if (v->kind == V_REG && v->reg == r)
        return;
    if (v->kind == V_REG) {
        x64_mov_rr(g->a, true, r, v->reg);
        free_reg(g, v);
    } else if (v->kind == V_CONST) {
        x64_mov_ri(g->a, is_w(v->type), r, v->imm);
    } else if (pin_of(g, v) >= 0) {
        load_pinned(g, v, r);
    } else {
        x64_load(g->a, is_w(v->type), r, val_mem(g, v));
    }
    g->gpr_used |= 1u << r;
    v->kind = V_REG;
    v->reg = (uint8_t)r;
}

/* Puts float v in xmm0 (which must not hold a live stack entry). */
static void to_fixed_xmm0(cg *g, val *v)
{
    if (v->kind == V_REG) {
        if (v->reg != 0)
            x64_movaps(g->a, 0, v->reg);
        free_reg(g, v);
    } else if (v->kind == V_CONST) {
        load_const(g, v->type, 0, v->imm);
    } else if (pin_of(g, v) >= 0) {
        load_pinned(g, v, 0);
    } else {
        load_typed(g, v->type, 0, val_mem(g, v));
    }
    g->xmm_used |= 1u;
    v->kind = V_REG;
    v->reg = 0;
}

/* A register holding v for reading only: a pinned local's own register,
 * or to_reg (free_reg afterwards is harmless either way). */
static int src_reg(cg *g, val *v)
{
    int pin = pin_of(g, v);
    if (pin >= 0 && is_float(v->type) == pin_is_xmm(g, v))
        return pin;
    return to_reg(g, v);
}

/* Before local i changes: entries that still refer to it take its value. */
static void flush_local(cg *g, uint32_t i)
{
    for (uint32_t k = 0; k < g->sp; k++)
        if (g->stack[k].kind == V_LOCAL && g->stack[k].local == i)
            spill_entry(g, k);
}

/* ---- pin regions ----
 *
 * Each loop may keep its own choice of locals in the pin registers (a
 * region); outside all loops another choice holds. On the way into a
 * region (before its loop label) and on every way out (falling out of its
 * end, a branch to a label outside it) the registers are switched: locals
 * leaving a register go back to their slots, the incoming ones are
 * loaded. A local that both sides pin stays in the same register. A
 * return needs no switch. */

static bool same_pins(const pinset *a, const pinset *b)
{
    for (int k = 0; k < NPIN; k++)
        if (a->g[k] != b->g[k])
            return false;
    for (int k = 0; k < NXPIN; k++)
        if (a->x[k] != b->x[k])
            return false;
    return true;
}

static void emit_pin_switch(cg *g, const pinset *from, const pinset *to)
{
    for (int k = 0; k < NPIN; k++)
        if (from->g[k] != to->g[k] && from->g[k] != NO_LOCAL)
            x64_store(g->a, true, local_mem(g, from->g[k]), pin_regs[k]);
    for (int k = 0; k < NXPIN; k++)
        if (from->x[k] != to->x[k] && from->x[k] != NO_LOCAL)
            x64_fstore(g->a, true, local_mem(g, from->x[k]), pin_xmms[k]);
    for (int k = 0; k < NPIN; k++)
        if (from->g[k] != to->g[k] && to->g[k] != NO_LOCAL)
            load_typed(g, g->ltypes[to->g[k]], pin_regs[k], local_mem(g, to->g[k]));
    for (int k = 0; k < NXPIN; k++)
        if (from->x[k] != to->x[k] && to->x[k] != NO_LOCAL)
            load_typed(g, g->ltypes[to->x[k]], pin_xmms[k], local_mem(g, to->x[k]));
}

/* Makes `to` what the pin registers hold from here on (no code). */
static void set_pins(cg *g, const pinset *to)
{
    for (int k = 0; k < NPIN; k++)
        if (g->cur.g[k] != NO_LOCAL)
            g->lpin[g->cur.g[k]] = -1;
    for (int k = 0; k < NXPIN; k++)
        if (g->cur.x[k] != NO_LOCAL)
            g->lpin[g->cur.x[k]] = -1;
    g->cur = *to;
    for (int k = 0; k < NPIN; k++)
        if (to->g[k] != NO_LOCAL)
            g->lpin[to->g[k]] = (int8_t)pin_regs[k];
    for (int k = 0; k < NXPIN; k++)
        if (to->x[k] != NO_LOCAL)
            g->lpin[to->x[k]] = (int8_t)pin_xmms[k];
}

/* At a loop whose block type starts at `at`, just pushed: enters its
 * region if it has one (before the loop label). */
static void enter_region(cg *g, const uint8_t *at)
{
    while (g->next_region < g->nregions && g->regions[g->next_region].start < at)
        g->next_region++;
    if (g->next_region == g->nregions || g->regions[g->next_region].start != at ||
        g->nactive == MAX_REGION_LEVEL)
        return;
    uint32_t r = g->next_region++;
    g->active[g->nactive].ctl = g->nctl - 1;
    g->active[g->nactive++].region = r;
    const pinset *to = &g->regions[r].pins;
    if (!same_pins(&g->cur, to)) {
        emit_pin_switch(g, &g->cur, to);
        set_pins(g, to);
    }
}

/* What the pin registers hold at the label of ctl entry `t`. */
static const pinset *pins_at(cg *g, uint32_t t)
{
    for (uint32_t i = g->nactive; i > 0; i--)
        if (g->active[i - 1].ctl <= t)
            return &g->regions[g->active[i - 1].region].pins;
    return &g->outside;
}

/* At the end of a loop: leaves its region if it is in one. */
static void leave_region(cg *g)
{
    if (g->nactive == 0 || g->active[g->nactive - 1].ctl != g->nctl - 1)
        return;
    g->nactive--;
    const pinset *to = pins_at(g, g->nctl - 1);
    if (!same_pins(&g->cur, to)) {
        if (!g->unreachable)
            emit_pin_switch(g, &g->cur, to);
        set_pins(g, to);
    }
}

/* Whether a branch to `depth` must switch pins on its way. */
static bool leaves_region(cg *g, uint32_t depth)
{
    return g->nactive > 0 && !same_pins(&g->cur, pins_at(g, g->nctl - 1 - depth));
}

/* ---- traps ---- */

static uint32_t trap_label(cg *g, int kind)
{
    if (!g->trap_lbl[kind])
        g->trap_lbl[kind] = x64_label(g->a) + 1;
    return g->trap_lbl[kind] - 1;
}

static uint32_t dyn_trap_label(cg *g)
{
    if (!g->dyn_trap_lbl)
        g->dyn_trap_lbl = x64_label(g->a) + 1;
    return g->dyn_trap_lbl - 1;
}

static void call_trap_stub(cg *g)
{
    x64_load(g->a, true, R11, x64_m(R15, CTX_HELPERS));
    x64_call_m(g->a, x64_m(R11, 8 * HELPER_TRAP));
}

static void emit_cross_calls(cg *g);

static void emit_trap_stubs(cg *g)
{
    emit_cross_calls(g);
    for (int k = 0; k < WASM_TRAP_COUNT; k++) {
        if (!g->trap_lbl[k])
            continue;
        x64_bind(g->a, g->trap_lbl[k] - 1);
        x64_mov_ri(g->a, false, RDI, (uint64_t)k);
        call_trap_stub(g);
    }
    if (g->dyn_trap_lbl) {
        x64_bind(g->a, g->dyn_trap_lbl - 1);
        x64_mov_rr(g->a, false, RDI, RAX);
        call_trap_stub(g);
    }
}

static void add_site(cg *g, int kind)
{
    if (wasm_compiled_add_site(g->c, (uint32_t)g->a->len, (uint32_t)kind) != 0)
        fail(g, "out of memory");
}

/* ---- integer operations ---- */

/* Peepholes here look at the next instruction or two (g->p) and consume
 * them when they fold into the current one: a compare, an eqz or an `and`
 * feeding a consumer of flags (if, br_if, select) becomes a fused
 * compare; `x*3 + c` and `(x << k) + c` become one lea; an operation whose
 * result goes straight into a pinned local (local.set/tee next) computes
 * it in the local's register. docs/engine-backend.md lists them.
 *
 * An i32 value in a GPR always has its upper 32 bits zero (32-bit
 * operations write them so); mem_operand and i64.extend_i32_u rely on it. */

static void swap_vals(val *a, val *b)
{
    val t = *a;
    *a = *b;
    *b = t;
}

/* The condition that holds for (b, a) when cc holds for (a, b). */
static int cc_swapped(int cc)
{
    switch (cc) {
    case CC_L: return CC_G;
    case CC_G: return CC_L;
    case CC_LE: return CC_GE;
    case CC_GE: return CC_LE;
    case CC_B: return CC_A;
    case CC_A: return CC_B;
    case CC_BE: return CC_AE;
    case CC_AE: return CC_BE;
    default: return cc;
    }
}

static bool is_imm(const val *v, bool w) { return v->kind == V_CONST && (!w || fits32(v->imm)); }

/* The GPR an integer operand v reads as is: a local pinned to a GPR; -1
 * otherwise (a float local seen through a reinterpret has to be moved). */
static int gpin(cg *g, const val *v)
{
    return pin_of(g, v) >= 0 && !pin_is_xmm(g, v) ? pin_of(g, v) : -1;
}

/* Whether v refers to local i (a pinned local's register, say). */
static bool is_local(const val *v, uint32_t i) { return v->kind == V_LOCAL && v->local == i; }

/* Copies integer v (any kind) into register r; v's own register, if any,
 * is freed. r is not marked used (it is a pinned local's register). */
static void load_into(cg *g, val *v, int r)
{
    bool w = is_w(v->type);
    if (v->kind == V_REG) {
        if (v->reg != r)
            x64_mov_rr(g->a, w, r, v->reg);
        free_reg(g, v);
    } else if (v->kind == V_CONST) {
        x64_mov_ri(g->a, w, r, v->imm);
    } else if (pin_of(g, v) >= 0) {
        if (gpin(g, v) != r)
            load_pinned(g, v, r);
    } else {
        x64_load(g->a, w, r, val_mem(g, v));
    }
}

/* A register holding integer operand v, for reading only. A frame slot
 * is loaded with a plain mov (into r11) rather than used as a memory
 * operand: locals that miss a pinned register are mostly loop-carried
 * through their slot, and on Zen 4 a mov from [rbp+disp] right after the
 * store is nearly free (memory renaming) while a load-op is not: sha256
 * ran 20% faster, crc and lz 6% (docs/engine-backend.md). */
static int read_reg(cg *g, val *v)
{
    if (is_mem(g, v)) {
        x64_load(g->a, is_w(v->type), R11, val_mem(g, v));
        return R11;
    }
    return src_reg(g, v);
}

/* Skips the i32.eqz instructions at g->p (each inverts *cc) when an `if`,
 * `br_if` or `select` follows them: that instruction can then test the
 * flags of the compare being compiled. Leaves g->p alone otherwise. */
static bool flags_ahead(cg *g, int *cc)
{
    const uint8_t *p = g->p;
    int c = *cc;
    while (p < g->end && *p == 0x45) {
        p++;
        c ^= 1;                  /* x86 conditions come in pairs: cc ^ 1 is the opposite */
    }
    if (p >= g->end || !(*p == 0x04 || *p == 0x0d || *p == 0x1b || *p == 0x1c))
        return false;
    g->p = p;
    *cc = c;
    return true;
}

static void set_fuse(cg *g, int how, bool w, int cc, const val *a, const val *b)
{
    g->fuse.active = true;
    g->fuse.how = (uint8_t)how;
    g->fuse.w = w;
    g->fuse.cc = cc;
    g->fuse.a = *a;
    if (b)
        g->fuse.b = *b;
}

/* When the next instruction is local.set or local.tee of a pinned local
 * of type t, consumes it and returns the local (entries on the stack that
 * still refer to it are flushed first); -1 otherwise. */
static int64_t direct_local(cg *g, uint8_t t, bool *tee)
{
    if (g->p >= g->end || (g->p[0] != 0x21 && g->p[0] != 0x22))
        return -1;
    const uint8_t *save = g->p;
    *tee = g->p[0] == 0x22;
    g->p++;
    uint32_t li = rd_u32(g);
    if (g->failed || li >= g->nparams + g->nlocals || g->lpin[li] < 0 || g->ltypes[li] != t) {
        g->p = save;
        return -1;
    }
    flush_local(g, li);
    return li;
}

static void push_direct(cg *g, uint8_t t, uint32_t li, bool tee)
{
    if (tee)
        push(g, V_LOCAL, t)->local = li;
}

/* An integer constant `iN.const c; iN.add` (or sub) next: consumes both
 * and returns c (negated for sub) in *c when it fits a displacement. */
static bool add_const_ahead(cg *g, bool w, int32_t *c)
{
    if (g->end - g->p < 3 || g->p[0] != (w ? 0x42 : 0x41))
        return false;
    const uint8_t *save = g->p;
    g->p++;
    int64_t v = rd_sleb(g);
    uint8_t add = w ? 0x7c : 0x6a, sub = w ? 0x7d : 0x6b;
    if (!g->failed && g->p < g->end && (g->p[0] == add || g->p[0] == sub)) {
        uint64_t d = g->p[0] == add ? (uint64_t)v : -(uint64_t)v;
        if (!w || fits32(d)) {      /* a 32-bit lea wraps like i32.add */
            g->p++;
            *c = (int32_t)(uint32_t)d;
            return true;
        }
    }
    g->p = save;
    return false;
}

/* Emits `op r, b` for an ALU operation with any kind of right operand. */
static void alu_r_val(cg *g, int op, bool w, int r, val *b)
{
    if (is_imm(b, w)) {
        x64_alu_ri(g->a, op, w, r, (int32_t)b->imm);
    } else {
        x64_alu_rr(g->a, op, w, r, read_reg(g, b));
        free_reg(g, b);
    }
}

/* `and` whose result is only tested (eqz, if, br_if, select next):
 * a fused test instead. */
static bool and_as_test(cg *g, bool w, const val *a, const val *b)
{
    const uint8_t *save = g->p;
    int cc = CC_NE;
    if (w) {
        if (g->p >= g->end || g->p[0] != 0x50)   /* i64.eqz */
            return false;
        g->p++;
        cc = CC_E;
    }
    if (!flags_ahead(g, &cc)) {
        g->p = save;
        return false;
    }
    set_fuse(g, FUSE_TEST, w, cc, a, b);
    return true;
}

/* x & 0xff, 0xffff or (i64) 0xffffffff: the width movzx keeps (32: a
 * mov r32), or 0 for other operations and masks. */
static int zext_bits(int op, bool w, const val *b)
{
    if (op != ALU_AND || b->kind != V_CONST)
        return 0;
    uint64_t m = w ? b->imm : (uint32_t)b->imm;
    return m == 0xff ? 8 : m == 0xffff ? 16 : w && m == 0xffffffffu ? 32 : 0;
}

/* d = the low `bits` of s, zero-extended, without a copy first. */
static void zext_rr(cg *g, int bits, int d, int s)
{
    if (bits == 8)
        x64_movzx8_rr(g->a, d, s);
    else if (bits == 16)
        x64_movzx16_rr(g->a, d, s);
    else
        x64_mov_rr(g->a, false, d, s);
}

static void int_binop(cg *g, bool w, int op)
{
    val b = pop(g), a = pop(g);
    uint8_t t = w ? WASM_I64 : WASM_I32;
    bool comm = op != ALU_SUB;
    /* Constants go right, registers we may overwrite go left, and a frame
     * slot goes left of a pinned register (loaded by the mov that copies
     * the left operand anyway). */
    if (comm && ((a.kind == V_CONST && b.kind != V_CONST) ||
                 (a.kind != V_REG && b.kind == V_REG && !is_mem(g, &a)) ||
                 (gpin(g, &a) >= 0 && is_mem(g, &b))))
        swap_vals(&a, &b);
    if (op == ALU_AND && and_as_test(g, w, &a, &b))
        return;
    bool tee;
    int64_t li = a.kind != V_REG ? direct_local(g, t, &tee) : -1;
    if (li >= 0) {
        /* Straight into the pinned local: `add ebx, 1` for x = x + 1. */
        if (!is_local(&a, (uint32_t)li) && is_local(&b, (uint32_t)li)) {
            if (comm) {
                swap_vals(&a, &b);
            } else {               /* x = y - x: through a scratch register */
                int r = to_reg(g, &a);
                alu_r_val(g, op, w, r, &b);
                x64_mov_rr(g->a, w, g->lpin[li], r);
                free_reg(g, &a);
                push_direct(g, t, (uint32_t)li, tee);
                return;
            }
        }
        if (comm && is_mem(g, &b) && !is_mem(g, &a) && !is_local(&a, (uint32_t)li))
            swap_vals(&a, &b);   /* mov d, [slot]; op d, reg */
        int d = g->lpin[li];
        int pa = gpin(g, &a), pb = gpin(g, &b);
        int cc = CC_NE;
        if (tee && !w && is_local(&a, (uint32_t)li) && !zext_bits(op, w, &b) &&
            flags_ahead(g, &cc)) {
            /* x = x op b; local.tee x; (eqz*) if/br_if/select: the
             * consumer emits the operation and tests its flags */
            set_fuse(g, FUSE_ALU, w, cc, &a, &b);
            g->fuse.alu_op = (uint8_t)op;
            return;
        }
        if (pa >= 0 && zext_bits(op, w, &b)) {
            zext_rr(g, zext_bits(op, w, &b), d, pa);
        } else if (op == ALU_ADD && is_imm(&b, w) && pa >= 0 && pa != d) {
            x64_lea(g->a, w, d, x64_m(pa, (int32_t)b.imm));
        } else if (op == ALU_ADD && pa >= 0 && pa != d && pb >= 0 && pb != d) {
            x64_lea(g->a, w, d, x64_mi(pa, pb, 1, 0));
        } else {
            load_into(g, &a, d);
            alu_r_val(g, op, w, d, &b);
        }
        push_direct(g, t, (uint32_t)li, tee);
        return;
    }
    /* A pinned local plus a constant or another pinned local: one lea
     * instead of mov + add; a pinned local's low byte or half: movzx. */
    int pa = gpin(g, &a);
    if (pa >= 0 && zext_bits(op, w, &b)) {
        int d = alloc_gpr(g);
        zext_rr(g, zext_bits(op, w, &b), d, pa);
        push_reg(g, t, d);
        return;
    }
    if (pa >= 0 && (op == ALU_ADD || op == ALU_SUB) && is_imm(&b, w)) {
        uint64_t c = op == ALU_ADD ? b.imm : -b.imm;
        if (!w || fits32(c)) {
            int d = alloc_gpr(g);
            x64_lea(g->a, w, d, x64_m(pa, (int32_t)c));
            push_reg(g, t, d);
            return;
        }
    }
    if (pa >= 0 && op == ALU_ADD && gpin(g, &b) >= 0) {
        int d = alloc_gpr(g);
        x64_lea(g->a, w, d, x64_mi(pa, gpin(g, &b), 1, 0));
        push_reg(g, t, d);
        return;
    }
    int r = to_reg(g, &a);
    if (op == ALU_XOR && b.kind == V_CONST && (w ? b.imm == ~0ull : (uint32_t)b.imm == ~0u))
        x64_not(g->a, w, r);
    else
        alu_r_val(g, op, w, r, &b);
    push_reg(g, t, r);
}

/* x * 3, 5 or 9 (as lea) and x * 2^k (as shl or lea), with a constant
 * added next folded into the lea. Returns false for other multipliers. */
static bool mul_by_lea(cg *g, bool w, val *a, uint64_t m)
{
    uint8_t t = w ? WASM_I64 : WASM_I32;
    int scale = 0, k = 0;
    bool base = false;
    if (m == 3 || m == 5 || m == 9) {
        scale = (int)m - 1;
        base = true;
    } else if (m == 2) {
        scale = 1;
        base = true;
    } else if (m == 4 || m == 8) {
        scale = (int)m;
    } else if (m > 1 && !(m & (m - 1))) {
        while ((1ull << k) != m)
            k++;
        if (k >= (w ? 64 : 32))
            return false;
    } else {
        return false;
    }
    if (k) {                     /* a plain shift */
        bool tee;
        int64_t li = a->kind != V_REG ? direct_local(g, t, &tee) : -1;
        int d = li >= 0 ? g->lpin[li] : to_reg(g, a);
        if (li >= 0)
            load_into(g, a, d);
        x64_shift_ri(g->a, SH_SHL, w, d, (uint8_t)k);
        if (li >= 0)
            push_direct(g, t, (uint32_t)li, tee);
        else
            push_reg(g, t, d);
        return true;
    }
    int32_t c = 0;
    add_const_ahead(g, w, &c);
    bool tee;
    int64_t li = a->kind != V_REG ? direct_local(g, t, &tee) : -1;
    int s, d;
    if (li >= 0) {
        d = g->lpin[li];
        s = a->kind == V_CONST || is_mem(g, a) ? (load_into(g, a, d), d) : src_reg(g, a);
    } else {
        s = src_reg(g, a);
        d = a->kind == V_REG ? a->reg : alloc_gpr(g);
    }
    x64_lea(g->a, w, d, x64_mi(base ? s : -1, s, scale, c));
    if (a->kind == V_REG && a->reg != d)
        free_reg(g, a);          /* a copy src_reg made (a reinterpreted float local) */
    if (li >= 0)
        push_direct(g, t, (uint32_t)li, tee);
    else
        push_reg(g, t, d);
    return true;
}

static void int_mul(cg *g, bool w)
{
    val b = pop(g), a = pop(g);
    uint8_t t = w ? WASM_I64 : WASM_I32;
    if ((a.kind == V_CONST && b.kind != V_CONST) || (a.kind != V_REG && b.kind == V_REG))
        swap_vals(&a, &b);
    if (b.kind == V_CONST && mul_by_lea(g, w, &a, w ? b.imm : (uint32_t)b.imm))
        return;
    if (is_imm(&b, w)) {
        /* Three-operand imul: the source may be a pinned local. */
        int s = a.kind == V_REG || is_mem(g, &a) ? to_reg(g, &a) : src_reg(g, &a);
        int d = a.kind == V_REG ? s : alloc_gpr(g);
        x64_imul_rri(g->a, w, d, s, (int32_t)b.imm);
        push_reg(g, t, d);
        return;
    }
    int r = to_reg(g, &a);
    x64_imul_rr(g->a, w, r, read_reg(g, &b));
    free_reg(g, &b);
    push_reg(g, t, r);
}

/* Emits the pending fused compare or test; returns its condition code.
 * Nothing that changes the flags may come between this and their use. */
static int emit_fused(cg *g)
{
    val a = g->fuse.a, b = g->fuse.b;
    bool w = g->fuse.w;
    int cc = g->fuse.cc;
    g->fuse.active = false;
    if (g->fuse.how == FUSE_ALU) {
        /* x = x op b; local.tee x; br_if: the operation's own ZF */
        alu_r_val(g, g->fuse.alu_op, w, gpin(g, &a), &b);
        return cc;
    }
    if (g->fuse.how != FUSE_EQZ && a.kind == V_CONST && b.kind != V_CONST) {
        swap_vals(&a, &b);
        cc = cc_swapped(cc);     /* test is symmetric: E/NE are unchanged */
    }
    int r = src_reg(g, &a);      /* only read: a pinned local serves as is */
    if (g->fuse.how == FUSE_EQZ) {
        x64_test_rr(g->a, w, r, r);
    } else if (g->fuse.how == FUSE_TEST) {
        if (is_imm(&b, w))
            x64_test_ri(g->a, w, r, (int32_t)b.imm);
        else
            x64_test_rr(g->a, w, r, read_reg(g, &b));
    } else if (is_imm(&b, w)) {
        x64_alu_ri(g->a, ALU_CMP, w, r, (int32_t)b.imm);
    } else {
        x64_alu_rr(g->a, ALU_CMP, w, r, read_reg(g, &b));
    }
    free_reg(g, &a);
    /* An eqz has no second operand: fuse.b is then a stale copy from an
     * earlier compare, and its register may hold a live entry by now (a
     * select's operand, say). */
    if (g->fuse.how != FUSE_EQZ)
        free_reg(g, &b);
    return cc;
}

/* A 0/1 result from the flags: into a fresh register cleared before the
 * compare when there is one (no movzx), else into an operand's register. */
static void int_cmp(cg *g, bool w, int cc)
{
    val b = pop(g), a = pop(g);
    if (flags_ahead(g, &cc)) {
        set_fuse(g, FUSE_CMP, w, cc, &a, &b);
        return;
    }
    if (a.kind == V_CONST && b.kind != V_CONST) {
        swap_vals(&a, &b);
        cc = cc_swapped(cc);
    }
    int d = -1;
    bool fresh = a.kind != V_REG && b.kind != V_REG;
    if (fresh) {
        d = alloc_gpr(g);
        x64_alu_rr(g->a, ALU_XOR, false, d, d);
    }
    int r = src_reg(g, &a);
    if (is_imm(&b, w))
        x64_alu_ri(g->a, ALU_CMP, w, r, (int32_t)b.imm);
    else
        x64_alu_rr(g->a, ALU_CMP, w, r, read_reg(g, &b));
    if (!fresh) {
        /* one operand is a register: it takes the result */
        d = a.kind == V_REG ? a.reg : b.reg;
        if (a.kind == V_REG)
            free_reg(g, &b);
        x64_setcc(g->a, cc, d);
        x64_movzx8_rr(g->a, d, d);
    } else {
        free_reg(g, &a);
        free_reg(g, &b);
        x64_setcc(g->a, cc, d);
    }
    push_reg(g, WASM_I32, d);
}

static void int_eqz(cg *g, bool w)
{
    val a = pop(g);
    int cc = CC_E;
    if (flags_ahead(g, &cc)) {
        set_fuse(g, FUSE_EQZ, w, cc, &a, NULL);
        return;
    }
    int d = -1;
    bool fresh = a.kind != V_REG;
    if (fresh) {
        d = alloc_gpr(g);
        x64_alu_rr(g->a, ALU_XOR, false, d, d);
    }
    int r = src_reg(g, &a);
    x64_test_rr(g->a, w, r, r);
    if (fresh) {
        free_reg(g, &a);
        x64_setcc(g->a, CC_E, d);
    } else {
        d = r;
        x64_setcc(g->a, CC_E, d);
        x64_movzx8_rr(g->a, d, d);
    }
    push_reg(g, WASM_I32, d);
}

/* x << k (k = 1..3) that an add takes next, the usual array address:
 * one lea [base + x*2^k + disp] (a 32-bit lea wraps at 32 bits as the
 * Wasm operations do). The other addend is a constant next (`iN.const c;
 * iN.add`), a local next (`local.get; iN.add`) or the entry below on the
 * stack (`iN.add` right after). The result may go straight into a pinned
 * local. Returns false, having consumed nothing, otherwise. */
static bool shl_add_lea(cg *g, bool w, val *a, uint8_t k)
{
    uint8_t t = w ? WASM_I64 : WASM_I32, add = w ? 0x7c : 0x6a;
    int32_t c = 0;
    val base;
    bool has_base = false;
    if (add_const_ahead(g, w, &c)) {
        /* x*2^k + c */
    } else if (g->end - g->p >= 3 && g->p[0] == 0x20) {
        const uint8_t *save = g->p;
        g->p++;
        uint32_t l = rd_u32(g);
        if (g->failed || l >= g->nparams + g->nlocals || g->ltypes[l] != t || g->p >= g->end ||
            *g->p != add) {
            g->p = save;
            return false;
        }
        g->p++;
        lib_memset(&base, 0, sizeof base);
        base.kind = V_LOCAL;
        base.type = t;
        base.local = l;
        has_base = true;
    } else if (g->p < g->end && *g->p == add && g->sp > 0) {
        g->p++;
        base = pop(g);
        has_base = true;
        if (is_imm(&base, w)) {
            c = (int32_t)base.imm;
            has_base = false;
        }
    } else {
        return false;
    }
    /* Registers first (an allocation may spill through r11), r11 last. */
    int s = a->kind == V_REG ? a->reg : gpin(g, a) >= 0 ? gpin(g, a) : to_reg(g, a);
    if (has_base && base.kind != V_REG && !is_mem(g, &base) && gpin(g, &base) < 0)
        to_reg(g, &base);        /* a large constant, a reinterpreted float local */
    bool tee;
    int64_t li = direct_local(g, t, &tee);
    int d;
    if (li >= 0)
        d = g->lpin[li];
    else if (has_base && base.kind == V_REG)
        d = base.reg;
    else if (a->kind == V_REG)
        d = a->reg;
    else
        d = alloc_gpr(g);
    int rb = -1;
    if (has_base) {
        if (base.kind == V_REG) {
            rb = base.reg;
        } else if (gpin(g, &base) >= 0) {
            rb = gpin(g, &base);
        } else {
            x64_load(g->a, w, R11, val_mem(g, &base));
            rb = R11;
        }
    }
    x64_lea(g->a, w, d, x64_mi(rb, s, 1 << k, c));
    if (a->kind == V_REG && a->reg != d)
        free_reg(g, a);
    if (has_base && base.kind == V_REG && base.reg != d)
        free_reg(g, &base);
    if (li >= 0)
        push_direct(g, t, (uint32_t)li, tee);
    else
        push_reg(g, t, d);
    return true;
}

static void int_shift(cg *g, bool w, int op)
{
    val b = pop(g), a = pop(g);
    uint8_t t = w ? WASM_I64 : WASM_I32;
    if (b.kind == V_CONST) {
        uint8_t k = (uint8_t)(b.imm & (w ? 63 : 31));
        if (k == 0) {            /* a shift by 0 (mod width): the value, kept clean */
            int r = to_reg(g, &a);
            if (!w)
                x64_mov_rr(g->a, false, r, r);
            push_reg(g, t, r);
            return;
        }
        if (op == SH_SHL && k <= 3 && shl_add_lea(g, w, &a, k))
            return;
        bool tee;
        int64_t li = a.kind != V_REG ? direct_local(g, t, &tee) : -1;
        if (li >= 0) {
            load_into(g, &a, g->lpin[li]);
            x64_shift_ri(g->a, op, w, g->lpin[li], k);
            push_direct(g, t, (uint32_t)li, tee);
            return;
        }
        int r = to_reg(g, &a);
        x64_shift_ri(g->a, op, w, r, k);
        push_reg(g, t, r);
        return;
    }
    if (a.kind == V_REG && a.reg == RCX) {
        int n = alloc_gpr_avoid(g, 1u << RCX);
        x64_mov_rr(g->a, true, n, RCX);
        g->gpr_used &= ~(1u << RCX);
        a.reg = (uint8_t)n;
    }
    if (!(b.kind == V_REG && b.reg == RCX))
        evict(g, RCX);
    to_fixed(g, &b, RCX);
    int r = to_reg(g, &a);
    x64_shift_cl(g->a, op, w, r);
    free_reg(g, &b);
    push_reg(g, t, r);
}

/* ---- division and remainder by a constant ----
 * A constant divisor needs no div/idiv (20-90 cycles): shifts for powers
 * of two, otherwise a multiply by a "magic" reciprocal that keeps the
 * high half of the product (Granlund and Montgomery 1994; Hacker's
 * Delight, chapter 10, whose figures 10-1 and 10-2 the two functions
 * below follow, for N = 32 or 64 bits). A remainder is x - q*d. Division
 * by 0 keeps the general path and its trap. */

typedef struct divmagic {
    uint64_t m;                  /* the multiplier's low N bits */
    uint8_t s;                   /* the shift after the high half */
    bool add;                    /* unsigned: the multiplier is 2^N + m */
} divmagic;

/* Unsigned: x / d == (x * M) >> (N + s) for every x below 2^(N-z), with
 * the smallest such s; M may need N+1 bits (add). d is not a power of
 * two. (z > 0: x was shifted right by z first, dividing an even d by
 * 2^z; the smaller range then always fits an N-bit M.) */
static divmagic magic_u(uint64_t d, int n, int z)
{
    uint64_t mask = n == 64 ? ~0ull : (1ull << n) - 1;
    uint64_t smin = 1ull << (n - 1), smax = smin - 1;
    uint64_t top = mask >> z;                    /* the largest x */
    uint64_t nc = top - ((top - d + 1) % d);     /* the largest x with x % d == d - 1 */
    uint64_t q1 = smin / nc, r1 = smin - q1 * nc;
    uint64_t q2 = smax / d, r2 = smax - q2 * d;
    uint64_t delta;
    divmagic mg = { 0, 0, false };
    int p = n - 1;
    do {
        p++;
        if (r1 >= nc - r1) {
            q1 = (2 * q1 + 1) & mask;
            r1 = (2 * r1 - nc) & mask;
        } else {
            q1 = (2 * q1) & mask;
            r1 = (2 * r1) & mask;
        }
        if (r2 + 1 >= d - r2) {
            if (q2 >= smax)
                mg.add = true;
            q2 = (2 * q2 + 1) & mask;
            r2 = (2 * r2 + 1 - d) & mask;
        } else {
            if (q2 >= smin)
                mg.add = true;
            q2 = (2 * q2) & mask;
            r2 = (2 * r2 + 1) & mask;
        }
        delta = d - 1 - r2;
    } while (p < 2 * n && (q1 < delta || (q1 == delta && r1 == 0)));
    mg.m = (q2 + 1) & mask;
    mg.s = (uint8_t)(p - n);
    return mg;
}

/* Signed: q = mulhs(x, M) (+x when d > 0 and M < 0, -x when d < 0 and
 * M > 0), >> s arithmetic, plus 1 when negative. 2 <= |d| < 2^(N-1),
 * not a power of two; d sign-extended to 64 bits. */
static divmagic magic_s(int64_t d, int n)
{
    uint64_t mask = n == 64 ? ~0ull : (1ull << n) - 1;
    uint64_t two = 1ull << (n - 1);
    uint64_t ad = d < 0 ? -(uint64_t)d : (uint64_t)d;
    uint64_t t = two + (d < 0);
    uint64_t anc = t - 1 - t % ad;               /* |nc| */
    uint64_t q1 = two / anc, r1 = two - q1 * anc;
    uint64_t q2 = two / ad, r2 = two - q2 * ad;
    uint64_t delta;
    divmagic mg = { 0, 0, false };
    int p = n - 1;
    do {
        p++;
        q1 = (2 * q1) & mask;
        r1 = (2 * r1) & mask;
        if (r1 >= anc) {
            q1++;
            r1 -= anc;
        }
        q2 = (2 * q2) & mask;
        r2 = (2 * r2) & mask;
        if (r2 >= ad) {
            q2++;
            r2 -= ad;
        }
        delta = ad - r2;
    } while (q1 < delta || (q1 == delta && r1 == 0));
    mg.m = (q2 + 1) & mask;
    if (d < 0)
        mg.m = -mg.m & mask;
    mg.s = (uint8_t)(p - n);
    return mg;
}

static int div_ctz(uint64_t d)
{
    int k = 0;
    while (!((d >> k) & 1))
        k++;
    return k;
}

/* Both operands constant: the result, unless it traps (then false, and
 * the general path traps at run time). */
static bool div_fold(cg *g, bool w, bool sign, bool rem, uint64_t x, uint64_t d)
{
    uint64_t mask = w ? ~0ull : 0xffffffffull;
    uint64_t r;
    if (!sign) {
        r = rem ? x % d : x / d;
    } else {
        int64_t sx = w ? (int64_t)x : (int32_t)(uint32_t)x;
        int64_t sd = w ? (int64_t)d : (int32_t)(uint32_t)d;
        if (sd == -1) {
            if (!rem && x == (mask ^ (mask >> 1)))
                return false;                    /* INT_MIN / -1 */
            r = rem ? 0 : -x;
        } else {
            r = rem ? (uint64_t)(sx % sd) : (uint64_t)(sx / sd);
        }
    }
    push_const(g, w ? WASM_I64 : WASM_I32, r & mask);
    return true;
}

/* A register holding a (for reading) that is none of `avoid`; a gets its
 * own register unless it is a pinned local's. */
static int div_src(cg *g, val *a, uint32_t avoid)
{
    if (a->kind == V_REG && !(avoid & (1u << a->reg)))
        return a->reg;
    if (gpin(g, a) >= 0 && !(avoid & (1u << gpin(g, a))))
        return gpin(g, a);
    int r = alloc_gpr_avoid(g, avoid);
    if (a->kind == V_REG) {
        x64_mov_rr(g->a, true, r, a->reg);
        free_reg(g, a);
    } else if (pin_of(g, a) >= 0) {
        load_pinned(g, a, r);
    } else {
        x64_load(g->a, is_w(a->type), r, val_mem(g, a));
    }
    a->kind = V_REG;
    a->reg = (uint8_t)r;
    return r;
}

/* The remainder x - q*d from the quotient in q: into x's register when
 * the code owns it, else into q's. Returns the result's register. */
static int div_rem_tail(cg *g, bool w, val *a, int rx, int q, uint64_t d)
{
    if (!w || fits32(d)) {
        x64_imul_rri(g->a, w, q, q, (int32_t)(uint32_t)d);
    } else {
        x64_mov_ri(g->a, true, R11, d);
        x64_imul_rr(g->a, true, q, R11);
    }
    if (a->kind == V_REG) {
        x64_alu_rr(g->a, ALU_SUB, w, rx, q);
        g->gpr_used &= ~(1u << q);
        return rx;
    }
    x64_neg(g->a, w, q);
    x64_alu_rr(g->a, ALU_ADD, w, q, rx);
    return q;
}

/* x / 2^k or x % 2^k, signed (rounding toward zero): x plus a bias of
 * 2^k - 1 when x is negative, then a shift (or a mask and a subtract). */
static void div_pow2_s(cg *g, bool w, bool rem, bool neg, val *a, int k)
{
    int n = w ? 64 : 32;
    int r = to_reg(g, a);
    int t = alloc_gpr(g);
    x64_mov_rr(g->a, w, t, r);
    if (k > 1)
        x64_shift_ri(g->a, SH_SAR, w, t, (uint8_t)(n - 1));
    x64_shift_ri(g->a, SH_SHR, w, t, (uint8_t)(n - k));   /* the bias */
    if (!rem) {
        x64_alu_rr(g->a, ALU_ADD, w, r, t);
        x64_shift_ri(g->a, SH_SAR, w, r, (uint8_t)k);
        if (neg)
            x64_neg(g->a, w, r);
    } else {
        x64_alu_rr(g->a, ALU_ADD, w, t, r);
        if (k < 32) {
            x64_alu_ri(g->a, ALU_AND, w, t, (int32_t)(0u - (1u << k)));
        } else {
            x64_mov_ri(g->a, true, R11, 0 - (1ull << k));
            x64_alu_rr(g->a, ALU_AND, true, t, R11);
        }
        x64_alu_rr(g->a, ALU_SUB, w, r, t);       /* rem_s by -2^k is rem_s by 2^k */
    }
    g->gpr_used &= ~(1u << t);
    push_reg(g, w ? WASM_I64 : WASM_I32, r);
}

/* The multiply through rdx:rax (one-operand mul/imul): 64-bit division,
 * and 32-bit unsigned division whose multiplier needs 33 bits (taken as
 * (2^32 + m) << (32 - s), so that the high half is the quotient). */
static void div_magic_wide(cg *g, bool w, bool sign, bool rem, val *a, uint64_t d)
{
    divmagic mg;
    uint64_t mult;
    int z = 0, corr = 0;
    bool need_x = rem;                           /* x still read after the multiply */
    if (!w) {                                    /* unsigned, add */
        mg = magic_u(d, 32, 0);
        mult = ((1ull << 32) | mg.m) << (32 - mg.s);
    } else if (!sign) {
        mg = magic_u(d, 64, 0);
        if (mg.add && !(d & 1)) {                /* (x >> z) / (d >> z): no add */
            z = div_ctz(d);
            divmagic m2 = magic_u(d >> z, 64, z);
            if (!m2.add)
                mg = m2;
            else
                z = 0;
        }
        mult = mg.m;
        need_x |= mg.add;
    } else {
        mg = magic_s((int64_t)d, 64);
        mult = mg.m;
        if ((int64_t)d > 0 && (int64_t)mg.m < 0)
            corr = 1;                            /* mulhs(x, m) + x */
        else if ((int64_t)d < 0 && (int64_t)mg.m > 0)
            corr = -1;                           /* mulhs(x, m) - x */
        need_x |= corr != 0;
    }
    evict(g, RAX);
    evict(g, RDX);
    uint32_t fixed = (1u << RAX) | (1u << RDX);
    int rx = -1;
    if (need_x) {
        rx = div_src(g, a, fixed);
        g->gpr_used |= fixed;
        x64_mov_rr(g->a, w, RAX, rx);            /* 32 bits: zero-extends x */
    } else {
        /* straight into rax */
        if (a->kind == V_REG) {
            if (a->reg != RAX || !w)
                x64_mov_rr(g->a, w, RAX, a->reg);
            free_reg(g, a);
        } else if (pin_of(g, a) >= 0) {
            load_pinned(g, a, RAX);
        } else {
            x64_load(g->a, w, RAX, val_mem(g, a));
        }
        a->kind = V_REG;
        a->reg = RAX;
        g->gpr_used |= fixed;
    }
    x64_mov_ri(g->a, true, R11, mult);
    if (z)
        x64_shift_ri(g->a, SH_SHR, true, RAX, (uint8_t)z);
    x64_mul_wide(g->a, true, sign, R11);
    int q = RDX;
    if (!w) {
        /* the high half is the quotient */
    } else if (!sign && !mg.add) {
        if (mg.s)
            x64_shift_ri(g->a, SH_SHR, true, RDX, mg.s);
    } else if (!sign) {                          /* ((x - hi) >> 1 + hi) >> (s - 1) */
        x64_mov_rr(g->a, true, RAX, rx);
        x64_alu_rr(g->a, ALU_SUB, true, RAX, RDX);
        x64_shift_ri(g->a, SH_SHR, true, RAX, 1);
        x64_alu_rr(g->a, ALU_ADD, true, RAX, RDX);
        if (mg.s > 1)
            x64_shift_ri(g->a, SH_SHR, true, RAX, (uint8_t)(mg.s - 1));
        q = RAX;
    } else {
        if (corr > 0)
            x64_alu_rr(g->a, ALU_ADD, true, RDX, rx);
        else if (corr < 0)
            x64_alu_rr(g->a, ALU_SUB, true, RDX, rx);
        if (mg.s)
            x64_shift_ri(g->a, SH_SAR, true, RDX, mg.s);
        x64_mov_rr(g->a, true, RAX, RDX);
        x64_shift_ri(g->a, SH_SHR, true, RAX, 63);
        x64_alu_rr(g->a, ALU_ADD, true, RDX, RAX);
    }
    g->gpr_used &= ~(1u << (q == RAX ? RDX : RAX));
    int res = q;
    if (rem)
        res = div_rem_tail(g, w, a, rx, q, d);
    else if (a->reg != q)
        free_reg(g, a);
    push_reg(g, w ? WASM_I64 : WASM_I32, res);
}

/* 32-bit division through one 64-bit imul, no fixed registers: unsigned
 * when the multiplier fits 32 bits, signed always (the product of x and
 * the 33-bit signed multiplier fits 64 bits). The quotient is the
 * product >> (32 + s), plus 1 when negative (signed). */
static void div_magic32(cg *g, bool sign, bool rem, val *a, uint64_t d)
{
    /* q starts as x, extended to 64 bits (never a 64-bit read of x: its
     * upper half may be stale after i32.wrap_i64); loaded straight from
     * its slot when x is not needed again */
    int rx = -1, q;
    if (!rem && is_mem(g, a)) {
        q = alloc_gpr(g);
        if (sign)
            x64_load32s(g->a, q, val_mem(g, a));
        else
            x64_load(g->a, false, q, val_mem(g, a));
    } else {
        rx = div_src(g, a, 0);
        q = alloc_gpr(g);
        if (sign)
            x64_movsxd_rr(g->a, q, rx);
        else
            x64_mov_rr(g->a, false, q, rx);
    }
    if (!sign) {
        divmagic mg = magic_u(d, 32, 0);
        int z = 0;
        if (mg.add) {                            /* d even (the caller checks) */
            z = div_ctz(d);
            mg = magic_u(d >> z, 32, z);
        }
        if (z)
            x64_shift_ri(g->a, SH_SHR, false, q, (uint8_t)z);
        if (mg.m < 0x80000000u) {
            x64_imul_rri(g->a, true, q, q, (int32_t)mg.m);
        } else {
            x64_mov_ri(g->a, false, R11, mg.m);
            x64_imul_rr(g->a, true, q, R11);
        }
        x64_shift_ri(g->a, SH_SHR, true, q, (uint8_t)(32 + mg.s));
    } else {
        int64_t sd = (int32_t)(uint32_t)d;
        divmagic mg = magic_s(sd, 32);
        int64_t m = (int32_t)(uint32_t)mg.m;
        if (sd > 0 && m < 0)                     /* mulhs(x, m) + x */
            m += 1ll << 32;
        else if (sd < 0 && m > 0)                /* mulhs(x, m) - x */
            m -= 1ll << 32;
        if (fits32((uint64_t)m)) {
            x64_imul_rri(g->a, true, q, q, (int32_t)m);
        } else {
            x64_mov_ri(g->a, true, R11, (uint64_t)m);
            x64_imul_rr(g->a, true, q, R11);
        }
        x64_mov_rr(g->a, true, R11, q);
        x64_shift_ri(g->a, SH_SHR, true, R11, 63);
        x64_shift_ri(g->a, SH_SAR, true, q, (uint8_t)(32 + mg.s));
        x64_alu_rr(g->a, ALU_ADD, false, q, R11);  /* 32-bit: clears the upper half */
    }
    int res = q;
    if (rem)
        res = div_rem_tail(g, false, a, rx, q, d);
    else
        free_reg(g, a);
    push_reg(g, WASM_I32, res);
}

/* Division or remainder by the constant `imm`: compiles it and returns
 * true, or returns false having emitted nothing (a divisor of 0, or a
 * constant INT_MIN / -1: the general path traps). */
static bool div_const(cg *g, bool w, bool sign, bool rem, val *a, uint64_t imm)
{
    int n = w ? 64 : 32;
    uint64_t mask = w ? ~0ull : 0xffffffffull;
    uint64_t d = imm & mask;
    uint8_t t = w ? WASM_I64 : WASM_I32;
    if (d == 0)
        return false;
    if (a->kind == V_CONST)
        return div_fold(g, w, sign, rem, a->imm & mask, d);
    bool neg = sign && (d >> (n - 1));
    uint64_t ad = neg ? -d & mask : d;           /* |d|; INT_MIN stays 2^(N-1) */
    int k = div_ctz(ad);
    if (ad == 1) {
        if (rem) {                               /* x % 1 and x % -1: 0, never a trap */
            free_reg(g, a);
            push_const(g, t, 0);
            return true;
        }
        int r = to_reg(g, a);
        if (neg) {                               /* -x, and INT_MIN / -1 traps */
            x64_neg(g->a, w, r);
            x64_jcc(g->a, CC_O, trap_label(g, WASM_TRAP_INT_OVERFLOW));
        } else if (!w) {
            x64_mov_rr(g->a, false, r, r);       /* the upper half may be stale */
        }
        push_reg(g, t, r);
        return true;
    }
    if (ad == (1ull << k)) {
        if (sign) {
            div_pow2_s(g, w, rem, neg, a, k);
            return true;
        }
        int r = to_reg(g, a);
        if (!rem) {
            x64_shift_ri(g->a, SH_SHR, w, r, (uint8_t)k);
        } else if (k < 32) {
            x64_alu_ri(g->a, ALU_AND, w, r, (int32_t)((1u << k) - 1));
        } else if (k == 32) {
            x64_mov_rr(g->a, false, r, r);
        } else {
            x64_mov_ri(g->a, true, R11, (1ull << k) - 1);
            x64_alu_rr(g->a, ALU_AND, true, r, R11);
        }
        push_reg(g, t, r);
        return true;
    }
    if (!sign && (d >> (n - 1))) {
        /* d above the signed range: the quotient is 0 or 1 */
        int rx = div_src(g, a, 0);
        int q = alloc_gpr(g);
        x64_mov_ri(g->a, w, R11, d);
        if (!rem) {
            x64_alu_rr(g->a, ALU_XOR, false, q, q);
            x64_alu_rr(g->a, ALU_CMP, w, rx, R11);
            x64_setcc(g->a, CC_AE, q);
            free_reg(g, a);
            push_reg(g, t, q);
        } else {                                 /* x - (x >= d ? d : 0) */
            x64_alu_rr(g->a, ALU_XOR, false, q, q);
            x64_alu_rr(g->a, ALU_CMP, w, rx, R11);
            x64_cmov(g->a, CC_AE, w, q, R11);
            if (a->kind == V_REG) {
                x64_alu_rr(g->a, ALU_SUB, w, rx, q);
                g->gpr_used &= ~(1u << q);
                push_reg(g, t, rx);
            } else {
                x64_neg(g->a, w, q);
                x64_alu_rr(g->a, ALU_ADD, w, q, rx);
                push_reg(g, t, q);
            }
        }
        return true;
    }
    if (!w && (sign || !(d & 1) || !magic_u(d, 32, 0).add))
        div_magic32(g, sign, rem, a, d);
    else
        div_magic_wide(g, w, sign, rem, a, d);
    return true;
}

static void int_div(cg *g, bool w, bool sign, bool rem)
{
    val b = pop(g), a = pop(g);
    if (b.kind == V_CONST && div_const(g, w, sign, rem, &a, b.imm))
        return;
    evict(g, RAX);
    evict(g, RDX);
    uint32_t avoid = (1u << RAX) | (1u << RDX);
    int rb;
    if (b.kind != V_REG || b.reg == RAX || b.reg == RDX) {
        rb = alloc_gpr_avoid(g, avoid);
        if (b.kind == V_REG) {
            x64_mov_rr(g->a, true, rb, b.reg);
            free_reg(g, &b);
        } else if (b.kind == V_CONST) {
            x64_mov_ri(g->a, w, rb, b.imm);
        } else if (pin_of(g, &b) >= 0) {
            load_pinned(g, &b, rb);
        } else {
            x64_load(g->a, w, rb, val_mem(g, &b));
        }
        b.kind = V_REG;
        b.reg = (uint8_t)rb;
    }
    rb = b.reg;
    if (a.kind == V_REG && a.reg == RDX) {
        x64_mov_rr(g->a, true, RAX, RDX);
        g->gpr_used &= ~(1u << RDX);
        g->gpr_used |= 1u << RAX;
        a.reg = RAX;
    }
    to_fixed(g, &a, RAX);
    g->gpr_used |= 1u << RDX;

    x64_test_rr(g->a, w, rb, rb);
    x64_jcc(g->a, CC_E, trap_label(g, WASM_TRAP_DIV_ZERO));
    uint32_t done = x64_label(g->a);
    if (sign) {
        uint32_t norm = x64_label(g->a);
        x64_alu_ri(g->a, ALU_CMP, w, rb, -1);
        x64_jcc(g->a, CC_NE, norm);
        if (rem) {
            x64_alu_rr(g->a, ALU_XOR, false, RDX, RDX);
            x64_jmp(g->a, done);
        } else {
            if (w) {
                x64_mov_ri(g->a, true, R11, 0x8000000000000000ull);
                x64_alu_rr(g->a, ALU_CMP, true, RAX, R11);
            } else {
                x64_alu_ri(g->a, ALU_CMP, false, RAX, INT32_MIN);
            }
            x64_jcc(g->a, CC_E, trap_label(g, WASM_TRAP_INT_OVERFLOW));
        }
        x64_bind(g->a, norm);
        x64_cdq(g->a, w);
        x64_div(g->a, w, true, rb);
    } else {
        x64_alu_rr(g->a, ALU_XOR, false, RDX, RDX);
        x64_div(g->a, w, false, rb);
    }
    x64_bind(g->a, done);
    free_reg(g, &b);
    int res = rem ? RDX : RAX;
    g->gpr_used &= ~(1u << (rem ? RAX : RDX));
    push_reg(g, w ? WASM_I64 : WASM_I32, res);
}

static void int_unop(cg *g, bool w, int which) /* 0 clz, 1 ctz, 2 popcnt */
{
    val a = pop(g);
    int r = to_reg(g, &a);
    if (which == 2) {
        x64_popcnt(g->a, w, r, r);
    } else if (which == 0 && (g->cpu & WASM_CPU_LZCNT)) {
        x64_lzcnt(g->a, w, r, r);
    } else if (which == 1 && (g->cpu & WASM_CPU_BMI1)) {
        x64_tzcnt(g->a, w, r, r);
    } else {
        uint32_t l = x64_label(g->a);
        if (which == 0) {
            x64_bsr(g->a, w, r, r);
            x64_jcc(g->a, CC_NE, l);
            x64_mov_ri(g->a, false, r, w ? 127 : 63);
            x64_bind(g->a, l);
            x64_alu_ri(g->a, ALU_XOR, false, r, w ? 63 : 31);
        } else {
            x64_bsf(g->a, w, r, r);
            x64_jcc(g->a, CC_NE, l);
            x64_mov_ri(g->a, false, r, w ? 64 : 32);
            x64_bind(g->a, l);
        }
    }
    push_reg(g, w ? WASM_I64 : WASM_I32, r);
}

/* ---- float operations ---- */

static void f_binop(cg *g, bool d, int op)
{
    val b = pop(g), a = pop(g);
    int r = to_reg(g, &a);
    if (is_mem(g, &b)) {
        x64_sse_rm(g->a, d, op, r, val_mem(g, &b));
    } else {
        int rb = src_reg(g, &b);
        x64_sse_rr(g->a, d, op, r, rb);
        free_reg(g, &b);
    }
    push_reg(g, d ? WASM_F64 : WASM_F32, r);
}

static void f_minmax(cg *g, bool d, bool is_min)
{
    val b = pop(g), a = pop(g);
    int ra = to_reg(g, &a), rb = to_reg(g, &b);
    uint32_t l_nan = x64_label(g->a), l_ord = x64_label(g->a), l_done = x64_label(g->a);
    x64_ucomis(g->a, d, ra, rb);
    x64_jcc(g->a, CC_P, l_nan);
    x64_jcc(g->a, CC_NE, l_ord);
    x64_sse_logic(g->a, d, is_min ? SSE_OR : SSE_AND, ra, rb);
    x64_jmp(g->a, l_done);
    x64_bind(g->a, l_nan);
    x64_sse_rr(g->a, d, SSE_ADD, ra, rb);
    x64_jmp(g->a, l_done);
    x64_bind(g->a, l_ord);
    x64_sse_rr(g->a, d, is_min ? SSE_MIN : SSE_MAX, ra, rb);
    x64_bind(g->a, l_done);
    free_reg(g, &b);
    push_reg(g, d ? WASM_F64 : WASM_F32, ra);
}

static void f_unop(cg *g, bool d, int which) /* 0 abs 1 neg 2 ceil 3 floor 4 trunc 5 nearest 6 sqrt */
{
    val a = pop(g);
    uint8_t t = d ? WASM_F64 : WASM_F32;
    if (which <= 1 && a.kind == V_CONST) {
        uint64_t sign = d ? 0x8000000000000000ull : 0x80000000u;
        push_const(g, t, which == 0 ? a.imm & ~sign : a.imm ^ sign);
        return;
    }
    int r = to_reg(g, &a);
    switch (which) {
    case 0:
    case 1:
        x64_movd_rx(g->a, d, R11, r);
        if (d) {
            if (which == 0) {
                x64_shift_ri(g->a, SH_SHL, true, R11, 1);
                x64_shift_ri(g->a, SH_SHR, true, R11, 1);
            } else {
                x64_btc_ri(g->a, true, R11, 63);
            }
        } else {
            if (which == 0)
                x64_alu_ri(g->a, ALU_AND, false, R11, 0x7fffffff);
            else
                x64_alu_ri(g->a, ALU_XOR, false, R11, INT32_MIN);
        }
        x64_movd_xr(g->a, d, r, R11);
        break;
    case 2: x64_round(g->a, d, r, r, 2 | 8); break;
    case 3: x64_round(g->a, d, r, r, 1 | 8); break;
    case 4: x64_round(g->a, d, r, r, 3 | 8); break;
    case 5: x64_round(g->a, d, r, r, 0 | 8); break;
    case 6: x64_sse_rr(g->a, d, SSE_SQRT, r, r); break;
    }
    push_reg(g, t, r);
}

static void f_copysign(cg *g, bool d)
{
    val b = pop(g), a = pop(g);
    int ra = to_reg(g, &a), rb = to_reg(g, &b);
    int t = alloc_gpr(g);
    int bits = d ? 63 : 31;
    x64_movd_rx(g->a, d, R11, ra);
    x64_movd_rx(g->a, d, t, rb);
    x64_shift_ri(g->a, SH_SHL, d, R11, 1);
    x64_shift_ri(g->a, SH_SHR, d, R11, 1);
    x64_shift_ri(g->a, SH_SHR, d, t, (uint8_t)bits);
    x64_shift_ri(g->a, SH_SHL, d, t, (uint8_t)bits);
    x64_alu_rr(g->a, ALU_OR, d, R11, t);
    x64_movd_xr(g->a, d, ra, R11);
    g->gpr_used &= ~(1u << t);
    free_reg(g, &b);
    push_reg(g, d ? WASM_F64 : WASM_F32, ra);
}

static void f_cmp(cg *g, bool d, int which) /* 0 eq 1 ne 2 lt 3 gt 4 le 5 ge */
{
    val b = pop(g), a = pop(g);
    int ra = to_reg(g, &a), rb = to_reg(g, &b);
    int r = alloc_gpr(g);
    switch (which) {
    case 0:
    case 1:
        x64_ucomis(g->a, d, ra, rb);
        x64_setcc(g->a, which == 0 ? CC_E : CC_NE, r);
        x64_setcc(g->a, which == 0 ? CC_NP : CC_P, R11);
        x64_alu_rr(g->a, which == 0 ? ALU_AND : ALU_OR, false, r, R11);
        break;
    case 2: x64_ucomis(g->a, d, rb, ra); x64_setcc(g->a, CC_A, r); break;
    case 3: x64_ucomis(g->a, d, ra, rb); x64_setcc(g->a, CC_A, r); break;
    case 4: x64_ucomis(g->a, d, rb, ra); x64_setcc(g->a, CC_AE, r); break;
    case 5: x64_ucomis(g->a, d, ra, rb); x64_setcc(g->a, CC_AE, r); break;
    }
    x64_movzx8_rr(g->a, r, r);
    free_reg(g, &a);
    free_reg(g, &b);
    push_reg(g, WASM_I32, r);
}

static void load_fconst(cg *g, bool d, int x, uint64_t bits)
{
    x64_mov_ri(g->a, true, R11, bits);
    x64_movd_xr(g->a, d, x, R11);
}

/* Float -> int, trapping or saturating. */
static void f_trunc(cg *g, bool from_d, bool to64, bool sign, bool sat)
{
    static const uint64_t lo[2][2][2] = {
        /* f32 */ { { 0xbf800000, 0xcf000001 }, { 0xbf800000, 0xdf000001 } },
        /* f64 */ { { 0xbff0000000000000ull, 0xc1e0000000200000ull },
                    { 0xbff0000000000000ull, 0xc3e0000000000001ull } },
    };
    static const uint64_t hi[2][2][2] = {
        { { 0x4f800000, 0x4f000000 }, { 0x5f800000, 0x5f000000 } },
        { { 0x41f0000000000000ull, 0x41e0000000000000ull },
          { 0x43f0000000000000ull, 0x43e0000000000000ull } },
    };
    val a = pop(g);
    int x = to_reg(g, &a);
    int r = alloc_gpr(g);
    uint64_t L = lo[from_d][to64][sign], H = hi[from_d][to64][sign];
    uint32_t l_nan = 0, l_min = 0, l_max = 0, l_done = x64_label(g->a);
    if (sat) {
        l_nan = x64_label(g->a);
        l_min = x64_label(g->a);
        l_max = x64_label(g->a);
    }
    x64_ucomis(g->a, from_d, x, x);
    x64_jcc(g->a, CC_P, sat ? l_nan : trap_label(g, WASM_TRAP_INVALID_CONVERSION));
    load_fconst(g, from_d, 15, L);
    x64_ucomis(g->a, from_d, x, 15);
    x64_jcc(g->a, CC_BE, sat ? l_min : trap_label(g, WASM_TRAP_INT_OVERFLOW));
    load_fconst(g, from_d, 15, H);
    x64_ucomis(g->a, from_d, x, 15);
    x64_jcc(g->a, CC_AE, sat ? l_max : trap_label(g, WASM_TRAP_INT_OVERFLOW));
    if (!to64 && sign) {
        x64_cvttf2si(g->a, from_d, false, r, x);
    } else if (!to64) {
        x64_cvttf2si(g->a, from_d, true, r, x);
        x64_mov_rr(g->a, false, r, r);
    } else if (sign) {
        x64_cvttf2si(g->a, from_d, true, r, x);
    } else {
        uint32_t l_big = x64_label(g->a);
        load_fconst(g, from_d, 15, from_d ? 0x43e0000000000000ull : 0x5f000000);
        x64_ucomis(g->a, from_d, x, 15);
        x64_jcc(g->a, CC_AE, l_big);
        x64_cvttf2si(g->a, from_d, true, r, x);
        x64_jmp(g->a, l_done);
        x64_bind(g->a, l_big);
        x64_sse_rr(g->a, from_d, SSE_SUB, x, 15);
        x64_cvttf2si(g->a, from_d, true, r, x);
        x64_btc_ri(g->a, true, r, 63);
    }
    if (sat) {
        x64_jmp(g->a, l_done);
        x64_bind(g->a, l_nan);
        x64_alu_rr(g->a, ALU_XOR, false, r, r);
        x64_jmp(g->a, l_done);
        x64_bind(g->a, l_min);
        if (sign)
            x64_mov_ri(g->a, to64, r, to64 ? 0x8000000000000000ull : 0x80000000u);
        else
            x64_alu_rr(g->a, ALU_XOR, false, r, r);
        x64_jmp(g->a, l_done);
        x64_bind(g->a, l_max);
        if (sign)
            x64_mov_ri(g->a, to64, r, to64 ? 0x7fffffffffffffffull : 0x7fffffffu);
        else
            x64_mov_ri(g->a, to64, r, to64 ? ~0ull : 0xffffffffu);
    }
    x64_bind(g->a, l_done);
    free_reg(g, &a);
    push_reg(g, to64 ? WASM_I64 : WASM_I32, r);
}

static void f_convert(cg *g, bool to_d, bool from64, bool sign)
{
    val a = pop(g);
    int r = to_reg(g, &a);
    int x = alloc_xmm(g);
    x64_sse_logic(g->a, false, SSE_XOR, x, x);
    if (!from64) {
        if (sign) {
            x64_cvtsi2f(g->a, to_d, false, x, r);
        } else {
            x64_mov_rr(g->a, false, r, r);
            x64_cvtsi2f(g->a, to_d, true, x, r);
        }
    } else if (sign) {
        x64_cvtsi2f(g->a, to_d, true, x, r);
    } else {
        uint32_t l_neg = x64_label(g->a), l_done = x64_label(g->a);
        x64_test_rr(g->a, true, r, r);
        x64_jcc(g->a, CC_S, l_neg);
        x64_cvtsi2f(g->a, to_d, true, x, r);
        x64_jmp(g->a, l_done);
        x64_bind(g->a, l_neg);
        x64_mov_rr(g->a, true, R11, r);
        x64_shift_ri(g->a, SH_SHR, true, R11, 1);
        x64_alu_ri(g->a, ALU_AND, true, r, 1);
        x64_alu_rr(g->a, ALU_OR, true, R11, r);
        x64_cvtsi2f(g->a, to_d, true, x, R11);
        x64_sse_rr(g->a, to_d, SSE_ADD, x, x);
        x64_bind(g->a, l_done);
    }
    free_reg(g, &a);
    push_reg(g, to_d ? WASM_F64 : WASM_F32, x);
}

/* Reinterpret: a value in memory or a constant only changes type. */
static void reinterpret(cg *g, uint8_t to)
{
    val a = pop(g);
    if (a.kind != V_REG) {
        val *v = push(g, a.kind, to);
        v->imm = a.imm;
        v->local = a.local;
        return; /* same position, so a home slot is unchanged */
    }
    bool w = is_w(to);
    if (is_float(to)) {
        int x = alloc_xmm(g);
        x64_movd_xr(g->a, w, x, a.reg);
        free_reg(g, &a);
        push_reg(g, to, x);
    } else {
        int r = alloc_gpr(g);
        x64_movd_rx(g->a, w, r, a.reg);
        free_reg(g, &a);
        push_reg(g, to, r);
    }
}

/* ---- memory ---- */

/* Address of a `size`-byte access at addr+offset, with the explicit bounds
 * check when the module asks for it. The address register (if any) stays
 * owned by the caller. */
static x64_mem mem_operand(cg *g, val *addr, uint32_t offset, uint32_t size)
{
    uint64_t end = (uint64_t)offset + size;
    if (addr->kind == V_CONST) {
        uint64_t eff = (uint64_t)(uint32_t)addr->imm + offset;
        if (g->c->explicit_bounds) {
            x64_mov_ri(g->a, true, R11, eff + size);
            x64_alu_rm(g->a, ALU_CMP, true, R11, x64_m(R15, CTX_MEM_SIZE));
            x64_jcc(g->a, CC_A, trap_label(g, WASM_TRAP_MEMORY_OOB));
        }
        if (eff < 0x80000000u)
            return x64_m(R14, (int32_t)eff);
        x64_mov_ri(g->a, true, R11, eff);
        return x64_mi(R14, R11, 1, 0);
    }
    /* A pinned i32 local is zero-extended in its register: use it as is. */
    int r = pin_of(g, addr) >= 0 && g->ltypes[addr->local] == WASM_I32 ? pin_of(g, addr)
                                                                         : to_reg(g, addr);
    if (g->c->explicit_bounds) {
        if (end < 0x80000000u) {
            x64_lea(g->a, true, R11, x64_m(r, (int32_t)end));
        } else {
            x64_mov_ri(g->a, true, R11, end);
            x64_alu_rr(g->a, ALU_ADD, true, R11, r);
        }
        x64_alu_rm(g->a, ALU_CMP, true, R11, x64_m(R15, CTX_MEM_SIZE));
        x64_jcc(g->a, CC_A, trap_label(g, WASM_TRAP_MEMORY_OOB));
    }
    if (offset < 0x80000000u)
        return x64_mi(R14, r, 1, (int32_t)offset);
    x64_mov_ri(g->a, true, R11, offset);
    x64_alu_rr(g->a, ALU_ADD, true, R11, r);
    return x64_mi(R14, R11, 1, 0);
}

static void op_load(cg *g, uint8_t op, uint32_t offset)
{
    static const uint8_t sizes[] = { 4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4 };
    static const uint8_t types[] = { WASM_I32, WASM_I64, WASM_F32, WASM_F64,
                                     WASM_I32, WASM_I32, WASM_I32, WASM_I32,
                                     WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64 };
    int k = op - 0x28;
    val addr = pop(g);
    x64_mem m = mem_operand(g, &addr, offset, sizes[k]);
    uint8_t t = types[k];
    int r;
    /* An integer load straight into a pinned local (local.set/tee next):
     * load into the local's register, no copy. */
    uint32_t li = 0;
    bool tee = false, direct = false;
    const uint8_t *save = g->p;
    if (!is_float(t) && g->p < g->end && (g->p[0] == 0x21 || g->p[0] == 0x22)) {
        tee = g->p[0] == 0x22;
        g->p++;
        li = rd_u32(g);
        direct = !g->failed && li < g->nparams + g->nlocals && g->lpin[li] >= 0 &&
                 g->ltypes[li] == t;
        if (!direct)
            g->p = save;
    }
    if (direct) {
        flush_local(g, li);     /* entries still holding the old value */
        r = g->lpin[li];
        free_reg(g, &addr);
    } else if (is_float(t)) {
        r = alloc_xmm(g);
        free_reg(g, &addr);
    } else if (addr.kind == V_REG) {
        r = addr.reg;
    } else {
        r = alloc_gpr(g);
    }
    if (!g->c->explicit_bounds)
        add_site(g, WASM_TRAP_MEMORY_OOB);
    switch (op) {
    case 0x28: x64_load(g->a, false, r, m); break;
    case 0x29: x64_load(g->a, true, r, m); break;
    case 0x2a: x64_fload(g->a, false, r, m); break;
    case 0x2b: x64_fload(g->a, true, r, m); break;
    case 0x2c: x64_load8s(g->a, false, r, m); break;
    case 0x2d: x64_load8u(g->a, r, m); break;
    case 0x2e: x64_load16s(g->a, false, r, m); break;
    case 0x2f: x64_load16u(g->a, r, m); break;
    case 0x30: x64_load8s(g->a, true, r, m); break;
    case 0x31: x64_load8u(g->a, r, m); break;
    case 0x32: x64_load16s(g->a, true, r, m); break;
    case 0x33: x64_load16u(g->a, r, m); break;
    case 0x34: x64_load32s(g->a, r, m); break;
    case 0x35: x64_load(g->a, false, r, m); break;
    }
    if (direct) {
        if (tee)
            push(g, V_LOCAL, t)->local = li;
        return;
    }
    push_reg(g, t, r);
}

static void op_store(cg *g, uint8_t op, uint32_t offset)
{
    static const uint8_t sizes[] = { 4, 8, 4, 8, 1, 2, 1, 2, 4 };
    int k = op - 0x36;
    val v = pop(g), addr = pop(g);
    int rv = src_reg(g, &v);     /* a pinned local is stored from its register */
    x64_mem m = mem_operand(g, &addr, offset, sizes[k]);
    if (!g->c->explicit_bounds)
        add_site(g, WASM_TRAP_MEMORY_OOB);
    switch (op) {
    case 0x36: x64_store(g->a, false, m, rv); break;
    case 0x37: x64_store(g->a, true, m, rv); break;
    case 0x38: x64_fstore(g->a, false, m, rv); break;
    case 0x39: x64_fstore(g->a, true, m, rv); break;
    case 0x3a: case 0x3c: x64_store8(g->a, m, rv); break;
    case 0x3b: case 0x3d: x64_store16(g->a, m, rv); break;
    case 0x3e: x64_store(g->a, false, m, rv); break;
    }
    free_reg(g, &v);
    free_reg(g, &addr);
}

/* ---- globals ---- */

static x64_mem global_mem(cg *g, uint32_t i)
{
    int32_t off = (int32_t)(g->c->layout.globals + CTX_GLOBAL_SIZE * i);
    if (g->m->globals[i].imported) {
        x64_load(g->a, true, R11, x64_m(R15, off));
        return x64_m(R11, 0);
    }
    return x64_m(R15, off);
}

/* ---- calls and helpers ---- */

static void store_arg(cg *g, val *v, x64_mem dst)
{
    switch (v->kind) {
    case V_REG:
        if (is_float(v->type))
            x64_fstore(g->a, true, dst, v->reg);
        else if (v->type == WASM_V128)
            store_typed(g, WASM_V128, dst, v->reg);
        else
            x64_store(g->a, true, dst, v->reg);
        free_reg(g, v);
        break;
    case V_CONST:
        store_const(g, v->type, dst, v->imm);
        break;
    default:
        if (pin_of(g, v) >= 0) {
            store_pinned(g, v, dst);
        } else if (v->type == WASM_V128) {
            load_typed(g, WASM_V128, 15, val_mem(g, v));
            store_typed(g, WASM_V128, dst, 15);
        } else {
            x64_load(g->a, true, R11, val_mem(g, v));
            x64_store(g->a, true, dst, R11);
        }
        break;
    }
}

/* Pops the arguments of `t` into the outgoing slots and spills the rest. */
static void call_args(cg *g, const wasm_functype *t)
{
    uint32_t n = t->nparams;
    if (g->sp < n) {
        fail(g, "operand stack underflow at call");
        return;
    }
    uint32_t base = g->sp - n, slot = 0;
    for (uint32_t i = 0; i < n; i++) {
        val *v = &g->stack[base + i];
        v->pos = base + i;
        store_arg(g, v, x64_m(RSP, (int32_t)(8 * slot)));
        slot += t->params[i] == WASM_V128 ? 2 : 1;
    }
    g->sp = base;
    spill_all(g);
    uint32_t np = slot, nr = g->cell == 8 ? t->nresults : arg_slot(t->results, t->nresults);
    uint32_t out = np > nr ? np : nr;
    if (out > g->max_out)
        g->max_out = out;
}

/* One result that is not a v128 is also returned in a register: rax
 * (integers and references) or xmm0 (floats), see emit_return and the
 * host stub. The slot is written all the same (the entry trampoline and
 * multi-value code read slots). */
static bool result_in_reg(const wasm_functype *t)
{
    return t->nresults == 1 && t->results[0] != WASM_V128;
}

/* Takes the results of the call just made. `any` says the callee may be
 * a host function (imports, call_indirect), whose stub loads rax from
 * the slot with all 64 bits: an i32 is zero-extended here. */
static void call_results(cg *g, const wasm_functype *t, bool any)
{
    g->gpr_used = 0;
    g->xmm_used = 0;
    if (result_in_reg(t)) {
        uint8_t ty = t->results[0];
        int r = alloc_for(g, ty);          /* rax or xmm0: nothing is allocated */
        if (r != (is_xmm(ty) ? 0 : RAX)) {
            fail(g, "result register");
            return;
        }
        if (any && ty == WASM_I32)
            x64_mov_rr(g->a, false, RAX, RAX);
        push_reg(g, ty, r);
        return;
    }
    for (uint32_t i = 0, slot = 0; i < t->nresults; i++) {
        uint8_t ty = t->results[i];
        x64_mem src = x64_m(RSP, (int32_t)(8 * slot));
        slot += ty == WASM_V128 ? 2 : 1;
        if (t->nresults <= 2) {
            int r = alloc_for(g, ty);
            load_typed(g, ty, r, src);
            push_reg(g, ty, r);
        } else if (ty == WASM_V128) {
            val *v = push(g, V_SLOT, ty);
            load_typed(g, ty, 15, src);
            store_typed(g, ty, home(g, v->pos), 15);
        } else {
            val *v = push(g, V_SLOT, ty);
            x64_load(g->a, true, R11, src);
            x64_store(g->a, true, home(g, v->pos), R11);
        }
    }
}

/* Before a call that may enter another instance (an import, the
 * cross-instance path of call_indirect): this frame's context goes to
 * [rbp-8], where reload_context and the host stub (the caller's context
 * is the calling instance) find it. Direct calls within the instance
 * keep r15 as it is, so a function that makes only those never writes
 * the slot. */
/* The callee gets its own context in r15 and its memory base in r14
 * (compiled code never loads r14 in its prologue: within an instance it
 * is already right). For a host function the "context" is its wasm_func,
 * and the r14 load reads a harmless word of it. */
static void save_context(cg *g)
{
    x64_store(g->a, true, x64_m(RBP, -8), R15);
}

static void reload_context(cg *g)
{
    x64_load(g->a, true, R15, x64_m(RBP, -8));
    x64_load(g->a, true, R14, x64_m(R15, CTX_MEM_BASE));
}

static void op_call(cg *g, uint32_t f)
{
    const wasm_functype *t = wasm_module_func_type(g->m, f);
    call_args(g, t);
    if (f < g->m->nimported_funcs) {
        int32_t off = (int32_t)(g->c->layout.imports + CTX_IMPORT_SIZE * f);
        save_context(g);
        x64_load(g->a, true, RAX, x64_m(R15, off));
        x64_load(g->a, true, R15, x64_m(R15, off + 8));
        x64_load(g->a, true, R14, x64_m(R15, CTX_MEM_BASE));
        x64_call_r(g->a, RAX);
        reload_context(g);
    } else {
        x64_call_label(g->a, g->func_labels[f - g->m->nimported_funcs]);
    }
    call_results(g, t, f < g->m->nimported_funcs);
}

/* call_indirect: bounds, null and signature checks (one integer: the
 * engine-wide canonical type id), then a plain call when the callee
 * shares this instance's context: r15 and r14 are then what the callee
 * keeps and returns with, so nothing is reloaded. A callee in another
 * instance (or a host function) takes the out-of-line path, which
 * switches r15 and reloads r15 and r14 afterwards. */
static void op_call_indirect(cg *g, uint32_t typeidx, uint32_t table)
{
    const wasm_functype *t = &g->m->types[typeidx];
    val idx = pop(g);
    int ri = to_reg(g, &idx);
    call_args(g, t);
    int32_t toff = (int32_t)(g->c->layout.tables + CTX_TABLE_SIZE * table);
    x64_alu_rm(g->a, ALU_CMP, false, ri, x64_m(R15, toff + 8));
    x64_jcc(g->a, CC_AE, trap_label(g, WASM_TRAP_UNDEFINED_ELEMENT));
    x64_load(g->a, true, R11, x64_m(R15, toff));
    x64_load(g->a, true, R11, x64_mi(R11, ri, 8, 0));
    x64_test_rr(g->a, true, R11, R11);
    x64_jcc(g->a, CC_E, trap_label(g, WASM_TRAP_UNINITIALIZED_ELEMENT));
    x64_alu_mi(g->a, ALU_CMP, false, x64_m(R11, 16), (int32_t)t->id);
    x64_jcc(g->a, CC_NE, trap_label(g, WASM_TRAP_INDIRECT_TYPE));
    if (g->ncross == g->cap_cross) {
        uint32_t cap = g->cap_cross ? 2 * g->cap_cross : 8;
        uint32_t (*c)[2] = wasm_platform_realloc(g->cross, cap * sizeof *c);
        if (!c) {
            fail(g, "out of memory");
            return;
        }
        g->cross = c;
        g->cap_cross = cap;
    }
    uint32_t slow = x64_label(g->a), back = x64_label(g->a);
    g->cross[g->ncross][0] = slow;
    g->cross[g->ncross][1] = back;
    g->ncross++;
    x64_alu_rm(g->a, ALU_CMP, true, R15, x64_m(R11, 8));
    x64_jcc(g->a, CC_NE, slow);
    x64_call_m(g->a, x64_m(R11, 0));
    x64_bind(g->a, back);
    free_reg(g, &idx);
    call_results(g, t, true);
}

/* The other-instance halves of this function's call_indirects. */
static void emit_cross_calls(cg *g)
{
    for (uint32_t i = 0; i < g->ncross; i++) {
        x64_bind(g->a, g->cross[i][0]);
        save_context(g);
        x64_load(g->a, true, R15, x64_m(R11, 8));
        x64_load(g->a, true, R14, x64_m(R15, CTX_MEM_BASE));
        x64_call_m(g->a, x64_m(R11, 0));
        reload_context(g);
        x64_jmp(g->a, g->cross[i][1]);
    }
    g->ncross = 0;
}

static const uint8_t arg_regs[6] = { RDI, RSI, RDX, RCX, R8, R9 };

/* Calls helper `h` with (ctx, imms..., the top `nstack` operands). Pushes
 * a result of type `rtype` (0: none); checks a returned trap kind when
 * `traps`. */
static void call_helper(cg *g, int h, int nimm, const uint64_t *imms, uint32_t nstack,
                        uint8_t rtype, bool traps)
{
    spill_all(g);
    if (g->sp < nstack) {
        fail(g, "operand stack underflow at helper");
        return;
    }
    uint32_t base = g->sp - nstack;
    /* C may clobber xmm9-14, r10 and r9: keep those pinned locals in
     * their slots meanwhile (before the arguments: r9 is one). */
    for (uint32_t k = 0; k < NXPIN; k++)
        if (g->cur.x[k] != NO_LOCAL)
            x64_fstore(g->a, true, local_mem(g, g->cur.x[k]), pin_xmms[k]);
    for (uint32_t k = 0; k < NPIN; k++)
        if (PIN_C_CLOBBERED(k) && g->cur.g[k] != NO_LOCAL)
            x64_store(g->a, true, local_mem(g, g->cur.g[k]), pin_regs[k]);
    int k = 1;
    for (int i = 0; i < nimm; i++)
        x64_mov_ri(g->a, true, arg_regs[k++], imms[i]);
    for (uint32_t i = 0; i < nstack; i++) {
        val *v = &g->stack[base + i];
        x64_load(g->a, is_w(v->type), arg_regs[k++], home(g, base + i));
    }
    g->sp = base;
    x64_mov_rr(g->a, true, RDI, R15);
    x64_load(g->a, true, R11, x64_m(R15, CTX_HELPERS));
    x64_call_m(g->a, x64_m(R11, 8 * h));
    for (uint32_t k = 0; k < NXPIN; k++)
        if (g->cur.x[k] != NO_LOCAL)
            x64_fload(g->a, true, pin_xmms[k], local_mem(g, g->cur.x[k]));
    for (uint32_t k = 0; k < NPIN; k++)
        if (PIN_C_CLOBBERED(k) && g->cur.g[k] != NO_LOCAL)
            x64_load(g->a, true, pin_regs[k], local_mem(g, g->cur.g[k]));
    if (traps) {
        x64_test_rr(g->a, false, RAX, RAX);
        x64_jcc(g->a, CC_NE, dyn_trap_label(g));
    }
    g->gpr_used = 0;
    g->xmm_used = 0;
    if (rtype) {
        if (!is_w(rtype))
            x64_mov_rr(g->a, false, RAX, RAX);
        g->gpr_used |= 1u << RAX;
        push_reg(g, rtype, RAX);
    }
}

/* ---- control ---- */

static void block_type(cg *g, uint32_t *np, const uint8_t **params, uint32_t *nr,
                       const uint8_t **results)
{
    uint8_t b = g->p < g->end ? *g->p : 0;
    if (b == 0x40) {
        g->p++;
        *np = *nr = 0;
        *params = *results = NULL;
    } else if (b == WASM_I32 || b == WASM_I64 || b == WASM_F32 || b == WASM_F64 ||
               b == WASM_V128 || b == WASM_FUNCREF || b == WASM_EXTERNREF) {
        *results = g->p;
        g->p++;
        *np = 0;
        *params = NULL;
        *nr = 1;
    } else {
        int64_t idx = rd_sleb(g);
        if (idx < 0 || (uint64_t)idx >= g->m->ntypes) {
            fail(g, "bad block type");
            *np = *nr = 0;
            return;
        }
        const wasm_functype *t = &g->m->types[idx];
        *np = t->nparams;
        *params = t->params;
        *nr = t->nresults;
        *results = t->results;
    }
}

static ctl *push_ctl(cg *g)
{
    if (g->nctl == g->cap_ctl) {
        uint32_t cap = g->cap_ctl ? g->cap_ctl * 2 : 16;
        ctl *c = wasm_platform_realloc(g->ctls, cap * sizeof *c);
        if (!c) {
            fail(g, "out of memory");
            g->nctl = 0;
        } else {
            g->ctls = c;
            g->cap_ctl = cap;
        }
    }
    ctl *c = &g->ctls[g->nctl++];
    lib_memset(c, 0, sizeof *c);
    return c;
}

static void copy_slot(cg *g, x64_mem dst, x64_mem src)
{
    if (g->cell == 16) {
        load_typed(g, WASM_V128, 15, src);
        store_typed(g, WASM_V128, dst, 15);
        return;
    }
    x64_load(g->a, true, R11, src);
    x64_store(g->a, true, dst, R11);
}

static x64_mem save_slot(cg *g, uint32_t i) { return home(g, g->save_base + i); }

static void op_block(cg *g, int kind)
{
    const uint8_t *at = g->p;
    uint32_t np, nr;
    const uint8_t *params, *results;
    block_type(g, &np, &params, &nr, &results);
    val cond;
    int rc = -1;
    bool fused = kind == C_IF && g->fuse.active;
    if (kind == C_IF && !fused) {
        cond = pop(g);
        rc = src_reg(g, &cond);      /* a pinned local is tested in place */
    }
    spill_all(g);
    if (g->sp < np) {
        fail(g, "operand stack underflow at block");
        return;
    }
    ctl *b = push_ctl(g);
    if (g->failed)
        return;
    b->kind = (uint8_t)kind;
    b->height = g->sp - np;
    b->nparams = np;
    b->params = params;
    b->nresults = nr;
    b->results = results;
    b->label = x64_label(g->a);
    if (kind == C_LOOP) {
        enter_region(g, at);
        x64_align_nops(g->a, 16);
        x64_bind(g->a, b->label);
    }
    if (kind == C_IF) {
        b->else_label = x64_label(g->a);
        if (np) {
            b->save = g->nsaves;
            g->nsaves += np;
            for (uint32_t i = 0; i < np; i++)
                copy_slot(g, save_slot(g, b->save + i), home(g, b->height + i));
        }
        if (fused) {
            int cc = emit_fused(g);
            x64_jcc(g->a, cc ^ 1, b->else_label);
        } else {
            x64_test_rr(g->a, false, rc, rc);
            free_reg(g, &cond);
            x64_jcc(g->a, CC_E, b->else_label);
        }
    }
}

static void reset_stack(cg *g, uint32_t height, uint32_t n, const uint8_t *types)
{
    g->sp = height;
    g->gpr_used = 0;
    g->xmm_used = 0;
    for (uint32_t i = 0; i < n; i++)
        push(g, V_SLOT, types[i]);
}

static void op_else(cg *g)
{
    ctl *b = &g->ctls[g->nctl - 1];
    if (!g->unreachable) {
        spill_all(g);
        x64_jmp(g->a, b->label);
    }
    x64_bind(g->a, b->else_label);
    b->has_else = true;
    reset_stack(g, b->height, b->nparams, b->params);
    for (uint32_t i = 0; i < b->nparams; i++)
        copy_slot(g, home(g, b->height + i), save_slot(g, b->save + i));
    g->unreachable = false;
}

/* Returns the top nresults entries (in whatever state they are) through
 * the argument/result slots. With several results, a result slot may be
 * a parameter that another result still reads: those go through the home
 * slots first. */
static void emit_return(cg *g)
{
    uint32_t n = g->type->nresults;
    if (n > 1)
        spill_all(g);
    if (result_in_reg(g->type)) {
        /* The result in rax or xmm0 (call_results), and in its slot. A
         * copy of the entry, and the register state kept: after br_if
         * and br_table this is a side path, and the stack goes on. */
        val v = g->stack[g->sp - 1];
        v.pos = g->sp - 1;
        uint32_t gpr_used = g->gpr_used, xmm_used = g->xmm_used;
        if (is_xmm(v.type)) {
            to_fixed_xmm0(g, &v);
            x64_fstore(g->a, true, x64_m(RBP, 16), 0);
        } else {
            to_fixed(g, &v, RAX);
            x64_store(g->a, true, x64_m(RBP, 16), RAX);
        }
        g->gpr_used = gpr_used;
        g->xmm_used = xmm_used;
        n = 0;
    }
    for (uint32_t i = 0, slot = 0; i < n; i++) {
        val *v = &g->stack[g->sp - n + i];
        v->pos = g->sp - n + i;
        store_arg(g, v, x64_m(RBP, (int32_t)(16 + 8 * slot)));
        slot += g->type->results[i] == WASM_V128 ? 2 : 1;
    }
    for (uint32_t k = 0; k < g->nsave_g; k++)
        x64_load(g->a, true, pin_regs[k], x64_m(RBP, SLOT_PIN(k)));
    for (uint32_t k = 0; k < g->nsave_x; k++)
        x64_fload(g->a, true, pin_xmms[k], x64_m(RBP, SLOT_XPIN(k)));
    x64_leave(g->a);
    x64_ret(g->a);
}

/* Returns true at the function's final end. */
static bool op_end(cg *g)
{
    ctl *b = &g->ctls[g->nctl - 1];
    if (b->kind == C_FUNC) {
        /* Branches to the function's label return on the spot. */
        if (!g->unreachable)
            emit_return(g);
        g->nctl--;
        return true;
    }
    if (!g->unreachable)
        spill_all(g);
    if (b->kind == C_IF && !b->has_else) {
        if (b->nparams) {
            if (!g->unreachable)
                x64_jmp(g->a, b->label);
            x64_bind(g->a, b->else_label);
            for (uint32_t i = 0; i < b->nparams; i++)
                copy_slot(g, home(g, b->height + i), save_slot(g, b->save + i));
        } else {
            x64_bind(g->a, b->else_label);
        }
    }
    if (b->kind != C_LOOP)
        x64_bind(g->a, b->label);
    if (b->kind == C_LOOP)
        leave_region(g);
    reset_stack(g, b->height, b->nresults, b->results);
    g->unreachable = false;
    g->nctl--;
    return false;
}

static void branch_to(cg *g, uint32_t depth)
{
    ctl *t = &g->ctls[g->nctl - 1 - depth];
    if (t->kind == C_FUNC) {
        emit_return(g);
        return;
    }
    uint32_t arity = t->kind == C_LOOP ? t->nparams : t->nresults;
    uint32_t from = g->sp - arity;
    if (from != t->height)
        for (uint32_t i = 0; i < arity; i++)
            copy_slot(g, home(g, t->height + i), home(g, from + i));
    emit_pin_switch(g, &g->cur, pins_at(g, g->nctl - 1 - depth));   /* moves only what differs */
    x64_jmp(g->a, t->label);
}

static bool branch_needs_copy(cg *g, uint32_t depth)
{
    ctl *t = &g->ctls[g->nctl - 1 - depth];
    if (t->kind == C_FUNC)
        return true;             /* a return sequence */
    uint32_t arity = t->kind == C_LOOP ? t->nparams : t->nresults;
    return (arity && g->sp - arity != t->height) || leaves_region(g, depth);
}

static void op_br_if(cg *g, uint32_t depth)
{
    int cc = CC_NE;
    if (g->fuse.active) {
        spill_all(g);
        cc = emit_fused(g);
    } else {
        val c = pop(g);
        int rc = src_reg(g, &c);     /* a pinned local is tested in place */
        spill_all(g);
        x64_test_rr(g->a, false, rc, rc);
        free_reg(g, &c);
    }
    if (!branch_needs_copy(g, depth)) {
        x64_jcc(g->a, cc, g->ctls[g->nctl - 1 - depth].label);
    } else {
        uint32_t skip = x64_label(g->a);
        x64_jcc(g->a, cc ^ 1, skip);
        branch_to(g, depth);
        x64_bind(g->a, skip);
    }
}

static void op_br_table(cg *g)
{
    uint32_t n = rd_u32(g);
    if (n > 1000000 || (size_t)(g->end - g->p) < n) {
        fail(g, "br_table too large");
        return;
    }
    uint32_t *depths = wasm_platform_alloc(((size_t)n + 1) * sizeof *depths);
    uint32_t *stubs = wasm_platform_calloc(g->nctl, sizeof *stubs);
    if (!depths || !stubs) {
        wasm_platform_free(depths);
        wasm_platform_free(stubs);
        fail(g, "out of memory");
        return;
    }
    for (uint32_t i = 0; i <= n; i++) {
        depths[i] = rd_u32(g);
        if (depths[i] >= g->nctl) {
            fail(g, "bad branch depth");
            depths[i] = 0;
        }
    }
    val idx = pop(g);
    int ri = to_reg(g, &idx);
    spill_all(g);
    /* Where each depth jumps: its label, or a stub that first moves values. */
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t d = depths[i];
        if (!stubs[d])
            stubs[d] = (branch_needs_copy(g, d) ? x64_label(g->a)
                                                : g->ctls[g->nctl - 1 - d].label) + 1;
    }
    uint32_t table = x64_label(g->a);
    x64_alu_ri(g->a, ALU_CMP, false, ri, (int32_t)n);
    x64_jcc(g->a, CC_AE, stubs[depths[n]] - 1);
    x64_lea_rip(g->a, R11, table);
    x64_load32s(g->a, ri, x64_mi(R11, ri, 4, 0));
    x64_alu_rr(g->a, ALU_ADD, true, R11, ri);
    x64_jmp_r(g->a, R11);
    x64_bind(g->a, table);
    for (uint32_t i = 0; i < n; i++)
        x64_label_diff(g->a, stubs[depths[i]] - 1, table);
    for (uint32_t d = 0; d < g->nctl; d++) {
        if (stubs[d] && branch_needs_copy(g, d)) {
            x64_bind(g->a, stubs[d] - 1);
            branch_to(g, d);
        }
    }
    free_reg(g, &idx);
    wasm_platform_free(depths);
    wasm_platform_free(stubs);
}

/* ---- skipping unreachable code ---- */

static void skip_leb(cg *g)
{
    while (g->p < g->end && (*g->p++ & 0x80))
        ;
}

static void skip_immediates(cg *g, uint8_t op)
{
    switch (op) {
    case 0x0c: case 0x0d: case 0x10: case 0x20: case 0x21: case 0x22: case 0x23:
    case 0x24: case 0x25: case 0x26: case 0xd2: case 0x41: case 0x42:
        skip_leb(g);
        break;
    case 0x0e: {
        uint32_t n = rd_u32(g);
        for (uint64_t i = 0; i <= n && !g->failed && g->p < g->end; i++)
            skip_leb(g);
        break;
    }
    case 0x11:
        skip_leb(g);
        skip_leb(g);
        break;
    case 0x1c: {
        uint32_t n = rd_u32(g);
        g->p += n <= (uint32_t)(g->end - g->p) ? n : 0;
        break;
    }
    case 0x3f: case 0x40: case 0xd0:
        g->p++;
        break;
    case 0x43: g->p += 4; break;
    case 0x44: g->p += 8; break;
    case 0xfc: {
        uint32_t sub = rd_u32(g);
        switch (sub) {
        case 8: skip_leb(g); g->p++; break;
        case 9: case 13: case 15: case 16: case 17: skip_leb(g); break;
        case 10: g->p += 2; break;
        case 11: g->p++; break;
        case 12: case 14: skip_leb(g); skip_leb(g); break;
        default: break;
        }
        break;
    }
    case 0xfd:
        simd_skip(g);
        break;
    default:
        if (op >= 0x28 && op <= 0x3e) {
            skip_leb(g);
            skip_leb(g);
        }
        break;
    }
}

/* ---- the instruction loop ---- */

/* What the memory.copy and memory.fill stubs (stubs.c) clobber besides
 * r11 and xmm15, as register masks. */
#define BULK_COPY_GPRS ((1u << RAX) | (1u << RCX) | (1u << RSI) | (1u << RDI))
#define BULK_COPY_XMMS 0x7u                       /* xmm0-xmm2 */
#define BULK_FILL_GPRS ((1u << RAX) | (1u << RCX) | (1u << RDI))
#define BULK_FILL_XMMS 0u

/* Moves the three i32 operands v[] into the distinct registers dst[]
 * (a parallel move: a register is written only once no other operand
 * still waits in it, and r11 breaks a cycle), then loads the operands
 * that are not in registers. 32-bit moves keep them zero-extended. */
static void operands_to(cg *g, val *v, const uint8_t *dst)
{
    bool done[3];
    int left = 0;
    for (int k = 0; k < 3; k++) {
        done[k] = v[k].kind != V_REG || v[k].reg == dst[k];
        left += !done[k];
    }
    while (left) {
        bool moved = false;
        for (int k = 0; k < 3; k++) {
            if (done[k])
                continue;
            bool busy = false;
            for (int j = 0; j < 3; j++)
                busy |= j != k && !done[j] && v[j].reg == dst[k];
            if (busy)
                continue;
            x64_mov_rr(g->a, false, dst[k], v[k].reg);
            v[k].reg = dst[k];
            done[k] = true;
            left--;
            moved = true;
        }
        for (int k = 0; k < 3 && !moved; k++) {
            if (!done[k]) {
                x64_mov_rr(g->a, false, R11, v[k].reg);
                v[k].reg = R11;
                moved = true;
            }
        }
    }
    for (int k = 0; k < 3; k++) {
        if (v[k].kind == V_REG)
            continue;
        if (v[k].kind == V_CONST)
            x64_mov_ri(g->a, false, dst[k], (uint32_t)v[k].imm);
        else if (pin_of(g, &v[k]) >= 0)
            load_pinned(g, &v[k], dst[k]);
        else
            x64_load(g->a, false, dst[k], val_mem(g, &v[k]));
    }
}

/* memory.copy / memory.fill: the stub takes the three operands in regs[]
 * and clobbers only the registers in the masks (plus r11, xmm15), so
 * only stack entries living there are spilled; pinned locals and the
 * other registers stay. The stub checks the bounds and traps itself. */
static void call_bulk_stub(cg *g, int h, const uint8_t *regs, uint32_t gprs, uint32_t xmms)
{
    if (g->sp < 3) {
        fail(g, "operand stack underflow at memory.copy/fill");
        return;
    }
    uint32_t base = g->sp - 3;
    for (uint32_t i = 0; i < base; i++) {
        val *e = &g->stack[i];
        if (e->kind == V_REG && ((is_xmm(e->type) ? xmms : gprs) & (1u << e->reg)))
            spill_entry(g, i);
    }
    val v[3];
    for (int k = 0; k < 3; k++) {
        v[k] = g->stack[base + k];
        v[k].pos = base + (uint32_t)k;
        free_reg(g, &v[k]);
    }
    g->sp = base;
    operands_to(g, v, regs);
    x64_load(g->a, true, R11, x64_m(R15, CTX_HELPERS));
    x64_call_m(g->a, x64_m(R11, 8 * h));
    g->gpr_used &= ~gprs;
    g->xmm_used &= ~xmms;
}

/* Loads or stores one piece of a short inline copy or fill: 1, 2, 4 or 8
 * bytes through a GPR, 16 through an XMM register. */
static void bulk_piece(cg *g, bool store, uint32_t size, int r, x64_mem m)
{
    if (!g->c->explicit_bounds)
        add_site(g, WASM_TRAP_MEMORY_OOB);
    if (size == 16)
        x64_sse_m(g->a, store ? P_MOVDQU_STORE : P_MOVDQU_LOAD, r, m);
    else if (store && size == 1)
        x64_store8(g->a, m, r);
    else if (store && size == 2)
        x64_store16(g->a, m, r);
    else if (store)
        x64_store(g->a, size == 8, m, r);
    else if (size == 1)
        x64_load8u(g->a, r, m);
    else if (size == 2)
        x64_load16u(g->a, r, m);
    else
        x64_load(g->a, size == 8, r, m);
}

static x64_mem mem_plus(x64_mem m, uint32_t d)
{
    m.disp += (int32_t)d;
    return m;
}

/* memory.copy / memory.fill of a constant 1..32 bytes, inline: at most
 * two overlapping pieces of the largest power of two <= n (16 at most),
 * both loaded before either is stored (memmove semantics). Explicit
 * mode checks the ranges first (mem_operand); in guard mode the guard
 * pages do, and the higher piece is stored first: the memory ends on a
 * page boundary, so an access past it faults before anything is written.
 * Returns false (nothing emitted) for other lengths, and for constant
 * addresses too big for a displacement. */
static bool bulk_inline(cg *g, bool fill)
{
    if (g->sp < 3 || g->stack[g->sp - 1].kind != V_CONST)
        return false;
    uint32_t n = (uint32_t)g->stack[g->sp - 1].imm;
    if (n == 0 || n > 32)
        return false;
    for (uint32_t k = fill ? 3 : 2; k <= 3; k++) {
        const val *a = &g->stack[g->sp - k];
        if (a->kind == V_CONST && (uint32_t)a->imm >= 0x7fff0000u)
            return false;
    }
    uint32_t p = n >= 16 ? 16 : n >= 8 ? 8 : n >= 4 ? 4 : n >= 2 ? 2 : 1;
    bool two = n != p;
    bool x = p == 16;
    pop(g);
    val sv = pop(g), dv = pop(g);
    x64_mem src = { 0 }, dst;
    int r0, r1;
    if (fill) {
        dst = mem_operand(g, &dv, 0, n);
        if (sv.kind == V_CONST) {
            r0 = alloc_gpr(g);
            x64_mov_ri(g->a, true, r0, (sv.imm & 0xff) * 0x0101010101010101ull);
        } else {
            r0 = to_reg(g, &sv);
            x64_movzx8_rr(g->a, r0, r0);
            x64_mov_ri(g->a, true, R11, 0x0101010101010101ull);
            x64_imul_rr(g->a, true, r0, R11);
        }
        if (x) {
            r1 = alloc_xmm(g);
            x64_movd_xr(g->a, true, r1, r0);
            x64_sse(g->a, P_PUNPCKLQDQ, r1, r1);
        } else {
            r1 = r0;
        }
        if (two)
            bulk_piece(g, true, p, r1, mem_plus(dst, n - p));
        bulk_piece(g, true, p, r1, dst);
        if (x)
            g->xmm_used &= ~(1u << r1);
        g->gpr_used &= ~(1u << r0);
    } else {
        src = mem_operand(g, &sv, 0, n);
        dst = mem_operand(g, &dv, 0, n);
        r0 = x ? alloc_xmm(g) : alloc_gpr(g);
        r1 = two ? (x ? alloc_xmm(g) : alloc_gpr(g)) : r0;
        bulk_piece(g, false, p, r0, src);
        if (two) {
            bulk_piece(g, false, p, r1, mem_plus(src, n - p));
            bulk_piece(g, true, p, r1, mem_plus(dst, n - p));
        }
        bulk_piece(g, true, p, r0, dst);
        uint32_t *used = x ? &g->xmm_used : &g->gpr_used;
        *used &= ~((1u << r0) | (1u << r1));
    }
    free_reg(g, &sv);
    free_reg(g, &dv);
    return true;
}

static void op_prefix_fc(cg *g)
{
    uint32_t sub = rd_u32(g);
    uint64_t imm[2] = { 0, 0 };
    switch (sub) {
    case 0: f_trunc(g, false, false, true, true); break;
    case 1: f_trunc(g, false, false, false, true); break;
    case 2: f_trunc(g, true, false, true, true); break;
    case 3: f_trunc(g, true, false, false, true); break;
    case 4: f_trunc(g, false, true, true, true); break;
    case 5: f_trunc(g, false, true, false, true); break;
    case 6: f_trunc(g, true, true, true, true); break;
    case 7: f_trunc(g, true, true, false, true); break;
    case 8:
        imm[0] = rd_u32(g);
        rd_u8(g);
        call_helper(g, HELPER_MEMORY_INIT, 1, imm, 3, 0, true);
        break;
    case 9:
        imm[0] = rd_u32(g);
        call_helper(g, HELPER_DATA_DROP, 1, imm, 0, 0, false);
        break;
    case 10: {
        static const uint8_t regs[3] = { RDI, RSI, RCX };
        rd_u8(g);
        rd_u8(g);
        if (!bulk_inline(g, false))
            call_bulk_stub(g, HELPER_MEMORY_COPY, regs, BULK_COPY_GPRS, BULK_COPY_XMMS);
        break;
    }
    case 11: {
        static const uint8_t regs[3] = { RDI, RAX, RCX };
        rd_u8(g);
        if (!bulk_inline(g, true))
            call_bulk_stub(g, HELPER_MEMORY_FILL, regs, BULK_FILL_GPRS, BULK_FILL_XMMS);
        break;
    }
    case 12: {
        uint32_t seg = rd_u32(g), tab = rd_u32(g);
        imm[0] = tab;
        imm[1] = seg;
        call_helper(g, HELPER_TABLE_INIT, 2, imm, 3, 0, true);
        break;
    }
    case 13:
        imm[0] = rd_u32(g);
        call_helper(g, HELPER_ELEM_DROP, 1, imm, 0, 0, false);
        break;
    case 14:
        imm[0] = rd_u32(g);
        imm[1] = rd_u32(g);
        call_helper(g, HELPER_TABLE_COPY, 2, imm, 3, 0, true);
        break;
    case 15:
        imm[0] = rd_u32(g);
        call_helper(g, HELPER_TABLE_GROW, 1, imm, 2, WASM_I32, false);
        break;
    case 16: {
        uint32_t t = rd_u32(g);
        int r = alloc_gpr(g);
        x64_load(g->a, false, r,
                 x64_m(R15, (int32_t)(g->c->layout.tables + CTX_TABLE_SIZE * t + 8)));
        push_reg(g, WASM_I32, r);
        break;
    }
    case 17:
        imm[0] = rd_u32(g);
        call_helper(g, HELPER_TABLE_FILL, 1, imm, 3, 0, true);
        break;
    default:
        fail(g, "unknown 0xfc instruction");
    }
}

static void op_table_access(cg *g, bool set, uint32_t t)
{
    int32_t off = (int32_t)(g->c->layout.tables + CTX_TABLE_SIZE * t);
    uint8_t ty = g->m->tables[t].elem;
    val v;
    int rv = -1;
    if (set) {
        v = pop(g);
        rv = to_reg(g, &v);
    }
    val idx = pop(g);
    int ri = to_reg(g, &idx);
    x64_alu_rm(g->a, ALU_CMP, false, ri, x64_m(R15, off + 8));
    x64_jcc(g->a, CC_AE, trap_label(g, WASM_TRAP_TABLE_OOB));
    x64_load(g->a, true, R11, x64_m(R15, off));
    if (set) {
        x64_store(g->a, true, x64_mi(R11, ri, 8, 0), rv);
        free_reg(g, &v);
        free_reg(g, &idx);
    } else {
        x64_load(g->a, true, ri, x64_mi(R11, ri, 8, 0));
        push_reg(g, ty, ri);
    }
}

/* select: a cmov (a jump over a move for XMM values). A fused compare
 * supplies the condition directly. The operand already in a register we
 * own takes the result, so that the other one is only read. */
static void op_select(cg *g)
{
    bool fused = g->fuse.active;
    val c;
    if (!fused)
        c = pop(g);
    val b = pop(g), a = pop(g);
    int rc = fused ? -1 : to_reg(g, &c);
    bool keep_a = true;          /* the destination holds a (else b) */
    if (a.kind != V_REG && b.kind == V_REG) {
        swap_vals(&a, &b);
        keep_a = false;
    }
    int rd = to_reg(g, &a), rs = src_reg(g, &b);
    int cc = CC_NE;              /* when true, the result is the first operand */
    if (fused) {
        cc = emit_fused(g);
    } else {
        x64_test_rr(g->a, false, rc, rc);
        free_reg(g, &c);
    }
    if (!keep_a)
        cc ^= 1;
    /* Now: cc true -> keep rd, else take rs. */
    if (is_xmm(a.type)) {
        uint32_t l = x64_label(g->a);
        x64_jcc(g->a, cc, l);
        x64_movaps(g->a, rd, rs);
        x64_bind(g->a, l);
    } else {
        x64_cmov(g->a, cc ^ 1, is_w(a.type), rd, rs);
    }
    free_reg(g, &b);
    push_reg(g, a.type, rd);
}

static void op_local_set(cg *g, uint32_t i, bool tee)
{
    if (i >= g->nparams + g->nlocals) {
        fail(g, "bad local index");
        return;
    }
    val v = pop(g);
    flush_local(g, i);
    uint8_t t = g->ltypes[i];
    int pin = g->lpin[i];
    if (pin >= 0) {
        if (v.kind == V_CONST) {
            load_const(g, t, pin, v.imm);
            if (tee)
                push_const(g, v.type, v.imm);
            return;
        }
        /* A local or slot in memory loads straight into the pin. */
        if (is_mem(g, &v) && v.type == t) {
            load_typed(g, t, pin, val_mem(g, &v));
            if (tee)
                push(g, V_LOCAL, t)->local = i;
            return;
        }
        int r = src_reg(g, &v);
        if (r != pin && is_float(t))
            x64_movaps(g->a, pin, r);
        else if (r != pin)
            x64_mov_rr(g->a, is_w(t), pin, r);
        /* A tee of a computed value keeps it in its register too: the next
         * operation, usually destructive, then needs no copy of the pin. */
        if (tee && v.kind == V_REG && is_float(v.type) == is_float(t)) {
            push_reg(g, v.type, r);
            return;
        }
        free_reg(g, &v);
        if (tee)
            push(g, V_LOCAL, t)->local = i;
        return;
    }
    if (v.kind == V_CONST) {
        store_const(g, t, local_mem(g, i), v.imm);
        if (tee)
            push_const(g, v.type, v.imm);
        return;
    }
    /* A pinned local stores straight from its register. */
    if (!tee && pin_of(g, &v) >= 0 && is_float(v.type) == pin_is_xmm(g, &v)) {
        store_typed(g, t, local_mem(g, i), pin_of(g, &v));
        return;
    }
    int r = to_reg(g, &v);
    store_typed(g, t, local_mem(g, i), r);
    if (tee)
        push_reg(g, v.type, r);
    else
        free_reg(g, &v);
}

/* After i32.wrap_i64 of a register: whether the next instruction (after
 * at most one i32.const or local.get, which emit nothing) is one whose
 * 32-bit form reads only the low half of its operands and writes a clean
 * result: then the wrap needs no instruction. */
static bool low32_ahead(cg *g)
{
    const uint8_t *p = g->p;
    if (p < g->end && (*p == 0x41 || *p == 0x20)) {
        p++;
        while (p < g->end && (*p & 0x80))
            p++;
        p++;
    }
    if (p >= g->end)
        return false;
    uint8_t op = *p;
    return (op >= 0x45 && op <= 0x4f) ||   /* i32.eqz, compares */
           (op >= 0x6a && op <= 0x70) ||   /* add, sub, mul, div, rem */
           (op >= 0x71 && op <= 0x78);     /* and, or, xor, shifts, rotates */
}

static void compile_op(cg *g, uint8_t op)
{
    uint32_t x, y;
    switch (op) {
    case 0x00:
        x64_jmp(g->a, trap_label(g, WASM_TRAP_UNREACHABLE));
        g->unreachable = true;
        break;
    case 0x01: break;
    case 0x02: op_block(g, C_BLOCK); break;
    case 0x03: op_block(g, C_LOOP); break;
    case 0x04: op_block(g, C_IF); break;
    case 0x05: op_else(g); break;
    case 0x0c:
        x = rd_u32(g);
        if (x >= g->nctl) { fail(g, "bad branch depth"); break; }
        spill_all(g);
        branch_to(g, x);
        g->unreachable = true;
        break;
    case 0x0d:
        x = rd_u32(g);
        if (x >= g->nctl) { fail(g, "bad branch depth"); break; }
        op_br_if(g, x);
        break;
    case 0x0e:
        op_br_table(g);
        g->unreachable = true;
        break;
    case 0x0f:
        emit_return(g);
        g->unreachable = true;
        break;
    case 0x10:
        x = rd_u32(g);
        if (x >= g->m->nfuncs) { fail(g, "bad function index"); break; }
        op_call(g, x);
        break;
    case 0x11:
        x = rd_u32(g);
        y = rd_u32(g);
        if (x >= g->m->ntypes || y >= g->m->ntables) { fail(g, "bad call_indirect"); break; }
        op_call_indirect(g, x, y);
        break;
    case 0x1a: {
        val v = pop(g);
        free_reg(g, &v);
        break;
    }
    case 0x1b: op_select(g); break;
    case 0x1c:
        x = rd_u32(g);
        g->p += x <= (uint32_t)(g->end - g->p) ? x : 0;
        op_select(g);
        break;
    case 0x20:
        x = rd_u32(g);
        if (x >= g->nparams + g->nlocals) { fail(g, "bad local index"); break; }
        push(g, V_LOCAL, g->ltypes[x])->local = x;
        break;
    case 0x21: op_local_set(g, rd_u32(g), false); break;
    case 0x22: op_local_set(g, rd_u32(g), true); break;
    case 0x23: {
        x = rd_u32(g);
        if (x >= g->m->nglobals) { fail(g, "bad global index"); break; }
        uint8_t t = g->m->globals[x].type.type;
        int r = alloc_for(g, t);
        load_typed(g, t, r, global_mem(g, x));
        push_reg(g, t, r);
        break;
    }
    case 0x24: {
        x = rd_u32(g);
        if (x >= g->m->nglobals) { fail(g, "bad global index"); break; }
        val v = pop(g);
        int r = to_reg(g, &v);
        store_typed(g, g->m->globals[x].type.type, global_mem(g, x), r);
        free_reg(g, &v);
        break;
    }
    case 0x25: op_table_access(g, false, rd_u32(g)); break;
    case 0x26: op_table_access(g, true, rd_u32(g)); break;
    case 0x3f: {
        rd_u8(g);
        int r = alloc_gpr(g);
        x64_load(g->a, true, r, x64_m(R15, CTX_MEM_SIZE));
        x64_shift_ri(g->a, SH_SHR, true, r, 16);
        push_reg(g, WASM_I32, r);
        break;
    }
    case 0x40:
        rd_u8(g);
        call_helper(g, HELPER_MEMORY_GROW, 0, NULL, 1, WASM_I32, false);
        break;
    case 0x41: push_const(g, WASM_I32, (uint32_t)rd_sleb(g)); break;
    case 0x42: push_const(g, WASM_I64, (uint64_t)rd_sleb(g)); break;
    case 0x43: push_const(g, WASM_F32, rd_fixed(g, 4)); break;
    case 0x44: push_const(g, WASM_F64, rd_fixed(g, 8)); break;

    case 0x45: int_eqz(g, false); break;
    case 0x46: int_cmp(g, false, CC_E); break;
    case 0x47: int_cmp(g, false, CC_NE); break;
    case 0x48: int_cmp(g, false, CC_L); break;
    case 0x49: int_cmp(g, false, CC_B); break;
    case 0x4a: int_cmp(g, false, CC_G); break;
    case 0x4b: int_cmp(g, false, CC_A); break;
    case 0x4c: int_cmp(g, false, CC_LE); break;
    case 0x4d: int_cmp(g, false, CC_BE); break;
    case 0x4e: int_cmp(g, false, CC_GE); break;
    case 0x4f: int_cmp(g, false, CC_AE); break;
    case 0x50: int_eqz(g, true); break;
    case 0x51: int_cmp(g, true, CC_E); break;
    case 0x52: int_cmp(g, true, CC_NE); break;
    case 0x53: int_cmp(g, true, CC_L); break;
    case 0x54: int_cmp(g, true, CC_B); break;
    case 0x55: int_cmp(g, true, CC_G); break;
    case 0x56: int_cmp(g, true, CC_A); break;
    case 0x57: int_cmp(g, true, CC_LE); break;
    case 0x58: int_cmp(g, true, CC_BE); break;
    case 0x59: int_cmp(g, true, CC_GE); break;
    case 0x5a: int_cmp(g, true, CC_AE); break;
    case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f: case 0x60:
        f_cmp(g, false, op - 0x5b);
        break;
    case 0x61: case 0x62: case 0x63: case 0x64: case 0x65: case 0x66:
        f_cmp(g, true, op - 0x61);
        break;

    case 0x67: int_unop(g, false, 0); break;
    case 0x68: int_unop(g, false, 1); break;
    case 0x69: int_unop(g, false, 2); break;
    case 0x6a: int_binop(g, false, ALU_ADD); break;
    case 0x6b: int_binop(g, false, ALU_SUB); break;
    case 0x6c: int_mul(g, false); break;
    case 0x6d: int_div(g, false, true, false); break;
    case 0x6e: int_div(g, false, false, false); break;
    case 0x6f: int_div(g, false, true, true); break;
    case 0x70: int_div(g, false, false, true); break;
    case 0x71: int_binop(g, false, ALU_AND); break;
    case 0x72: int_binop(g, false, ALU_OR); break;
    case 0x73: int_binop(g, false, ALU_XOR); break;
    case 0x74: int_shift(g, false, SH_SHL); break;
    case 0x75: int_shift(g, false, SH_SAR); break;
    case 0x76: int_shift(g, false, SH_SHR); break;
    case 0x77: int_shift(g, false, SH_ROL); break;
    case 0x78: int_shift(g, false, SH_ROR); break;
    case 0x79: int_unop(g, true, 0); break;
    case 0x7a: int_unop(g, true, 1); break;
    case 0x7b: int_unop(g, true, 2); break;
    case 0x7c: int_binop(g, true, ALU_ADD); break;
    case 0x7d: int_binop(g, true, ALU_SUB); break;
    case 0x7e: int_mul(g, true); break;
    case 0x7f: int_div(g, true, true, false); break;
    case 0x80: int_div(g, true, false, false); break;
    case 0x81: int_div(g, true, true, true); break;
    case 0x82: int_div(g, true, false, true); break;
    case 0x83: int_binop(g, true, ALU_AND); break;
    case 0x84: int_binop(g, true, ALU_OR); break;
    case 0x85: int_binop(g, true, ALU_XOR); break;
    case 0x86: int_shift(g, true, SH_SHL); break;
    case 0x87: int_shift(g, true, SH_SAR); break;
    case 0x88: int_shift(g, true, SH_SHR); break;
    case 0x89: int_shift(g, true, SH_ROL); break;
    case 0x8a: int_shift(g, true, SH_ROR); break;

    case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f: case 0x90: case 0x91:
        f_unop(g, false, op - 0x8b);
        break;
    case 0x92: f_binop(g, false, SSE_ADD); break;
    case 0x93: f_binop(g, false, SSE_SUB); break;
    case 0x94: f_binop(g, false, SSE_MUL); break;
    case 0x95: f_binop(g, false, SSE_DIV); break;
    case 0x96: f_minmax(g, false, true); break;
    case 0x97: f_minmax(g, false, false); break;
    case 0x98: f_copysign(g, false); break;
    case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
        f_unop(g, true, op - 0x99);
        break;
    case 0xa0: f_binop(g, true, SSE_ADD); break;
    case 0xa1: f_binop(g, true, SSE_SUB); break;
    case 0xa2: f_binop(g, true, SSE_MUL); break;
    case 0xa3: f_binop(g, true, SSE_DIV); break;
    case 0xa4: f_minmax(g, true, true); break;
    case 0xa5: f_minmax(g, true, false); break;
    case 0xa6: f_copysign(g, true); break;

    case 0xa7: { /* i32.wrap_i64 */
        val a = pop(g);
        if (a.kind == V_CONST) {
            push_const(g, WASM_I32, (uint32_t)a.imm);
        } else if (a.kind != V_REG) {
            /* little-endian: the low half is at the same address */
            push(g, a.kind, WASM_I32)->local = a.local;
        } else {
            /* The upper half is cleared unless the next instruction only
             * reads the low 32 bits anyway. */
            if (!low32_ahead(g))
                x64_mov_rr(g->a, false, a.reg, a.reg);
            push_reg(g, WASM_I32, a.reg);
        }
        break;
    }
    case 0xa8: f_trunc(g, false, false, true, false); break;
    case 0xa9: f_trunc(g, false, false, false, false); break;
    case 0xaa: f_trunc(g, true, false, true, false); break;
    case 0xab: f_trunc(g, true, false, false, false); break;
    case 0xac: { /* i64.extend_i32_s */
        val a = pop(g);
        if (a.kind == V_CONST) {
            push_const(g, WASM_I64, (uint64_t)(int64_t)(int32_t)(uint32_t)a.imm);
            break;
        }
        int r;
        if (a.kind == V_REG) {
            r = a.reg;
            x64_movsxd_rr(g->a, r, r);
        } else if (is_mem(g, &a)) {
            r = alloc_gpr(g);
            x64_load32s(g->a, r, val_mem(g, &a));
        } else {
            int s = src_reg(g, &a);
            r = a.kind == V_REG ? s : alloc_gpr(g);
            x64_movsxd_rr(g->a, r, s);
        }
        push_reg(g, WASM_I64, r);
        break;
    }
    case 0xad: { /* i64.extend_i32_u */
        val a = pop(g);
        if (a.kind == V_CONST) {
            push_const(g, WASM_I64, (uint32_t)a.imm);
        } else if (a.kind == V_REG) {
            push_reg(g, WASM_I64, a.reg);       /* already zero-extended */
        } else if (gpin(g, &a) >= 0 && g->ltypes[a.local] == WASM_I32) {
            /* an i32 local's register is zero-extended too: read as 64
             * bits (not so an i64 local seen through i32.wrap_i64) */
            push(g, V_LOCAL, WASM_I64)->local = a.local;
        } else {
            push_reg(g, WASM_I64, to_reg(g, &a));  /* a 32-bit load */
        }
        break;
    }
    case 0xae: f_trunc(g, false, true, true, false); break;
    case 0xaf: f_trunc(g, false, true, false, false); break;
    case 0xb0: f_trunc(g, true, true, true, false); break;
    case 0xb1: f_trunc(g, true, true, false, false); break;
    case 0xb2: f_convert(g, false, false, true); break;
    case 0xb3: f_convert(g, false, false, false); break;
    case 0xb4: f_convert(g, false, true, true); break;
    case 0xb5: f_convert(g, false, true, false); break;
    case 0xb6: case 0xbb: { /* demote / promote */
        val a = pop(g);
        int x = to_reg(g, &a);
        x64_cvtf2f(g->a, op == 0xb6, x, x);
        push_reg(g, op == 0xb6 ? WASM_F32 : WASM_F64, x);
        break;
    }
    case 0xb7: f_convert(g, true, false, true); break;
    case 0xb8: f_convert(g, true, false, false); break;
    case 0xb9: f_convert(g, true, true, true); break;
    case 0xba: f_convert(g, true, true, false); break;
    case 0xbc: reinterpret(g, WASM_I32); break;
    case 0xbd: reinterpret(g, WASM_I64); break;
    case 0xbe: reinterpret(g, WASM_F32); break;
    case 0xbf: reinterpret(g, WASM_F64); break;
    case 0xc0: case 0xc1: case 0xc2: case 0xc3: case 0xc4: {
        val a = pop(g);
        bool w = op >= 0xc2;
        int r = to_reg(g, &a);
        if (op == 0xc0 || op == 0xc2)
            x64_movsx8_rr(g->a, w, r, r);
        else if (op == 0xc1 || op == 0xc3)
            x64_movsx16_rr(g->a, w, r, r);
        else
            x64_movsxd_rr(g->a, r, r);
        push_reg(g, w ? WASM_I64 : WASM_I32, r);
        break;
    }
    case 0xd0: {
        uint8_t t = rd_u8(g);
        push_const(g, t, 0);
        break;
    }
    case 0xd1: {
        val a = pop(g);
        int r = to_reg(g, &a);
        x64_test_rr(g->a, true, r, r);
        x64_setcc(g->a, CC_E, r);
        x64_movzx8_rr(g->a, r, r);
        push_reg(g, WASM_I32, r);
        break;
    }
    case 0xd2: {
        x = rd_u32(g);
        if (x >= g->m->nfuncs) { fail(g, "bad function index"); break; }
        int r = alloc_gpr(g);
        x64_lea(g->a, true, r,
                x64_m(R15, (int32_t)(g->c->layout.funcrefs + CTX_FUNCREF_SIZE * x)));
        push_reg(g, WASM_FUNCREF, r);
        break;
    }
    case 0xfc: op_prefix_fc(g); break;
    default:
        if (op >= 0x28 && op <= 0x35) {
            rd_u32(g);
            op_load(g, op, rd_u32(g));
        } else if (op >= 0x36 && op <= 0x3e) {
            rd_u32(g);
            op_store(g, op, rd_u32(g));
        } else if (op == 0xfd) {
            simd_op(g);
        } else {
            fail(g, "unknown instruction");
        }
        break;
    }
}

/* ---- functions ---- */

static int setup_locals(cg *g, const wasm_code *code)
{
    uint32_t n = g->nparams + code->nlocals;
    if (n > g->cap_ltypes) {
        uint32_t cap = n > 2 * g->cap_ltypes ? n : 2 * g->cap_ltypes;
        uint8_t *t = wasm_platform_realloc(g->ltypes, cap);
        int8_t *pin = wasm_platform_realloc(g->lpin, cap);
        uint32_t *w = wasm_platform_realloc(g->lweight, cap * sizeof *w);
        /* The per-level weights stay all zero between functions (each
         * loop clears what it touched), so they are cleared only here. */
        size_t nl = (size_t)cap * MAX_REGION_LEVEL;
        wasm_platform_free(g->rweight);
        g->rweight = wasm_platform_calloc(nl, sizeof *g->rweight);
        uint32_t *tl = wasm_platform_realloc(g->touched, nl * sizeof *tl);
        if (t)
            g->ltypes = t;
        if (pin)
            g->lpin = pin;
        if (w)
            g->lweight = w;
        if (tl)
            g->touched = tl;
        if (!t || !pin || !w || !g->rweight || !tl)
            return -1;
        g->cap_ltypes = cap;
    }
    for (uint32_t i = 0; i < g->nparams; i++)
        g->ltypes[i] = g->type->params[i];
    uint32_t k = g->nparams;
    for (uint32_t i = 0; i < code->nlocal_groups; i++) {
        const wasm_local_group *lg = &g->m->local_groups[code->local_group + i];
        for (uint32_t j = 0; j < lg->count && k < n; j++)
            g->ltypes[k++] = lg->type;
    }
    g->nlocals = code->nlocals;
    return 0;
}

static void add_weight(uint32_t *w, uint32_t x, uint32_t by)
{
    w[x] = w[x] + by < w[x] ? UINT32_MAX : w[x] + by;
}

static bool pinnable(uint8_t t, bool xmm)
{
    return xmm ? is_float(t) : (t == WASM_I32 || t == WASM_I64);
}

/* Inserts local x of weight w into a list of the n heaviest so far. */
static void keep_heaviest(uint32_t *slots, uint32_t *ws, int n, uint32_t x, uint32_t w)
{
    int at = n;
    while (at > 0 && (slots[at - 1] == NO_LOCAL || ws[at - 1] < w))
        at--;
    if (at == n)
        return;
    for (int k = n - 1; k > at; k--) {
        slots[k] = slots[k - 1];
        ws[k] = ws[k - 1];
    }
    slots[at] = x;
    ws[at] = w;
}

/* The heaviest of n locals (locals[j], or j when locals is NULL, weighing
 * w[j]), in slot order; a local must weigh over 2 (pinning must pay for
 * its save). */
static void pick_pins(cg *g, const uint32_t *locals, const uint32_t *w, uint32_t n, pinset *out)
{
    uint32_t wg[NPIN], wx[NXPIN];
    for (int k = 0; k < NPIN; k++)
        out->g[k] = NO_LOCAL;
    for (int k = 0; k < NXPIN; k++)
        out->x[k] = NO_LOCAL;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t i = locals ? locals[j] : j;
        if (w[j] <= 2)
            continue;
        uint8_t t = g->ltypes[i];
        if (pinnable(t, false))
            keep_heaviest(out->g, wg, NPIN, i, w[j]);
        else if (pinnable(t, true))
            keep_heaviest(out->x, wx, NXPIN, i, w[j]);
    }
}

/* Reorders one class of a loop's pins so that a local its parent pins
 * keeps its register; the others take the free registers from the first,
 * and registers still free keep the parent's local (no move either way). */
static void align_slots(uint32_t *slots, const uint32_t *parent, int n)
{
    uint32_t out[NXPIN];
    for (int k = 0; k < n; k++)
        out[k] = NO_LOCAL;
    for (int k = 0; k < n; k++)
        for (int j = 0; j < n && slots[k] != NO_LOCAL; j++)
            if (parent[j] == slots[k]) {
                out[j] = slots[k];
                slots[k] = NO_LOCAL;
            }
    for (int k = 0, j = 0; k < n; k++) {
        if (slots[k] == NO_LOCAL)
            continue;
        while (out[j] != NO_LOCAL)
            j++;
        out[j] = slots[k];
    }
    for (int j = 0; j < n; j++) {
        bool placed = false;
        for (int k = 0; k < n; k++)
            placed |= out[k] == parent[j];
        if (out[j] == NO_LOCAL && !placed)
            out[j] = parent[j];
    }
    for (int k = 0; k < n; k++)
        slots[k] = out[k];
}

/* How many of a class's registers a pin set uses (a prefix is saved). */
static uint32_t slots_used(const uint32_t *slots, int n)
{
    uint32_t used = 0;
    for (int k = 0; k < n; k++)
        if (slots[k] != NO_LOCAL)
            used = (uint32_t)k + 1;
    return used;
}

static uint32_t cand_weight(const pin_region *r, uint32_t local)
{
    for (uint32_t i = 0; i < r->ncand; i++)
        if (r->cand[i] == local)
            return r->candw[i];
    return 0;
}

/* At a loop's end in the pre-scan: keeps its heaviest pinnable locals. */
static void finish_region(cg *g, pin_region *r, uint32_t *w, const uint32_t *touched,
                          uint32_t ntouched)
{
    for (int k = 0; k < NCAND; k++)
        r->cand[k] = NO_LOCAL;
    for (uint32_t j = 0; j < ntouched; j++) {
        uint32_t x = touched[j];
        if (w[x] > 2 && (pinnable(g->ltypes[x], false) || pinnable(g->ltypes[x], true)))
            keep_heaviest(r->cand, r->candw, NCAND, x, w[x]);
        w[x] = 0;
    }
    for (r->ncand = 0; r->ncand < NCAND && r->cand[r->ncand] != NO_LOCAL; r->ncand++)
        ;
}

/* After the pre-scan, outermost loops first: a loop switches to its own
 * heaviest locals when what they gain over its parent's choice pays for
 * the moves on each entry and exit (a load and a store each way, at the
 * weight of the code around the loop). */
static void settle_region(cg *g, pin_region *r)
{
    const pinset *parent = r->parent < 0 ? &g->outside : &g->regions[r->parent].pins;
    pinset mine;
    pick_pins(g, r->cand, r->candw, r->ncand, &mine);
    align_slots(mine.g, parent->g, NPIN);
    align_slots(mine.x, parent->x, NXPIN);
    uint64_t moves = 0, gain = 0, loss = 0;
    for (int k = 0; k < NPIN + NXPIN; k++) {
        uint32_t a = k < NPIN ? mine.g[k] : mine.x[k - NPIN];
        uint32_t b = k < NPIN ? parent->g[k] : parent->x[k - NPIN];
        if (a == b)
            continue;
        moves++;
        gain += a == NO_LOCAL ? 0 : cand_weight(r, a);
        loss += b == NO_LOCAL ? 0 : cand_weight(r, b);
    }
    uint64_t entry = 1ull << (3 * (r->level - 1 < 6 ? r->level - 1 : 6));
    r->pins = moves && gain > loss + 4 * moves * entry ? mine : *parent;
}

/* Which locals live in registers, and where: a quick pass over the body
 * weighs each local.get/set/tee, 8x per loop level, for the code outside
 * loops and for each loop (regions); then each loop's choice is settled
 * against its parent's. */
static void choose_pins(cg *g, const wasm_code *code)
{
    uint32_t n = g->nparams + g->nlocals;
    g->nsave_g = g->nsave_x = 0;
    g->nregions = g->next_region = g->nactive = 0;
    g->regions_oom = false;
    for (int k = 0; k < NPIN; k++)
        g->cur.g[k] = g->outside.g[k] = NO_LOCAL;
    for (int k = 0; k < NXPIN; k++)
        g->cur.x[k] = g->outside.x[k] = NO_LOCAL;
    for (uint32_t i = 0; i < n; i++) {
        g->lpin[i] = -1;
        g->lweight[i] = 0;
    }
    /* Without a loop, pinning saves little and the scan costs compile
     * time. */
    if (n == 0 || !(code->flags & WASM_CODE_HAS_LOOP))
        return;
    size_t stride = g->cap_ltypes;      /* of rweight and touched, per level */
    const uint8_t *save = g->p;
    uint64_t loops = 0;          /* bit i: nesting level i is a loop */
    uint32_t depth = 0, loop_depth = 0;
    uint32_t ntouched[MAX_REGION_LEVEL + 1], open[MAX_REGION_LEVEL + 1];
    while (g->p < g->end && !g->failed) {
        uint8_t op = *g->p++;
        if (op == 0x02 || op == 0x03 || op == 0x04) {
            const uint8_t *at = g->p;
            uint32_t np, nr;
            const uint8_t *ps, *rs;
            block_type(g, &np, &ps, &nr, &rs);
            if (depth < 64 && op == 0x03) {
                loops |= 1ull << depth;
                uint32_t L = ++loop_depth;
                if (L <= MAX_REGION_LEVEL && !g->regions_oom) {
                    if (g->nregions == g->cap_regions) {
                        uint32_t cap = g->cap_regions ? 2 * g->cap_regions : 8;
                        pin_region *r = wasm_platform_realloc(g->regions, cap * sizeof *r);
                        if (r) {
                            g->regions = r;
                            g->cap_regions = cap;
                        }
                    }
                    if (g->nregions == g->cap_regions) {
                        g->regions_oom = true;     /* no regions: the outside choice */
                    } else {
                        pin_region *r = &g->regions[g->nregions];
                        r->start = at;
                        r->level = L;
                        r->parent = L > 1 ? (int32_t)open[L - 1] : -1;
                        open[L] = g->nregions++;
                        ntouched[L] = 0;
                    }
                }
            } else if (depth < 64) {
                loops &= ~(1ull << depth);
            }
            depth++;
        } else if (op == 0x0b) {
            if (depth == 0)
                break;
            depth--;
            if (depth < 64 && (loops & (1ull << depth))) {
                uint32_t L = loop_depth--;
                if (L <= MAX_REGION_LEVEL && !g->regions_oom)
                    finish_region(g, &g->regions[open[L]], g->rweight + (size_t)(L - 1) * stride,
                                  g->touched + (size_t)(L - 1) * stride, ntouched[L]);
            }
        } else if (op == 0x20 || op == 0x21 || op == 0x22) {
            uint32_t x = rd_u32(g);
            if (x >= n)
                continue;
            if (loop_depth == 0) {
                add_weight(g->lweight, x, 1);
                continue;
            }
            uint32_t w = 1u << (3 * (loop_depth < 6 ? loop_depth : 6));
            uint32_t top = loop_depth < MAX_REGION_LEVEL ? loop_depth : MAX_REGION_LEVEL;
            for (uint32_t L = 1; L <= top && !g->regions_oom; L++) {
                uint32_t *rw = g->rweight + (size_t)(L - 1) * stride;
                if (rw[x] == 0)
                    g->touched[(size_t)(L - 1) * stride + ntouched[L]++] = x;
                add_weight(rw, x, w);
            }
        } else {
            skip_immediates(g, op);
        }
    }
    g->p = save;
    g->failed = false;
    if (g->regions_oom) {
        g->nregions = 0;
        lib_memset(g->rweight, 0, stride * MAX_REGION_LEVEL * sizeof *g->rweight);
    }
    /* Loops left open by a malformed body: clear what they touched. */
    for (uint32_t L = 1; L <= loop_depth && L <= MAX_REGION_LEVEL && !g->regions_oom; L++)
        for (uint32_t j = 0; j < ntouched[L]; j++)
            g->rweight[(size_t)(L - 1) * stride + g->touched[(size_t)(L - 1) * stride + j]] = 0;
    pick_pins(g, NULL, g->lweight, n, &g->outside);
    g->nsave_g = slots_used(g->outside.g, NPIN);
    g->nsave_x = slots_used(g->outside.x, NXPIN);
    for (uint32_t i = 0; i < g->nregions; i++) {
        pinset *p = &g->regions[i].pins;
        settle_region(g, &g->regions[i]);
        uint32_t ug = slots_used(p->g, NPIN), ux = slots_used(p->x, NXPIN);
        g->nsave_g = ug > g->nsave_g ? ug : g->nsave_g;
        g->nsave_x = ux > g->nsave_x ? ux : g->nsave_x;
    }
    set_pins(g, &g->outside);
}

static void compile_function(cg *g, uint32_t func)
{
    const wasm_code *code = wasm_module_code(g->m, func);
    g->func = func;
    g->type = wasm_module_func_type(g->m, func);
    g->nparams = g->type->nparams;
    g->cell = g->c->simd ? 16 : 8;
    if (setup_locals(g, code) != 0) {
        fail(g, "out of memory");
        return;
    }
    g->sp = g->max_sp = 0;
    g->nctl = 0;
    g->gpr_used = g->xmm_used = 0;
    g->unreachable = false;
    g->dead_depth = 0;
    lib_memset(g->trap_lbl, 0, sizeof g->trap_lbl);
    g->dyn_trap_lbl = 0;
    g->fuse.active = false;
    g->max_out = 0;
    g->ncross = 0;
    g->save_base = code->max_stack_slots + 1;
    g->nsaves = 0;
    g->p = code->code;
    g->end = code->body + code->size;
    choose_pins(g, code);

    x64_asm *a = g->a;
    x64_bind(a, g->func_labels[func - g->m->nimported_funcs]);
    /* Prologue: frame, stack check against the thread's limit, context.
     * The limit comes from the caller's frame (a Wasm frame or the entry
     * trampoline's, both keep it at [rbp-16]; rbp is still the caller's
     * here), so the check waits on one load, issued first. */
    x64_load(a, true, RAX, x64_m(RBP, SLOT_LIMITS));
    x64_push(a, RBP);
    x64_mov_rr(a, true, RBP, RSP);
    x64_byte(a, 0x4c);                   /* lea r11, [rsp - frame] (disp32, patched) */
    x64_byte(a, 0x8d);
    x64_byte(a, 0x9c);
    x64_byte(a, 0x24);
    size_t frame_patch = a->len;
    x64_u32(a, 0);
    x64_alu_rr(a, ALU_CMP, true, R11, RAX);
    x64_jcc(a, CC_B, trap_label(g, WASM_TRAP_STACK_EXHAUSTED));
    x64_mov_rr(a, true, RSP, R11);
    /* The limit is read by callees only: a function without calls (a
     * leaf) does not keep it. (The context slot [rbp-8] is written just
     * before the calls that may change instance, see save_context.) */
    if (code->flags & WASM_CODE_CALLS)
        x64_store(a, true, x64_m(RBP, SLOT_LIMITS), RAX);
    uint32_t qwords = g->nlocals * (g->cell / 8);
    if (g->nlocals > 0 && qwords <= 8) {
        bool zeroed = false;
        for (uint32_t j = 0; j < g->nlocals; j++) {
            if (g->lpin[g->nparams + j] >= 0)
                continue;
            if (!zeroed)
                x64_alu_rr(a, ALU_XOR, false, RAX, RAX);
            zeroed = true;
            x64_mem m = local_mem(g, g->nparams + j);
            x64_store(a, true, m, RAX);
            if (g->cell == 16)
                x64_store(a, true, x64_m(RBP, m.disp + 8), RAX);
        }
    } else if (g->nlocals > 0 && qwords <= 64) {
        /* 16 bytes a store (rep stosq costs some 30 cycles to start). */
        int32_t lo = -(int32_t)(8 * FRAME_FIXED + g->cell * g->nlocals);
        x64_sse_logic(a, false, SSE_XOR, 15, 15);
        uint32_t q = 0;
        for (; q + 2 <= qwords; q += 2)
            x64_sse_m(a, P_MOVDQU_STORE, 15, x64_m(RBP, lo + (int32_t)(8 * q)));
        if (q < qwords)
            x64_fstore(a, true, x64_m(RBP, lo + (int32_t)(8 * q)), 15);
    } else if (g->nlocals > 0) {
        x64_lea(a, true, RDI, x64_m(RBP, -(int32_t)(8 * FRAME_FIXED + g->cell * g->nlocals)));
        x64_mov_ri(a, false, RCX, qwords);
        x64_alu_rr(a, ALU_XOR, false, RAX, RAX);
        x64_rep_stosq(a);
    }
    /* Pinned locals: save the caller's register, load or zero the local. */
    for (uint32_t k = 0; k < g->nsave_g; k++)
        x64_store(a, true, x64_m(RBP, SLOT_PIN(k)), pin_regs[k]);
    for (uint32_t k = 0; k < g->nsave_x; k++)
        x64_fstore(a, true, x64_m(RBP, SLOT_XPIN(k)), pin_xmms[k]);
    for (uint32_t i = 0; i < g->nparams + g->nlocals; i++) {
        int pin = g->lpin[i];
        uint8_t t = g->ltypes[i];
        if (pin < 0)
            continue;
        if (i < g->nparams)
            load_typed(g, t, pin, local_mem(g, i));
        else if (is_float(t))
            x64_sse_logic(a, false, SSE_XOR, pin, pin);
        else
            x64_alu_rr(a, ALU_XOR, false, pin, pin);
    }

    ctl *f = push_ctl(g);
    if (g->failed)
        return;
    f->kind = C_FUNC;
    f->label = x64_label(a);
    f->height = 0;
    f->nresults = g->type->nresults;
    f->results = g->type->results;

    while (!g->failed) {
        if (g->p >= g->end) {
            fail(g, "function body without end");
            break;
        }
        uint8_t op = *g->p++;
        if (g->unreachable) {
            if (op == 0x02 || op == 0x03 || op == 0x04) {
                uint32_t np, nr;
                const uint8_t *ps, *rs;
                block_type(g, &np, &ps, &nr, &rs);
                g->dead_depth++;
                continue;
            }
            if (op == 0x0b && g->dead_depth > 0) {
                g->dead_depth--;
                continue;
            }
            if (op == 0x05 && g->dead_depth > 0)
                continue;
            if (op != 0x0b && op != 0x05) {
                skip_immediates(g, op);
                continue;
            }
        }
        if (op == 0x0b) {
            if (op_end(g))
                break;
            continue;
        }
        compile_op(g, op);
    }
    if (g->failed)
        return;
    emit_trap_stubs(g);

    uint32_t slots = g->max_sp;
    if (g->nsaves) {
        if (g->max_sp > g->save_base) {
            fail(g, "operand stack deeper than the validator said");
            return;
        }
        slots = g->save_base + g->nsaves;
    }
    uint64_t frame = 8ull * (FRAME_FIXED + g->max_out) + (uint64_t)g->cell * (g->nlocals + slots);
    frame = (frame + 15) & ~15ull;
    if (frame > 0x40000000) {
        fail(g, "frame too large");
        return;
    }
    if (!a->oom) {
        uint32_t v = (uint32_t)-(int32_t)frame;
        for (int i = 0; i < 4; i++)
            a->buf[frame_patch + i] = (uint8_t)(v >> (8 * i));
    }
}

int wasm_arch_compile_module(wasm_compiled *c, x64_asm *a, wasm_error *err)
{
    const wasm_module *m = c->module;
    cg g;
    lib_memset(&g, 0, sizeof g);
    g.a = a;
    g.c = c;
    g.m = m;
    g.err = err;
    g.cpu = c->eng->cpu;
    uint32_t n = m->nfuncs - m->nimported_funcs;
    g.func_labels = wasm_platform_calloc(n ? n : 1, sizeof *g.func_labels);
    if (!g.func_labels) {
        err->kind = WASM_ERR_RESOURCE;
        lib_strlcpy(err->message, "out of memory", sizeof err->message);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        g.func_labels[i] = x64_label(a);
    for (uint32_t i = 0; i < n && !g.failed; i++) {
        /* Functions start 16-byte aligned. */
        while (a->len & 15)
            x64_byte(a, 0xcc);
        c->func_start[i] = (uint32_t)a->len;
        compile_function(&g, m->nimported_funcs + i);
        if (a->oom)
            fail(&g, "out of memory");
    }
    if (!g.failed && x64_resolve(a) != 0)
        fail(&g, "unresolved label");
    wasm_platform_free(g.func_labels);
    wasm_platform_free(g.stack);
    wasm_platform_free(g.ctls);
    wasm_platform_free(g.cross);
    wasm_platform_free(g.ltypes);
    wasm_platform_free(g.lpin);
    wasm_platform_free(g.lweight);
    wasm_platform_free(g.rweight);
    wasm_platform_free(g.touched);
    wasm_platform_free(g.regions);
    return g.failed ? -1 : 0;
}

/* ---- services for the SIMD code generator (simd.h) ---- */

x64_asm *cg_asm(cg *g) { return g->a; }
void cg_fail(cg *g, const char *msg) { fail(g, msg); }
uint8_t cg_rd_u8(cg *g) { return rd_u8(g); }
uint32_t cg_rd_u32(cg *g) { return rd_u32(g); }
void cg_push_reg(cg *g, uint8_t type, int r) { push_reg(g, type, r); }
int cg_alloc_xmm(cg *g) { return alloc_xmm(g); }
int cg_alloc_gpr(cg *g) { return alloc_gpr(g); }
void cg_free_xmm(cg *g, int r) { g->xmm_used &= ~(1u << r); }
void cg_free_gpr(cg *g, int r) { g->gpr_used &= ~(1u << r); }

bool cg_pop_const(cg *g, uint64_t *imm)
{
    if (g->sp == 0 || g->stack[g->sp - 1].kind != V_CONST)
        return false;
    *imm = pop(g).imm;
    return true;
}

int cg_pop_reg(cg *g)
{
    val v = pop(g);
    return to_reg(g, &v);
}

x64_mem cg_pop_mem(cg *g, uint32_t offset, uint32_t size)
{
    val addr = pop(g);
    x64_mem m = mem_operand(g, &addr, offset, size);
    free_reg(g, &addr);
    if (!g->c->explicit_bounds)
        add_site(g, WASM_TRAP_MEMORY_OOB);
    return m;
}
