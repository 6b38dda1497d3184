/* kernel/ksym.c: address-to-name lookup in the embedded symbol table.
 *
 * Table layout (generated assembly, section .ksyms):
 *   ksym_count            number of entries
 *   ksym_addrs[count]     function start addresses, ascending
 *   ksym_offsets[count]   offsets of their names in ksym_names
 *   ksym_names            NUL-terminated names */
#include "kernel/ksym.h"

extern const uint64_t ksym_count;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_offsets[];
extern const char ksym_names[];
extern char _text_start[], _text_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    if (addr < (uint64_t)_text_start || addr >= (uint64_t)_text_end || ksym_count == 0)
        return 0;
    /* The last entry whose address is <= addr. */
    uint64_t lo = 0, hi = ksym_count;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (ksym_addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksym_addrs[lo] > addr)
        return 0;
    *offset = addr - ksym_addrs[lo];
    return ksym_names + ksym_offsets[lo];
}
