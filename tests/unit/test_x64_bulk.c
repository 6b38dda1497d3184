/* tests/unit/test_x64_bulk.c: memory.copy and memory.fill (the stubs in
 * wasm/x64/stubs.c and their call site in codegen.c).
 *
 * The stubs are checked on their own first, both the 16-byte (SSE) and,
 * when the CPU has AVX, the 32-byte version, whatever this machine would
 * pick: every length up to 600 and lengths around the loop and rep
 * thresholds, at many alignments and source-destination distances (all
 * the overlaps), against memmove/memset, with the bytes around the
 * destination checked untouched.
 *
 * Then through the engine, in both bounds modes, with this module
 * (`wat2wasm --debug-names`): bounds at and one past the end (a trap
 * writes nothing), the trap message and backtrace, the size after
 * memory.grow, values that live in the registers the stub clobbers,
 * locals pinned to registers, and the inline code for constant lengths
 * up to 32 (guard mode: the guard page faults before any store).
 *
 * (module
 *   (memory (export "mem") 1 2)
 *   (func $copy (export "copy") (param i32 i32 i32)
 *     (memory.copy (local.get 0) (local.get 1) (local.get 2)))
 *   (func $fill (export "fill") (param i32 i32 i32)
 *     (memory.fill (local.get 0) (local.get 1) (local.get 2)))
 *   (func $outer (export "outer") (param i32 i32 i32)
 *     (call $copy (local.get 0) (local.get 1) (local.get 2)))
 *   (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
 *   ;; Values live in registers below the operands, which arrive in
 *   ;; swapped registers: the call site must spill the first two and
 *   ;; untangle the rest.
 *   (func (export "keep") (param i32 i32 i32 f64) (result i32 f64 i32)
 *     (i32.add (local.get 0) (i32.const 7))
 *     (f64.add (local.get 3) (f64.const 1))
 *     (memory.copy (i32.add (local.get 0) (i32.const 0))
 *                  (i32.add (local.get 1) (i32.const 0))
 *                  (i32.add (local.get 2) (i32.const 0)))
 *     (i32.load (local.get 0)))
 *   (func (export "keepfill") (param i32 i32 i32 i64) (result i64 i32)
 *     (i64.mul (local.get 3) (i64.const 3))
 *     (memory.fill (i32.add (local.get 0) (i32.const 0))
 *                  (i32.add (local.get 1) (i32.const 0))
 *                  (i32.add (local.get 2) (i32.const 0)))
 *     (i32.load (local.get 0)))
 *   ;; Locals pinned to registers (the loop makes them heavy) survive the
 *   ;; stub: acc sums k, k-1, ..., 1 while each round copies n bytes one
 *   ;; byte further.
 *   (func (export "pinned") (param $d i32) (param $s i32) (param $n i32) (param $k i32)
 *     (result i32)
 *     (local $acc i32)
 *     (loop $l
 *       (memory.copy (local.get $d) (local.get $s) (local.get $n))
 *       (local.set $acc (i32.add (local.get $acc) (local.get $k)))
 *       (local.set $d (i32.add (local.get $d) (i32.const 1)))
 *       (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
 *     (local.get $acc))
 *
 *   ;; Constant lengths up to 32 are copied inline (two overlapping pieces).
 *   (func (export "c1") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 1)))
 *   (func (export "f1") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 1)))
 *   (func (export "c2") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 2)))
 *   (func (export "f2") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 2)))
 *   (func (export "c3") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 3)))
 *   (func (export "f3") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 3)))
 *   (func (export "c5") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 5)))
 *   (func (export "f5") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 5)))
 *   (func (export "c8") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 8)))
 *   (func (export "f8") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 8)))
 *   (func (export "c13") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 13)))
 *   (func (export "f13") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 13)))
 *   (func (export "c16") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 16)))
 *   (func (export "f16") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 16)))
 *   (func (export "c27") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 27)))
 *   (func (export "f27") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 27)))
 *   (func (export "c32") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 32)))
 *   (func (export "f32") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 32)))
 *   (func (export "c33") (param i32 i32) (memory.copy (local.get 0) (local.get 1) (i32.const 33)))
 *   (func (export "f33") (param i32 i32) (memory.fill (local.get 0) (local.get 1) (i32.const 33)))
 *   (func (export "cconst") (memory.copy (i32.const 65528) (i32.const 65520) (i32.const 8)))
 *   (func (export "cconst_oob") (memory.copy (i32.const 65529) (i32.const 0) (i32.const 8)))
 *   (func (export "fconst") (memory.fill (i32.const 65504) (i32.const 0xa5) (i32.const 32))))
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "wasm/wasm.h"
#include "engine_fixture.h"
#include "wasm/compile.h"
#include "wasm/platform.h"
#include "wasm/x64/asm.h"

static const uint8_t module_bytes[] = {
   0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x2f, 0x07, 0x60,
   0x03, 0x7f, 0x7f, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x04,
   0x7f, 0x7f, 0x7f, 0x7c, 0x03, 0x7f, 0x7c, 0x7f, 0x60, 0x04, 0x7f, 0x7f,
   0x7f, 0x7e, 0x02, 0x7e, 0x7f, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01,
   0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x00, 0x00, 0x03, 0x1f, 0x1e,
   0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x05, 0x05, 0x05, 0x05,
   0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05,
   0x05, 0x05, 0x05, 0x06, 0x06, 0x06, 0x05, 0x04, 0x01, 0x01, 0x01, 0x02,
   0x07, 0xcc, 0x01, 0x1f, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x04, 0x63,
   0x6f, 0x70, 0x79, 0x00, 0x00, 0x04, 0x66, 0x69, 0x6c, 0x6c, 0x00, 0x01,
   0x05, 0x6f, 0x75, 0x74, 0x65, 0x72, 0x00, 0x02, 0x04, 0x67, 0x72, 0x6f,
   0x77, 0x00, 0x03, 0x04, 0x6b, 0x65, 0x65, 0x70, 0x00, 0x04, 0x08, 0x6b,
   0x65, 0x65, 0x70, 0x66, 0x69, 0x6c, 0x6c, 0x00, 0x05, 0x06, 0x70, 0x69,
   0x6e, 0x6e, 0x65, 0x64, 0x00, 0x06, 0x02, 0x63, 0x31, 0x00, 0x07, 0x02,
   0x66, 0x31, 0x00, 0x08, 0x02, 0x63, 0x32, 0x00, 0x09, 0x02, 0x66, 0x32,
   0x00, 0x0a, 0x02, 0x63, 0x33, 0x00, 0x0b, 0x02, 0x66, 0x33, 0x00, 0x0c,
   0x02, 0x63, 0x35, 0x00, 0x0d, 0x02, 0x66, 0x35, 0x00, 0x0e, 0x02, 0x63,
   0x38, 0x00, 0x0f, 0x02, 0x66, 0x38, 0x00, 0x10, 0x03, 0x63, 0x31, 0x33,
   0x00, 0x11, 0x03, 0x66, 0x31, 0x33, 0x00, 0x12, 0x03, 0x63, 0x31, 0x36,
   0x00, 0x13, 0x03, 0x66, 0x31, 0x36, 0x00, 0x14, 0x03, 0x63, 0x32, 0x37,
   0x00, 0x15, 0x03, 0x66, 0x32, 0x37, 0x00, 0x16, 0x03, 0x63, 0x33, 0x32,
   0x00, 0x17, 0x03, 0x66, 0x33, 0x32, 0x00, 0x18, 0x03, 0x63, 0x33, 0x33,
   0x00, 0x19, 0x03, 0x66, 0x33, 0x33, 0x00, 0x1a, 0x06, 0x63, 0x63, 0x6f,
   0x6e, 0x73, 0x74, 0x00, 0x1b, 0x0a, 0x63, 0x63, 0x6f, 0x6e, 0x73, 0x74,
   0x5f, 0x6f, 0x6f, 0x62, 0x00, 0x1c, 0x06, 0x66, 0x63, 0x6f, 0x6e, 0x73,
   0x74, 0x00, 0x1d, 0x0a, 0xcb, 0x03, 0x1e, 0x0c, 0x00, 0x20, 0x00, 0x20,
   0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00,
   0x20, 0x01, 0x20, 0x02, 0xfc, 0x0b, 0x00, 0x0b, 0x0a, 0x00, 0x20, 0x00,
   0x20, 0x01, 0x20, 0x02, 0x10, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40,
   0x00, 0x0b, 0x2b, 0x00, 0x20, 0x00, 0x41, 0x07, 0x6a, 0x20, 0x03, 0x44,
   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0xa0, 0x20, 0x00, 0x41,
   0x00, 0x6a, 0x20, 0x01, 0x41, 0x00, 0x6a, 0x20, 0x02, 0x41, 0x00, 0x6a,
   0xfc, 0x0a, 0x00, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x1e, 0x00,
   0x20, 0x03, 0x42, 0x03, 0x7e, 0x20, 0x00, 0x41, 0x00, 0x6a, 0x20, 0x01,
   0x41, 0x00, 0x6a, 0x20, 0x02, 0x41, 0x00, 0x6a, 0xfc, 0x0b, 0x00, 0x20,
   0x00, 0x28, 0x02, 0x00, 0x0b, 0x2a, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20,
   0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a, 0x00, 0x00, 0x20, 0x04, 0x20,
   0x03, 0x6a, 0x21, 0x04, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x20,
   0x03, 0x41, 0x01, 0x6b, 0x22, 0x03, 0x0d, 0x00, 0x0b, 0x20, 0x04, 0x0b,
   0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x01, 0xfc, 0x0a, 0x00, 0x00,
   0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x01, 0xfc, 0x0b, 0x00,
   0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x02, 0xfc, 0x0a, 0x00,
   0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x02, 0xfc, 0x0b,
   0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x03, 0xfc, 0x0a,
   0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x03, 0xfc,
   0x0b, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x05, 0xfc,
   0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x05,
   0xfc, 0x0b, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x08,
   0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41,
   0x08, 0xfc, 0x0b, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x41,
   0x0d, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01,
   0x41, 0x0d, 0xfc, 0x0b, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01,
   0x41, 0x10, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20,
   0x01, 0x41, 0x10, 0xfc, 0x0b, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20,
   0x01, 0x41, 0x1b, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00,
   0x20, 0x01, 0x41, 0x1b, 0xfc, 0x0b, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00,
   0x20, 0x01, 0x41, 0x20, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00, 0x20,
   0x00, 0x20, 0x01, 0x41, 0x20, 0xfc, 0x0b, 0x00, 0x0b, 0x0c, 0x00, 0x20,
   0x00, 0x20, 0x01, 0x41, 0x21, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0b, 0x00,
   0x20, 0x00, 0x20, 0x01, 0x41, 0x21, 0xfc, 0x0b, 0x00, 0x0b, 0x10, 0x00,
   0x41, 0xf8, 0xff, 0x03, 0x41, 0xf0, 0xff, 0x03, 0x41, 0x08, 0xfc, 0x0a,
   0x00, 0x00, 0x0b, 0x0e, 0x00, 0x41, 0xf9, 0xff, 0x03, 0x41, 0x00, 0x41,
   0x08, 0xfc, 0x0a, 0x00, 0x00, 0x0b, 0x0e, 0x00, 0x41, 0xe0, 0xff, 0x03,
   0x41, 0xa5, 0x01, 0x41, 0x20, 0xfc, 0x0b, 0x00, 0x0b, 0x00, 0x6b, 0x04,
   0x6e, 0x61, 0x6d, 0x65, 0x01, 0x14, 0x03, 0x00, 0x04, 0x63, 0x6f, 0x70,
   0x79, 0x01, 0x04, 0x66, 0x69, 0x6c, 0x6c, 0x02, 0x05, 0x6f, 0x75, 0x74,
   0x65, 0x72, 0x02, 0x4e, 0x1e, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x03,
   0x00, 0x04, 0x00, 0x05, 0x00, 0x06, 0x05, 0x00, 0x01, 0x64, 0x01, 0x01,
   0x73, 0x02, 0x01, 0x6e, 0x03, 0x01, 0x6b, 0x04, 0x03, 0x61, 0x63, 0x63,
   0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x0b, 0x00, 0x0c, 0x00,
   0x0d, 0x00, 0x0e, 0x00, 0x0f, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12, 0x00,
   0x13, 0x00, 0x14, 0x00, 0x15, 0x00, 0x16, 0x00, 0x17, 0x00, 0x18, 0x00,
   0x19, 0x00, 0x1a, 0x00, 0x1b, 0x00, 0x1c, 0x00, 0x1d, 0x00
};

/* ---- the stubs alone ---- */

