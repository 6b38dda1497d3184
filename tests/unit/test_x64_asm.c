/* tests/unit/test_x64_asm.c: the x86-64 encoder (wasm/x64/asm.c) against
 * known encodings (each checked once with `objdump -D -b binary -mi386
 * -Mx86-64`): REX prefixes, ModRM/SIB corner cases (rsp/r12 bases need a
 * SIB, rbp/r13 bases need a displacement), immediates, SSE prefixes,
 * byte registers, labels and their fixups. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/x64/asm.h"

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static void expect(x64_asm *a, const uint8_t *want, size_t n)
{
    if (a->len != n || memcmp(a->buf, want, n) != 0) {
        char got[256] = "", exp[256] = "";
        for (size_t i = 0; i < a->len && i < 60; i++)
            sprintf(got + strlen(got), "%02x ", a->buf[i]);
        for (size_t i = 0; i < n && i < 60; i++)
            sprintf(exp + strlen(exp), "%02x ", want[i]);
        fail_msg("got  %s\nwant %s", got, exp);
    }
    x64_reset(a);
}

static void test_moves(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    x64_mov_rr(&a, true, RAX, RBX);
    expect(&a, BYTES(0x48, 0x8b, 0xc3));
    x64_mov_rr(&a, false, R15, R8);
    expect(&a, BYTES(0x45, 0x8b, 0xf8));
    x64_store(&a, true, x64_m(RSP, 8), RAX);
    expect(&a, BYTES(0x48, 0x89, 0x44, 0x24, 0x08));
    x64_load(&a, true, RAX, x64_m(RBP, -8));
    expect(&a, BYTES(0x48, 0x8b, 0x45, 0xf8));
    x64_load(&a, true, R11, x64_m(R13, 0));
    expect(&a, BYTES(0x4d, 0x8b, 0x5d, 0x00));
    x64_load(&a, false, RAX, x64_mi(R14, RCX, 1, 0x10));
    expect(&a, BYTES(0x41, 0x8b, 0x44, 0x0e, 0x10));
    x64_load(&a, true, RAX, x64_m(R12, 0x100));
    expect(&a, BYTES(0x49, 0x8b, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00));
    x64_lea(&a, true, RAX, x64_mi(RBP, R12, 8, 0));
    expect(&a, BYTES(0x4a, 0x8d, 0x44, 0xe5, 0x00));
    x64_lea(&a, true, R11, x64_m(RSP, -16));
    expect(&a, BYTES(0x4c, 0x8d, 0x5c, 0x24, 0xf0));
    x64_mov_ri(&a, true, RAX, 0x123456789ull);
    expect(&a, BYTES(0x48, 0xb8, 0x89, 0x67, 0x45, 0x23, 0x01, 0x00, 0x00, 0x00));
    x64_mov_ri(&a, false, RAX, 5);
    expect(&a, BYTES(0xb8, 0x05, 0x00, 0x00, 0x00));
    x64_mov_ri(&a, true, R9, 5);
    expect(&a, BYTES(0x41, 0xb9, 0x05, 0x00, 0x00, 0x00));
    x64_mov_ri(&a, true, RAX, ~0ull);
    expect(&a, BYTES(0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff));
    x64_mov_ri(&a, true, RCX, 0);
    expect(&a, BYTES(0x33, 0xc9));
    x64_store8(&a, x64_m(RAX, 0), RSI);
    expect(&a, BYTES(0x40, 0x88, 0x30));
    x64_store16(&a, x64_m(RAX, 0), R9);
    expect(&a, BYTES(0x66, 0x44, 0x89, 0x08));
    x64_load8s(&a, true, RDX, x64_m(RCX, 1));
    expect(&a, BYTES(0x48, 0x0f, 0xbe, 0x51, 0x01));
    x64_load32s(&a, RAX, x64_mi(R11, RAX, 4, 0));
    expect(&a, BYTES(0x49, 0x63, 0x04, 0x83));
    x64_store_i32(&a, true, x64_m(RBP, -24), -1);
    expect(&a, BYTES(0x48, 0xc7, 0x45, 0xe8, 0xff, 0xff, 0xff, 0xff));
    x64_free(&a);
}

static void test_alu(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    x64_alu_ri(&a, ALU_ADD, false, RAX, 1);
    expect(&a, BYTES(0x83, 0xc0, 0x01));
    x64_alu_ri(&a, ALU_ADD, true, RAX, 0x1000);
    expect(&a, BYTES(0x48, 0x81, 0xc0, 0x00, 0x10, 0x00, 0x00));
    x64_alu_rm(&a, ALU_CMP, true, R11, x64_m(RAX, 0));
    expect(&a, BYTES(0x4c, 0x3b, 0x18));
    x64_alu_rr(&a, ALU_XOR, false, RAX, RAX);
    expect(&a, BYTES(0x33, 0xc0));
    x64_alu_rr(&a, ALU_SUB, true, R12, R13);
    expect(&a, BYTES(0x4d, 0x2b, 0xe5));
    x64_alu_mi(&a, ALU_CMP, false, x64_m(R11, 16), 7);
    expect(&a, BYTES(0x41, 0x83, 0x7b, 0x10, 0x07));
    x64_test_rr(&a, true, RCX, RCX);
    expect(&a, BYTES(0x48, 0x85, 0xc9));
    x64_test_ri(&a, false, RAX, 1);
    expect(&a, BYTES(0xf6, 0xc0, 0x01));
    x64_test_ri(&a, true, RDI, 0x80);
    expect(&a, BYTES(0x40, 0xf6, 0xc7, 0x80));
    x64_test_ri(&a, false, R10, 0xff);
    expect(&a, BYTES(0x41, 0xf6, 0xc2, 0xff));
    x64_test_ri(&a, true, RCX, -256);
    expect(&a, BYTES(0x48, 0xf7, 0xc1, 0x00, 0xff, 0xff, 0xff));
    x64_test_ri(&a, false, R12, 0x100);
    expect(&a, BYTES(0x41, 0xf7, 0xc4, 0x00, 0x01, 0x00, 0x00));
    x64_imul_rr(&a, false, RAX, R10);
    expect(&a, BYTES(0x41, 0x0f, 0xaf, 0xc2));
    x64_imul_rri(&a, true, RCX, RCX, 1000);
    expect(&a, BYTES(0x48, 0x69, 0xc9, 0xe8, 0x03, 0x00, 0x00));
    x64_div(&a, true, true, RCX);
    expect(&a, BYTES(0x48, 0xf7, 0xf9));
    x64_div(&a, false, false, R8);
    expect(&a, BYTES(0x41, 0xf7, 0xf0));
    x64_mul_wide(&a, true, false, R11);
    expect(&a, BYTES(0x49, 0xf7, 0xe3));
    x64_mul_wide(&a, true, true, RSI);
    expect(&a, BYTES(0x48, 0xf7, 0xee));
    x64_mul_wide(&a, false, false, RCX);
    expect(&a, BYTES(0xf7, 0xe1));
    x64_cdq(&a, true);
    expect(&a, BYTES(0x48, 0x99));
    x64_shift_ri(&a, SH_SHL, true, R11, 1);
    expect(&a, BYTES(0x49, 0xc1, 0xe3, 0x01));
    x64_shift_cl(&a, SH_SAR, false, RDX);
    expect(&a, BYTES(0xd3, 0xfa));
    x64_setcc(&a, CC_E, RSI);
    expect(&a, BYTES(0x40, 0x0f, 0x94, 0xc6));
    x64_setcc(&a, CC_NP, R11);
    expect(&a, BYTES(0x41, 0x0f, 0x9b, 0xc3));
    x64_movzx8_rr(&a, RSI, RSI);
    expect(&a, BYTES(0x40, 0x0f, 0xb6, 0xf6));
    x64_movzx16_rr(&a, RAX, R12);
    expect(&a, BYTES(0x41, 0x0f, 0xb7, 0xc4));
    x64_movzx8_rr(&a, RAX, R13);
    expect(&a, BYTES(0x41, 0x0f, 0xb6, 0xc5));
    x64_cmov(&a, CC_E, true, RAX, RBX);
    expect(&a, BYTES(0x48, 0x0f, 0x44, 0xc3));
    x64_popcnt(&a, true, RAX, RCX);
    expect(&a, BYTES(0xf3, 0x48, 0x0f, 0xb8, 0xc1));
    x64_lzcnt(&a, false, RAX, RCX);
    expect(&a, BYTES(0xf3, 0x0f, 0xbd, 0xc1));
    x64_bsf(&a, true, RAX, RCX);
    expect(&a, BYTES(0x48, 0x0f, 0xbc, 0xc1));
    x64_btc_ri(&a, true, R11, 63);
    expect(&a, BYTES(0x49, 0x0f, 0xba, 0xfb, 0x3f));
    x64_movsxd_rr(&a, RAX, RAX);
    expect(&a, BYTES(0x48, 0x63, 0xc0));
    x64_push(&a, R12);
    x64_pop(&a, RBP);
    x64_leave(&a);
    x64_ret(&a);
    expect(&a, BYTES(0x41, 0x54, 0x5d, 0xc9, 0xc3));
    x64_call_m(&a, x64_m(R11, 0));
    expect(&a, BYTES(0x41, 0xff, 0x13));
    x64_free(&a);
}

static void test_sse(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    x64_sse_rr(&a, true, SSE_ADD, 1, 2);
    expect(&a, BYTES(0xf2, 0x0f, 0x58, 0xca));
    x64_sse_rr(&a, false, SSE_ADD, 8, 9);
    expect(&a, BYTES(0xf3, 0x45, 0x0f, 0x58, 0xc1));
    x64_sse_rm(&a, false, SSE_MUL, 0, x64_m(RBP, -16));
    expect(&a, BYTES(0xf3, 0x0f, 0x59, 0x45, 0xf0));
    x64_movd_xr(&a, true, 0, RAX);
    expect(&a, BYTES(0x66, 0x48, 0x0f, 0x6e, 0xc0));
    x64_movd_rx(&a, false, RAX, 1);
    expect(&a, BYTES(0x66, 0x0f, 0x7e, 0xc8));
    x64_movd_rx(&a, true, R11, 15);
    expect(&a, BYTES(0x66, 0x4d, 0x0f, 0x7e, 0xfb));
    x64_round(&a, true, 0, 1, 9);
    expect(&a, BYTES(0x66, 0x0f, 0x3a, 0x0b, 0xc1, 0x09));
    x64_cvttf2si(&a, true, true, RAX, 0);
    expect(&a, BYTES(0xf2, 0x48, 0x0f, 0x2c, 0xc0));
    x64_cvtsi2f(&a, false, false, 3, R10);
    expect(&a, BYTES(0xf3, 0x41, 0x0f, 0x2a, 0xda));
    x64_ucomis(&a, true, 0, 1);
    expect(&a, BYTES(0x66, 0x0f, 0x2e, 0xc1));
    x64_ucomis(&a, false, 0, 15);
    expect(&a, BYTES(0x41, 0x0f, 0x2e, 0xc7));
    x64_fstore(&a, false, x64_m(RBP, -16), 3);
    expect(&a, BYTES(0xf3, 0x0f, 0x11, 0x5d, 0xf0));
    x64_fload(&a, true, 2, x64_mi(R14, RAX, 1, 0));
    expect(&a, BYTES(0xf2, 0x41, 0x0f, 0x10, 0x14, 0x06));
    x64_sse_logic(&a, true, SSE_AND, 0, 1);
    expect(&a, BYTES(0x66, 0x0f, 0x54, 0xc1));
    x64_sse_logic(&a, false, SSE_XOR, 4, 4);
    expect(&a, BYTES(0x0f, 0x57, 0xe4));
    x64_cvtf2f(&a, true, 0, 0);
    expect(&a, BYTES(0xf2, 0x0f, 0x5a, 0xc0));
    x64_free(&a);
}

/* The string and AVX instructions of the memory.copy/fill stubs
 * (bytes from GNU as, with {vex3} for the three-byte VEX form). */
