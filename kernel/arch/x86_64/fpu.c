/* kernel/arch/x86_64/fpu.c: XSAVE/FXSAVE of the SIMD state. */
#include "kernel/arch/x86_64/fpu.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/kprintf.h"
#include "lib/string.h"

#define XCR0_X87 1ull
#define XCR0_SSE 2ull
#define XCR0_AVX 4ull

static int use_xsave;
static uint64_t area_size = 512;
static uint64_t xcr0;

static void xsetbv(uint32_t reg, uint64_t v)
{
    __asm__ volatile("xsetbv" :: "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

void fpu_init(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (r[2] & (1u << 26)) {                   /* XSAVE */
        write_cr4(read_cr4() | CR4_OSXSAVE);
        xcr0 = XCR0_X87 | XCR0_SSE;
        if (r[2] & (1u << 28))                 /* AVX */
            xcr0 |= XCR0_AVX;
        xsetbv(0, xcr0);
        cpuid(0xd, 0, r);
        area_size = r[1];                      /* for the features enabled in XCR0 */
        use_xsave = 1;
    }
    kprintf("fpu: %s, %lu-byte save area%s\n", use_xsave ? "XSAVE" : "FXSAVE", area_size,
            xcr0 & XCR0_AVX ? ", AVX state included" : "");
}

uint64_t fpu_area_size(void)
{
    return area_size;
}

int fpu_uses_xsave(void)
{
    return use_xsave;
}

void fpu_area_init(void *area)
{
    uint8_t *a = area;
    lib_memset(a, 0, area_size);
    a[0] = 0x7f;                    /* x87 control word 0x037f */
    a[1] = 0x03;
    a[24] = 0x80;                   /* MXCSR 0x1f80: every exception masked */
    a[25] = 0x1f;
    /* XSAVE header (bytes 512..575) all zero: every component in its
     * initial state, except MXCSR which XRSTOR takes from the area. */
}

void fpu_save(void *area)
{
    if (use_xsave)
        __asm__ volatile("xsave64 (%0)" :: "r"(area), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)) : "memory");
    else
        __asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
    if (use_xsave)
        __asm__ volatile("xrstor64 (%0)" :: "r"(area), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)) : "memory");
    else
        __asm__ volatile("fxrstor64 (%0)" :: "r"(area) : "memory");
}