#define MEM (128 * 1024)
#define AT 40000                 /* where the tested ranges start */

typedef void (*call_fn)(uint64_t *ctx, const uint32_t *args, uintptr_t stub);

typedef struct stubs {
    uint8_t *code;
    size_t size;
    uintptr_t copy, fill;
    call_fn call;
} stubs;

/* Emits the engine stubs for `cpu`, then a C-callable wrapper:
 * call(ctx, {dst, src or value, n}, stub) sets up r15 (the context: the
 * memory base and size) and r14 (the base) as compiled code has them,
 * loads the operands into edi, esi and eax, ecx, and calls the stub. */
static void make_stubs(stubs *s, unsigned cpu)
{
    x64_asm a;
    x64_init(&a);
    wasm_stub_offsets off;
    assert_int_equal(wasm_arch_emit_stubs(&a, &off, 0, 0, cpu), 0);
    uint32_t wrapper = (uint32_t)a.len;
    x64_push(&a, RBP);
    x64_mov_rr(&a, true, RBP, RSP);
    x64_push(&a, R14);
    x64_push(&a, R15);
    x64_mov_rr(&a, true, R15, RDI);
    x64_load(&a, true, R14, x64_m(R15, CTX_MEM_BASE));
    x64_mov_rr(&a, true, R11, RDX);
    x64_load(&a, false, RDI, x64_m(RSI, 0));
    x64_load(&a, false, RAX, x64_m(RSI, 4));
    x64_load(&a, false, RCX, x64_m(RSI, 8));
    x64_load(&a, false, RSI, x64_m(RSI, 4));
    x64_call_r(&a, R11);
    x64_pop(&a, R15);
    x64_pop(&a, R14);
    x64_pop(&a, RBP);
    x64_ret(&a);
    assert_int_equal(x64_resolve(&a), 0);
    s->size = (a.len + 4095) & ~(size_t)4095;
    s->code = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(s->code != MAP_FAILED);
    memcpy(s->code, a.buf, a.len);
    assert_int_equal(mprotect(s->code, s->size, PROT_READ | PROT_EXEC), 0);
    s->copy = (uintptr_t)s->code + off.copy;
    s->fill = (uintptr_t)s->code + off.fill;
    s->call = (call_fn)(void *)(s->code + wrapper);
    x64_free(&a);
}

