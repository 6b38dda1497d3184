/* programs/examples/parent.c: builds a child component from a module it
 * holds in a VMA, gives the child a second VMA, waits for it, and reads
 * what the child wrote. The child's bytes (child.c, built first) are
 * embedded here by the build as child_wasm[]. */
#include <coral.h>
#include "child_wasm.h"

static void fail(const char *what, int32_t rc)
{
    coral_puts(what);
    coral_exit(rc < 0 ? 100 - rc : 100);
}

void _start(void)
{
    int32_t code = coral_vma_create(sizeof child_wasm);
    if (code < 0)
        fail("parent: vma_create failed", code);
    if (coral_vma_write(code, 0, child_wasm, sizeof child_wasm) < 0)
        fail("parent: vma_write failed", -1);
    int32_t module = coral_module_create(code, 0, sizeof child_wasm);
    if (module < 0)
        fail("parent: module_create failed", module);
    coral_handle_close(code);          /* the module has its own copy */

    int32_t shared = coral_vma_create(64);
    int32_t child = coral_component_create();
    if (shared < 0 || child < 0)
        fail("parent: out of resources", -1);
    int32_t give[1] = { shared };      /* becomes handle 0 in the child */
    int32_t inst = coral_component_add_instance(child, module, "child", 5, give, 1);
    if (inst < 0)
        fail("parent: component_add_instance failed", inst);
    int32_t rc = coral_component_start(child, inst, "_start", 6);
    if (rc < 0)
        fail("parent: component_start failed", rc);
    int32_t status = coral_component_wait(child);

    char buf[64 + 32] = "parent: child said: ";
    uint32_t n = coral_strlen(buf);
    rc = coral_vma_read(shared, 0, buf + n, 24);
    coral_log(buf, rc > 0 ? n + (uint32_t)rc : n);
    if (!coral_status_exited(status) || coral_status_detail(status) != 7)
        fail("parent: child did not exit with 7", -1);
    coral_puts("parent: child exited with 7");
}
