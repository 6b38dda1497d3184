/* programs/examples/twoinst_main.c: the "main" instance of twoinst.c. It
 * makes a VMA, writes into it, and hands it to instance "lib" as a token
 * through lib's exported function `take`. */
#include <coral.h>

__attribute__((import_module("lib"), import_name("take")))
int32_t lib_take(__externref_t vma);

void _start(void)
{
    static const char msg[] = "passed by token";
    int32_t v = coral_vma_create(64);
    coral_vma_write(v, 0, msg, sizeof msg - 1);
    int32_t got = lib_take(coral_handle_to_ref(v));
    if (got != (int32_t)sizeof msg - 1) {
        coral_puts("main: lib did not read the VMA");
        coral_exit(1);
    }
    /* lib holds its own handle: closing ours leaves it working. */
    coral_handle_close(v);
    coral_puts("main: lib read the VMA through its own handle");
}
