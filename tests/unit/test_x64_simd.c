/* tests/unit/test_x64_simd.c: the packed SSE encoder (wasm/x64/asm_simd.c)
 * against known encodings. Each byte string was checked against GNU as
 * (`as` on the Intel-syntax text in the comment, compared through
 * `objdump -D -b binary -mi386:x86-64 -Mintel`); pextrw to a register uses
 * the SSE4.1 form 66 0F 3A 15 where as picks 66 0F C5, same instruction.
 * Covers the prefixes (none, 66, F2, F3), two- and three-byte opcodes,
 * REX.R/B/X/W with xmm8-15 and r8-15, immediates, the lane moves whose
 * xmm operand is in the reg field (pextr*), and memory operands. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "wasm/x64/asm_simd.h"

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static void expect(x64_asm *a, const char *what, const uint8_t *want, size_t n)
{
    if (a->len != n || memcmp(a->buf, want, n) != 0) {
        char got[128] = "", exp[128] = "";
        for (size_t i = 0; i < a->len && i < 30; i++)
            sprintf(got + strlen(got), "%02x ", a->buf[i]);
        for (size_t i = 0; i < n && i < 30; i++)
            sprintf(exp + strlen(exp), "%02x ", want[i]);
        fail_msg("%s:\ngot  %s\nwant %s", what, got, exp);
    }
    x64_reset(a);
}

#define CHECK(call, text, ...) do { call; expect(&a, text, BYTES(__VA_ARGS__)); } while (0)

static void test_register_forms(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    CHECK(x64_sse(&a, P_PADDB, 1, 2), "paddb xmm1, xmm2",
          0x66, 0x0f, 0xfc, 0xca);
    CHECK(x64_sse(&a, P_PADDQ, 9, 2), "paddq xmm9, xmm2",
          0x66, 0x44, 0x0f, 0xd4, 0xca);
    CHECK(x64_sse(&a, P_PSUBUSW, 0, 15), "psubusw xmm0, xmm15",
          0x66, 0x41, 0x0f, 0xd9, 0xc7);
    CHECK(x64_sse(&a, P_PMULLD, 3, 12), "pmulld xmm3, xmm12",
          0x66, 0x41, 0x0f, 0x38, 0x40, 0xdc);
    CHECK(x64_sse(&a, P_PMULDQ, 8, 8), "pmuldq xmm8, xmm8",
          0x66, 0x45, 0x0f, 0x38, 0x28, 0xc0);
    CHECK(x64_sse(&a, P_PMADDUBSW, 2, 3), "pmaddubsw xmm2, xmm3",
          0x66, 0x0f, 0x38, 0x04, 0xd3);
    CHECK(x64_sse(&a, P_PMULHRSW, 4, 5), "pmulhrsw xmm4, xmm5",
          0x66, 0x0f, 0x38, 0x0b, 0xe5);
    CHECK(x64_sse(&a, P_PMINSB, 1, 2), "pminsb xmm1, xmm2",
          0x66, 0x0f, 0x38, 0x38, 0xca);
    CHECK(x64_sse(&a, P_PMAXUD, 14, 1), "pmaxud xmm14, xmm1",
          0x66, 0x44, 0x0f, 0x38, 0x3f, 0xf1);
    CHECK(x64_sse(&a, P_PABSD, 7, 6), "pabsd xmm7, xmm6",
          0x66, 0x0f, 0x38, 0x1e, 0xfe);
    CHECK(x64_sse(&a, P_PCMPEQQ, 15, 15), "pcmpeqq xmm15, xmm15",
          0x66, 0x45, 0x0f, 0x38, 0x29, 0xff);
    CHECK(x64_sse(&a, P_PCMPGTW, 1, 0), "pcmpgtw xmm1, xmm0",
          0x66, 0x0f, 0x65, 0xc8);
    CHECK(x64_sse(&a, P_PANDN, 2, 10), "pandn xmm2, xmm10",
          0x66, 0x41, 0x0f, 0xdf, 0xd2);
    CHECK(x64_sse(&a, P_PTEST, 15, 15), "ptest xmm15, xmm15",
          0x66, 0x45, 0x0f, 0x38, 0x17, 0xff);
    CHECK(x64_sse(&a, P_PSHUFB, 3, 15), "pshufb xmm3, xmm15",
          0x66, 0x41, 0x0f, 0x38, 0x00, 0xdf);
    CHECK(x64_sse_i(&a, P_PSHUFD, 1, 2, 0xf5), "pshufd xmm1, xmm2, 0xf5",
          0x66, 0x0f, 0x70, 0xca, 0xf5);
    CHECK(x64_sse_i(&a, P_PSHUFLW, 9, 9, 0), "pshuflw xmm9, xmm9, 0",
          0xf2, 0x45, 0x0f, 0x70, 0xc9, 0x00);
    CHECK(x64_sse_i(&a, P_SHUFPS, 0, 15, 0x88), "shufps xmm0, xmm15, 0x88",
          0x41, 0x0f, 0xc6, 0xc7, 0x88);
    CHECK(x64_sse_i(&a, P_PBLENDW, 15, 4, 0x55), "pblendw xmm15, xmm4, 0x55",
          0x66, 0x44, 0x0f, 0x3a, 0x0e, 0xfc, 0x55);
    CHECK(x64_sse(&a, P_PUNPCKLQDQ, 5, 5), "punpcklqdq xmm5, xmm5",
          0x66, 0x0f, 0x6c, 0xed);
    CHECK(x64_sse(&a, P_PUNPCKHBW, 11, 11), "punpckhbw xmm11, xmm11",
          0x66, 0x45, 0x0f, 0x68, 0xdb);
    CHECK(x64_sse(&a, P_UNPCKLPS, 2, 15), "unpcklps xmm2, xmm15",
          0x41, 0x0f, 0x14, 0xd7);
    CHECK(x64_sse(&a, P_UNPCKLPD, 2, 3), "unpcklpd xmm2, xmm3",
          0x66, 0x0f, 0x14, 0xd3);
    CHECK(x64_sse(&a, P_PACKUSDW, 1, 2), "packusdw xmm1, xmm2",
          0x66, 0x0f, 0x38, 0x2b, 0xca);
    CHECK(x64_sse(&a, P_PACKSSWB, 8, 9), "packsswb xmm8, xmm9",
          0x66, 0x45, 0x0f, 0x63, 0xc1);
    CHECK(x64_sse(&a, P_PMOVSXBW, 1, 1), "pmovsxbw xmm1, xmm1",
          0x66, 0x0f, 0x38, 0x20, 0xc9);
    CHECK(x64_sse(&a, P_PMOVZXDQ, 13, 2), "pmovzxdq xmm13, xmm2",
          0x66, 0x44, 0x0f, 0x38, 0x35, 0xea);
    CHECK(x64_sse(&a, P_PSRAW, 1, 15), "psraw xmm1, xmm15",
          0x66, 0x41, 0x0f, 0xe1, 0xcf);
    CHECK(x64_sse(&a, P_PSLLQ, 10, 15), "psllq xmm10, xmm15",
          0x66, 0x45, 0x0f, 0xf3, 0xd7);
    CHECK(x64_sse_shift(&a, PS_SRAD, 15, 31), "psrad xmm15, 31",
          0x66, 0x41, 0x0f, 0x72, 0xe7, 0x1f);
    CHECK(x64_sse_shift(&a, PS_SLLQ, 3, 63), "psllq xmm3, 63",
          0x66, 0x0f, 0x73, 0xf3, 0x3f);
    CHECK(x64_sse_shift(&a, PS_SRLW, 9, 8), "psrlw xmm9, 8",
          0x66, 0x41, 0x0f, 0x71, 0xd1, 0x08);
    CHECK(x64_sse_shift(&a, PS_SRLDQ, 2, 8), "psrldq xmm2, 8",
          0x66, 0x0f, 0x73, 0xda, 0x08);
    x64_free(&a);
}

static void test_lanes_and_floats(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    CHECK(x64_sse_i(&a, P_PINSRB, 1, RAX, 15), "pinsrb xmm1, eax, 15",
          0x66, 0x0f, 0x3a, 0x20, 0xc8, 0x0f);
    CHECK(x64_sse_i(&a, P_PINSRD, 9, R10, 3), "pinsrd xmm9, r10d, 3",
          0x66, 0x45, 0x0f, 0x3a, 0x22, 0xca, 0x03);
    CHECK(x64_sse_wi(&a, P_PINSRD, 2, R11, 1), "pinsrq xmm2, r11, 1",
          0x66, 0x49, 0x0f, 0x3a, 0x22, 0xd3, 0x01);
    CHECK(x64_sse_i(&a, P_PINSRW, 0, RSI, 7), "pinsrw xmm0, esi, 7",
          0x66, 0x0f, 0xc4, 0xc6, 0x07);
    CHECK(x64_sse_i(&a, P_PEXTRB, 1, RDI, 3), "pextrb edi, xmm1, 3",
          0x66, 0x0f, 0x3a, 0x14, 0xcf, 0x03);
    CHECK(x64_sse_i(&a, P_PEXTRW, 12, R9, 7), "pextrw r9d, xmm12, 7",
          0x66, 0x45, 0x0f, 0x3a, 0x15, 0xe1, 0x07);
    CHECK(x64_sse_i(&a, P_PEXTRD, 2, RAX, 2), "pextrd eax, xmm2, 2",
          0x66, 0x0f, 0x3a, 0x16, 0xd0, 0x02);
    CHECK(x64_sse_wi(&a, P_PEXTRD, 8, RCX, 1), "pextrq rcx, xmm8, 1",
          0x66, 0x4c, 0x0f, 0x3a, 0x16, 0xc1, 0x01);
    CHECK(x64_sse_i(&a, P_INSERTPS, 1, 2, 0x30), "insertps xmm1, xmm2, 0x30",
          0x66, 0x0f, 0x3a, 0x21, 0xca, 0x30);
    CHECK(x64_sse(&a, P_PMOVMSKB, RAX, 3), "pmovmskb eax, xmm3",
          0x66, 0x0f, 0xd7, 0xc3);
    CHECK(x64_sse(&a, P_MOVMSKPS, R8, 9), "movmskps r8d, xmm9",
          0x45, 0x0f, 0x50, 0xc1);
    CHECK(x64_sse(&a, P_MOVMSKPD, RDX, 1), "movmskpd edx, xmm1",
          0x66, 0x0f, 0x50, 0xd1);
    CHECK(x64_sse(&a, P_MOVSD, 1, 2), "movsd xmm1, xmm2",
          0xf2, 0x0f, 0x10, 0xca);
    CHECK(x64_sse(&a, P_MOVHLPS, 4, 4), "movhlps xmm4, xmm4",
          0x0f, 0x12, 0xe4);
    CHECK(x64_sse(&a, P_ADDPS, 1, 2), "addps xmm1, xmm2",
          0x0f, 0x58, 0xca);
    CHECK(x64_sse(&a, P_SUBPD, 15, 1), "subpd xmm15, xmm1",
          0x66, 0x44, 0x0f, 0x5c, 0xf9);
    CHECK(x64_sse(&a, P_MINPS, 15, 0), "minps xmm15, xmm0",
          0x44, 0x0f, 0x5d, 0xf8);
    CHECK(x64_sse(&a, P_MAXPD, 3, 4), "maxpd xmm3, xmm4",
          0x66, 0x0f, 0x5f, 0xdc);
    CHECK(x64_sse(&a, P_SQRTPD, 5, 5), "sqrtpd xmm5, xmm5",
          0x66, 0x0f, 0x51, 0xed);
    CHECK(x64_sse(&a, P_ANDNPS, 1, 15), "andnps xmm1, xmm15",
          0x41, 0x0f, 0x55, 0xcf);
    CHECK(x64_sse_i(&a, P_CMPPS, 15, 15, CMP_EQ), "cmpps xmm15, xmm15, 0",
          0x45, 0x0f, 0xc2, 0xff, 0x00);
    CHECK(x64_sse_i(&a, P_CMPPD, 1, 15, CMP_UNORD), "cmppd xmm1, xmm15, 3",
          0x66, 0x41, 0x0f, 0xc2, 0xcf, 0x03);
    CHECK(x64_sse_i(&a, P_ROUNDPS, 2, 2, 10), "roundps xmm2, xmm2, 10",
          0x66, 0x0f, 0x3a, 0x08, 0xd2, 0x0a);
    CHECK(x64_sse_i(&a, P_ROUNDPD, 9, 9, 11), "roundpd xmm9, xmm9, 11",
          0x66, 0x45, 0x0f, 0x3a, 0x09, 0xc9, 0x0b);
    CHECK(x64_sse(&a, P_CVTDQ2PS, 1, 1), "cvtdq2ps xmm1, xmm1",
          0x0f, 0x5b, 0xc9);
    CHECK(x64_sse(&a, P_CVTTPS2DQ, 2, 3), "cvttps2dq xmm2, xmm3",
          0xf3, 0x0f, 0x5b, 0xd3);
    CHECK(x64_sse(&a, P_CVTPS2PD, 4, 4), "cvtps2pd xmm4, xmm4",
          0x0f, 0x5a, 0xe4);
    CHECK(x64_sse(&a, P_CVTPD2PS, 4, 4), "cvtpd2ps xmm4, xmm4",
          0x66, 0x0f, 0x5a, 0xe4);
    CHECK(x64_sse(&a, P_CVTDQ2PD, 8, 0), "cvtdq2pd xmm8, xmm0",
          0xf3, 0x44, 0x0f, 0xe6, 0xc0);
    CHECK(x64_sse(&a, P_CVTTPD2DQ, 0, 8), "cvttpd2dq xmm0, xmm8",
          0x66, 0x41, 0x0f, 0xe6, 0xc0);
    CHECK(x64_sse_m(&a, P_MOVDQU_LOAD, 1, x64_m(RBP, -40)), "movdqu xmm1, [rbp-40]",
          0xf3, 0x0f, 0x6f, 0x4d, 0xd8);
    x64_free(&a);
}

static void test_memory_forms(void **state)
{
    (void)state;
    x64_asm a;
    x64_init(&a);
    CHECK(x64_sse_m(&a, P_MOVDQU_STORE, 15, x64_m(RSP, 16)), "movdqu [rsp+16], xmm15",
          0xf3, 0x44, 0x0f, 0x7f, 0x7c, 0x24, 0x10);
    CHECK(x64_sse_m(&a, P_MOVDQU_LOAD, 9, x64_mi(R14, RAX, 1, 0x10)), "movdqu xmm9, [r14+rax+0x10]",
          0xf3, 0x45, 0x0f, 0x6f, 0x4c, 0x06, 0x10);
    CHECK(x64_sse_m(&a, P_MOVD_LOAD, 2, x64_mi(R14, R11, 1, 0)), "movd xmm2, [r14+r11]",
          0x66, 0x43, 0x0f, 0x6e, 0x14, 0x1e);
    CHECK(x64_sse_m(&a, P_MOVQ_LOAD, 3, x64_m(R14, 8)), "movq xmm3, [r14+8]",
          0xf3, 0x41, 0x0f, 0x7e, 0x5e, 0x08);
    CHECK(x64_sse_m(&a, P_PMOVSXWD, 4, x64_mi(R14, RSI, 1, 0)), "pmovsxwd xmm4, [r14+rsi]",
          0x66, 0x41, 0x0f, 0x38, 0x23, 0x24, 0x36);
    CHECK(x64_sse_mi(&a, P_PINSRB, false, 5, x64_mi(R14, RDI, 1, 1), 0), "pinsrb xmm5, byte ptr [r14+rdi+1], 0",
          0x66, 0x41, 0x0f, 0x3a, 0x20, 0x6c, 0x3e, 0x01, 0x00);
    CHECK(x64_sse_mi(&a, P_PINSRW, false, 5, x64_m(R14, 2), 3), "pinsrw xmm5, word ptr [r14+2], 3",
          0x66, 0x41, 0x0f, 0xc4, 0x6e, 0x02, 0x03);
    CHECK(x64_sse_mi(&a, P_PINSRD, true, 6, x64_m(R14, 0), 1), "pinsrq xmm6, qword ptr [r14], 1",
          0x66, 0x49, 0x0f, 0x3a, 0x22, 0x36, 0x01);
    CHECK(x64_sse_mi(&a, P_PEXTRB, false, 7, x64_mi(R14, RAX, 1, 0), 15), "pextrb byte ptr [r14+rax], xmm7, 15",
          0x66, 0x41, 0x0f, 0x3a, 0x14, 0x3c, 0x06, 0x0f);
    CHECK(x64_sse_mi(&a, P_PEXTRW, false, 8, x64_m(R14, 0), 1), "pextrw word ptr [r14], xmm8, 1",
          0x66, 0x45, 0x0f, 0x3a, 0x15, 0x06, 0x01);
    CHECK(x64_sse_mi(&a, P_PEXTRD, false, 0, x64_m(R14, 4), 2), "pextrd dword ptr [r14+4], xmm0, 2",
          0x66, 0x41, 0x0f, 0x3a, 0x16, 0x46, 0x04, 0x02);
    CHECK(x64_sse_mi(&a, P_PEXTRD, true, 10, x64_mi(R14, R11, 1, 0), 1), "pextrq qword ptr [r14+r11], xmm10, 1",
          0x66, 0x4f, 0x0f, 0x3a, 0x16, 0x14, 0x1e, 0x01);
    x64_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_forms),
        cmocka_unit_test(test_lanes_and_floats),
        cmocka_unit_test(test_memory_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
