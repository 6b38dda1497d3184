/* kernel/multiboot.c: reading the Multiboot 1 information structure. */
#include "kernel/multiboot.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/kprintf.h"
#include "lib/string.h"

#define MB_FLAG_MEM     (1u << 0)
#define MB_FLAG_CMDLINE (1u << 2)
#define MB_FLAG_MODS    (1u << 3)
#define MB_FLAG_MMAP    (1u << 6)

typedef struct __attribute__((packed)) mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} mb_info;

typedef struct __attribute__((packed)) mb_mmap {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} mb_mmap;

typedef struct __attribute__((packed)) mb_module {
    uint32_t start, end, string, reserved;
} mb_module;

boot_info boot;

static void *phys(uint64_t pa)
{
    return (void *)(pa + DIRECT_MAP);
}

void boot_info_init(uint32_t info)
{
    const mb_info *mb = phys(info);
    if (mb->flags & MB_FLAG_CMDLINE) {
        lib_strlcpy(boot.cmdline, phys(mb->cmdline), sizeof boot.cmdline);
    }

    if (mb->flags & MB_FLAG_MMAP) {
        uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;
        while (p < end && boot.nregions < BOOT_MAX_REGIONS) {
            const mb_mmap *e = phys(p);
            boot.regions[boot.nregions++] = (boot_region){ e->base, e->len, e->type };
            p += e->size + 4;
        }
    } else if (mb->flags & MB_FLAG_MEM) {
        /* No map: the two classic ranges, below 640 KiB and from 1 MiB. */
        boot.regions[0] = (boot_region){ 0, (uint64_t)mb->mem_lower << 10, BOOT_MEM_USABLE };
        boot.regions[1] = (boot_region){ 1 << 20, (uint64_t)mb->mem_upper << 10, BOOT_MEM_USABLE };
        boot.nregions = 2;
    }

    if (mb->flags & MB_FLAG_MODS) {
        const mb_module *m = phys(mb->mods_addr);
        for (uint32_t i = 0; i < mb->mods_count; i++) {
            if (boot.nmodules == BOOT_MAX_MODULES) {
                kprintf("boot: more than %d modules, ignoring the rest\n", BOOT_MAX_MODULES);
                break;
            }
            boot_module *bm = &boot.modules[boot.nmodules++];
            bm->start = m[i].start;
            bm->end = m[i].end;
            if (m[i].string) {
                lib_strlcpy(bm->cmdline, phys(m[i].string), sizeof bm->cmdline);
            }
        }
    }
}

uint64_t boot_usable_bytes(void)
{
    uint64_t sum = 0;
    for (int i = 0; i < boot.nregions; i++)
        if (boot.regions[i].type == BOOT_MEM_USABLE)
            sum += boot.regions[i].len;
    return sum;
}

bool boot_arg(const char *key, char *buf, size_t size)
{
    size_t klen = lib_strlen(key);
    const char *p = boot.cmdline;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        if ((size_t)(p - word) > klen && lib_strncmp(word, key, klen) == 0 && word[klen] == '=') {
            size_t n = (size_t)(p - word) - klen - 1;
            if (size == 0)
                return true;
            if (n >= size)
                n = size - 1;
            lib_memcpy(buf, word + klen + 1, n);
            buf[n] = 0;
            return true;
        }
    }
    return false;
}
