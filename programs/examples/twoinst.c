/* programs/examples/twoinst.c: a component of two instances, "lib" and
 * "main" (twoinst_lib.c, twoinst_main.c, embedded by the build). main
 * imports lib's `take` and passes it a VMA as an externref token; lib
 * turns the token into a handle of its own. Each instance has its own
 * memory. This program only builds the component and waits for it. */
#include <coral.h>
#include "twoinst_lib_wasm.h"
#include "twoinst_main_wasm.h"

static int32_t load(const unsigned char *bytes, uint32_t len)
{
    int32_t v = coral_vma_create(len);
    if (v < 0 || coral_vma_write(v, 0, bytes, len) < 0)
        return CORAL_ENOMEM;
    int32_t m = coral_module_create(v, 0, len);
    coral_handle_close(v);
    return m;
}

void _start(void)
{
    int32_t lib = load(twoinst_lib_wasm, sizeof twoinst_lib_wasm);
    int32_t main = load(twoinst_main_wasm, sizeof twoinst_main_wasm);
    int32_t c = coral_component_create();
    if (lib < 0 || main < 0 || c < 0) {
        coral_puts("twoinst: cannot load the modules");
        coral_exit(1);
    }
    /* lib first: main's imports from "lib" resolve against it. */
    int32_t ilib = coral_component_add_instance(c, lib, "lib", 3, 0, 0);
    int32_t imain = coral_component_add_instance(c, main, "main", 4, 0, 0);
    if (ilib < 0 || imain < 0) {
        coral_puts("twoinst: component_add_instance failed");
        coral_exit(2);
    }
    if (coral_component_start(c, imain, "_start", 6) < 0)
        coral_exit(3);
    int32_t status = coral_component_wait(c);
    if (!coral_status_exited(status) || coral_status_detail(status) != 0) {
        coral_puts("twoinst: the component failed");
        coral_exit(4);
    }
    coral_puts("twoinst: both instances did their part");
}