static uint8_t pattern(uint32_t i) { return (uint8_t)(i * 131 + (i >> 7) + 1); }

static void reset(uint8_t *mem, uint8_t *ref, uint32_t lo, uint32_t hi)
{
    for (uint32_t i = lo; i < hi; i++)
        mem[i] = ref[i] = pattern(i);
}

static const uint32_t big_lengths[] = { 1000, 1023, 1024, 1025, 2047, 2048, 2049, 4095,
                                        4096, 4097, 10000, 20001 };

/* Length number k of the list: all of 0..600, then big_lengths. */
static bool length_at(uint32_t k, uint32_t *n)
{
    if (k <= 600) {
        *n = k;
        return true;
    }
    k -= 601;
    if (k >= sizeof big_lengths / sizeof big_lengths[0])
        return false;
    *n = big_lengths[k];
    return true;
}

static void check_stubs(unsigned cpu)
{
    stubs s;
    make_stubs(&s, cpu);
    uint8_t *mem = aligned_alloc(64, MEM), *ref = aligned_alloc(64, MEM);
    assert_non_null(mem);
    assert_non_null(ref);
    reset(mem, ref, 0, MEM);
    uint64_t ctx[4] = { (uint64_t)(uintptr_t)mem, MEM, 0, 0 };
    uint32_t n;
    for (uint32_t k = 0; length_at(k, &n); k++) {
        /* Every distance in -70..70 for short lengths (all the overlaps
         * and alignments), fewer for long ones, plus the edges of
         * overlapping: |dst - src| = n - 1, n, n + 1. */
        int32_t step = n > 600 ? 7 : 1;
        for (int32_t delta = -70 - 3; delta <= 70; delta += step) {
            int32_t dist = delta;
            if (delta < -70)
                dist = ((int32_t)n + delta + 72) * (k & 1 ? 1 : -1);   /* +-(n - 1, n, n + 1) */
            uint32_t src = AT + (k * 13) % 64, dst = (uint32_t)((int32_t)src + dist);
            uint32_t lo = (src < dst ? src : dst) - 64, hi = (src > dst ? src : dst) + n + 64;
            uint32_t args[3] = { dst, src, n };
            s.call(ctx, args, s.copy);
            memmove(ref + dst, ref + src, n);
            if (memcmp(mem + lo, ref + lo, hi - lo) != 0)
                fail_msg("copy dst %u src %u n %u (cpu %#x) differs from memmove", dst, src, n,
                         cpu);
            reset(mem, ref, lo, hi);
        }
        for (uint32_t off = 0; off < 64; off += n > 600 ? 5 : 1) {
            uint32_t dst = AT + off, val = (k * 37 + off) & 0xff;
            uint32_t args[3] = { dst, val | 0xabcd00u, n };   /* only the low byte counts */
            s.call(ctx, args, s.fill);
            memset(ref + dst, (int)val, n);
            if (memcmp(mem + dst - 64, ref + dst - 64, n + 128) != 0)
                fail_msg("fill dst %u val %u n %u (cpu %#x) differs from memset", dst, val, n, cpu);
            reset(mem, ref, dst - 64, dst + n + 64);
        }
    }
    /* The whole memory, and up to its very end. */
    uint32_t all[3] = { 0, 0, MEM };
    s.call(ctx, all, s.fill);
    for (uint32_t i = 0; i < MEM; i++)
        assert_int_equal(mem[i], 0);
    uint32_t end[3] = { MEM - 100, 7, 100 };
    s.call(ctx, end, s.fill);
    assert_int_equal(mem[MEM - 1], 7);
    assert_int_equal(mem[MEM - 101], 0);
    free(mem);
    free(ref);
    munmap(s.code, s.size);
}