static void test_bulk(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    x64_rep_movsb(&a);
    expect(&a, BYTES(0xf3, 0xa4));
    x64_rep_stosb(&a);
    expect(&a, BYTES(0xf3, 0xaa));
    x64_vex_m(&a, 2, 1, true, 0x6f, 1, x64_m(RSI, 0));            /* vmovdqu ymm1, [rsi] */
    expect(&a, BYTES(0xc4, 0xe1, 0x7e, 0x6f, 0x0e));
    x64_vex_m(&a, 2, 1, true, 0x6f, 15, x64_mi(RSI, RCX, 1, -32));
    expect(&a, BYTES(0xc4, 0x61, 0x7e, 0x6f, 0x7c, 0x0e, 0xe0));
    x64_vex_m(&a, 2, 1, true, 0x7f, 15, x64_mi(RDI, R11, 1, 0));  /* vmovdqu [rdi+r11], ymm15 */
    expect(&a, BYTES(0xc4, 0x21, 0x7e, 0x7f, 0x3c, 0x1f));
    x64_vex_m(&a, 2, 1, true, 0x7f, 0, x64_mi(RDI, RAX, 1, 0x60));
    expect(&a, BYTES(0xc4, 0xe1, 0x7e, 0x7f, 0x44, 0x07, 0x60));
    x64_vex_rri(&a, 1, 3, true, 0x18, 15, 15, 15, 1);            /* vinsertf128 ymm15, ymm15, xmm15, 1 */
    expect(&a, BYTES(0xc4, 0x43, 0x05, 0x18, 0xff, 0x01));
    x64_vzeroupper(&a);
    expect(&a, BYTES(0xc5, 0xf8, 0x77));
    x64_free(&a);
}