static void test_stubs_sse(void **state)
{
    (void)state;
    check_stubs(0);
}

static void test_stubs_avx(void **state)
{
    (void)state;
    if (!(wasm_platform_cpu_features() & WASM_CPU_AVX))
        skip();
    check_stubs(WASM_CPU_AVX);
}

/* ---- through the engine ---- */

typedef struct fixture {
    wasm_engine *engine;
    wasm_module *module;
    wasm_instance *inst;
    uint8_t *mem;
} fixture;

static void setup(fixture *f, unsigned flags)
{
    f->engine = wasm_engine_new();
    assert_non_null(f->engine);
    f->module = ef_module(f->engine, module_bytes, sizeof module_bytes, flags);
    f->inst = ef_instance(f->module, NULL, 0);
    uint64_t size;
    f->mem = ef_memory(f->inst, "mem", &size);
    assert_int_equal(size, 65536);
}

static void teardown(fixture *f)
{
    wasm_instance_free(f->inst);
    wasm_module_free(f->module);
    wasm_engine_free(f->engine);
}

static wasm_val i32(uint32_t v) { wasm_val x = { .type = WASM_I32, .of.i32 = v }; return x; }

/* Calls export `name` with its (two or three) i32 arguments among a, b,
 * c; returns its result code and leaves the error in *err. */
static int call3(fixture *f, const char *name, uint32_t a, uint32_t b, uint32_t c,
                 wasm_error *err)
{
    wasm_func *fn = ef_func(f->inst, name);
    const uint8_t *pt, *rt;
    uint32_t np, nr;
    wasm_func_type(fn, &pt, &np, &rt, &nr);
    wasm_val args[3] = { i32(a), i32(b), i32(c) };
    return wasm_func_call(fn, args, np, NULL, 0, err);
}

static void expect_oob(fixture *f, const char *name, uint32_t a, uint32_t b, uint32_t c)
{
    static uint8_t before[2 * 65536];
    wasm_error err;
    memcpy(before, f->mem, 65536);
    if (call3(f, name, a, b, c, &err) != -1)
        fail_msg("%s(%u, %u, %u) did not trap", name, a, b, c);
    assert_int_equal(err.trap, WASM_TRAP_MEMORY_OOB);
    if (memcmp(before, f->mem, 65536) != 0)
        fail_msg("%s(%u, %u, %u) trapped but wrote", name, a, b, c);
}

static void expect_ok(fixture *f, const char *name, uint32_t a, uint32_t b, uint32_t c)
{
    wasm_error err;
    if (call3(f, name, a, b, c, &err) != 0)
        fail_msg("%s(%u, %u, %u): %s", name, a, b, c, err.message);
}