static void test_labels(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    uint32_t fwd = x64_label(&a), back = x64_label(&a);
    x64_bind(&a, back);
    x64_jmp(&a, fwd);              /* e9 rel32 -> +6 (over the jcc) */
    x64_jcc(&a, CC_NE, back);      /* 0f 85 rel32 -> -11 */
    x64_bind(&a, fwd);
    assert_int_equal(x64_resolve(&a), 0);
    expect(&a, BYTES(0xe9, 0x06, 0x00, 0x00, 0x00, 0x0f, 0x85, 0xf5, 0xff, 0xff, 0xff));

    uint32_t unbound = x64_label(&a);
    x64_call_label(&a, unbound);
    assert_int_equal(x64_resolve(&a), -1);
    x64_reset(&a);

    /* A jump table entry is relative to the table's own label. */
    uint32_t table = x64_label(&a), target = x64_label(&a);
    x64_lea_rip(&a, R11, table);   /* 4c 8d 1d rel32 -> +0 */
    x64_bind(&a, table);
    x64_label_diff(&a, target, table);
    x64_ret(&a);
    x64_bind(&a, target);
    assert_int_equal(x64_resolve(&a), 0);
    expect(&a, BYTES(0x4c, 0x8d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0xc3));
    x64_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moves),
        cmocka_unit_test(test_alu),
        cmocka_unit_test(test_sse),
        cmocka_unit_test(test_bulk),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