/* Constant lengths (inline up to 32, the stub for 33) at every distance
 * in -40..40 against memmove/memset, then at the end of the memory. */
static void check_inline(fixture *f)
{
    static const uint32_t lens[] = { 1, 2, 3, 5, 8, 13, 16, 27, 32, 33 };
    static uint8_t ref[65536];
    for (uint32_t i = 0; i < 65536; i++)
        f->mem[i] = ref[i] = pattern(i);
    for (uint32_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        uint32_t n = lens[k];
        char c[8], fl[8];
        snprintf(c, sizeof c, "c%u", n);
        snprintf(fl, sizeof fl, "f%u", n);
        for (int32_t dist = -40; dist <= 40; dist++) {
            uint32_t src = 1000 + k, dst = (uint32_t)((int32_t)src + dist);
            reset(f->mem, ref, 900, 1300);
            expect_ok(f, c, dst, src, 0);
            memmove(ref + dst, ref + src, n);
            expect_ok(f, fl, dst + 200, (uint32_t)dist + 0x300, 0);
            memset(ref + dst + 200, (dist + 0x300) & 0xff, n);
            if (memcmp(f->mem, ref, 4096) != 0)
                fail_msg("%s/%s at distance %d differ from memmove/memset", c, fl, dist);
        }
        expect_ok(f, c, 65536 - n, 0, 0);
        expect_ok(f, c, 0, 65536 - n, 0);
        expect_ok(f, fl, 65536 - n, 1, 0);
        expect_oob(f, c, 65536 - n + 1, 0, 0);
        expect_oob(f, c, 0, 65536 - n + 1, 0);
        expect_oob(f, c, 0xffffffffu, 0, 0);
        expect_oob(f, fl, 65536 - n + 1, 1, 0);
        expect_oob(f, fl, 0xfffffff0u, 1, 0);
    }
    wasm_error err;
    wasm_extern x;
    x = ef_export(f->inst, "cconst");
    memcpy(f->mem + 65520, "abcdefgh", 8);
    assert_int_equal(wasm_func_call(x.of.func, NULL, 0, NULL, 0, &err), 0);
    assert_memory_equal(f->mem + 65528, "abcdefgh", 8);
    x = ef_export(f->inst, "fconst");
    assert_int_equal(wasm_func_call(x.of.func, NULL, 0, NULL, 0, &err), 0);
    for (uint32_t i = 65504; i < 65536; i++)
        assert_int_equal(f->mem[i], 0xa5);
    x = ef_export(f->inst, "cconst_oob");
    memcpy(ref, f->mem, 65536);
    assert_int_equal(wasm_func_call(x.of.func, NULL, 0, NULL, 0, &err), -1);
    assert_int_equal(err.trap, WASM_TRAP_MEMORY_OOB);
    assert_memory_equal(f->mem, ref, 65536);
}

static void check_engine(unsigned flags)
{
    fixture f;
    setup(&f, flags);
    check_inline(&f);
    for (uint32_t i = 0; i < 65536; i++)
        f.mem[i] = pattern(i);

    /* Bounds: up to the end is fine, also with length 0 at the end. */
    expect_ok(&f, "copy", 65536 - 10, 100, 10);
    assert_int_equal(f.mem[65535], pattern(109));
    expect_ok(&f, "copy", 100, 65536 - 10, 10);
    expect_ok(&f, "copy", 65536, 65536, 0);
    expect_ok(&f, "fill", 65536 - 5, 9, 5);
    assert_int_equal(f.mem[65535], 9);
    expect_ok(&f, "fill", 65536, 1, 0);
    /* One past traps and writes nothing, whichever operand is out. */
    expect_oob(&f, "copy", 65537, 0, 0);
    expect_oob(&f, "copy", 0, 65537, 0);
    expect_oob(&f, "copy", 65536 - 99, 0, 100);
    expect_oob(&f, "copy", 0, 65536 - 99, 100);
    expect_oob(&f, "copy", 0, 0, 65537);
    expect_oob(&f, "copy", 0xffffffffu, 0, 1);
    expect_oob(&f, "copy", 1, 2, 0xffffffffu);
    expect_oob(&f, "fill", 65537, 1, 0);
    expect_oob(&f, "fill", 65536 - 4000, 1, 4001);
    expect_oob(&f, "fill", 0xffffffffu, 1, 0xffffffffu);

    /* The trap is reported in the function that copies, with its callers. */
    wasm_error err;
    assert_int_equal(call3(&f, "outer", 0, 65536, 1, &err), -1);
    assert_string_equal(err.message,
                        "out of bounds memory access in copy (wasm backtrace: copy <- outer)");

    /* After memory.grow the stubs see the new size. */
    wasm_extern x;
    x = ef_export(f.inst, "grow");
    wasm_val one = i32(1), r[3];
    assert_int_equal(wasm_func_call(x.of.func, &one, 1, r, 1, &err), 0);
    expect_ok(&f, "copy", 65536 + 1000, 0, 5000);
    assert_int_equal(f.mem[65536 + 1000 + 4999], f.mem[4999]);
    expect_ok(&f, "fill", 2 * 65536 - 3000, 0x5a, 3000);
    assert_int_equal(f.mem[2 * 65536 - 1], 0x5a);
    expect_oob(&f, "fill", 2 * 65536 - 3000, 0x5a, 3001);

    /* Values in the registers the stub clobbers survive, and operands
     * in each other's target registers are untangled. */
    x = ef_export(f.inst, "keep");
    memcpy(f.mem + 300, "0123456789abcdef", 16);
    wasm_val ka[4] = { i32(200), i32(300), i32(16), { .type = WASM_F64, .of.f64 = 0x4000000000000000ull } };
    assert_int_equal(wasm_func_call(x.of.func, ka, 4, r, 3, &err), 0);
    assert_int_equal(r[0].of.i32, 207);
    assert_int_equal(r[1].of.f64, 0x4008000000000000ull);        /* 2.0 + 1 = 3.0 */
    assert_memory_equal(f.mem + 200, "0123456789abcdef", 16);
    assert_int_equal(r[2].of.i32, 0x33323130);
    x = ef_export(f.inst, "keepfill");
    wasm_val fa[4] = { i32(400), i32(0xc3), i32(40), { .type = WASM_I64, .of.i64 = 5 } };
    assert_int_equal(wasm_func_call(x.of.func, fa, 4, r, 2, &err), 0);
    assert_int_equal(r[0].of.i64, 15);
    assert_int_equal(r[1].of.i32, 0xc3c3c3c3u);
    assert_int_equal(f.mem[439], 0xc3);
    assert_int_not_equal(f.mem[440], 0xc3);

    /* Pinned locals: 10 rounds sum 10 + 9 + ... + 1, each copy one
     * byte further (the last lands at 509..509+99). */
    x = ef_export(f.inst, "pinned");
    for (uint32_t i = 0; i < 1000; i++)
        f.mem[i] = pattern(i);
    wasm_val pa[4] = { i32(500), i32(700), i32(100), i32(10) };
    assert_int_equal(wasm_func_call(x.of.func, pa, 4, r, 1, &err), 0);
    assert_int_equal(r[0].of.i32, 55);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(f.mem[509 + i], pattern(700 + i));
    for (uint32_t i = 0; i < 9; i++)
        assert_int_equal(f.mem[500 + i], pattern(700));
    teardown(&f);
}

static void test_engine_guard(void **state) { (void)state; check_engine(0); }
static void test_engine_explicit(void **state) { (void)state; check_engine(WASM_MODULE_EXPLICIT_BOUNDS); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stubs_sse),
        cmocka_unit_test(test_stubs_avx),
        cmocka_unit_test(test_engine_guard),
        cmocka_unit_test(test_engine_explicit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
