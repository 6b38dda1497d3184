/* programs/examples/child.c: the child of parent.c. Its creator gives it
 * one handle, a VMA (handle 0 of its table); it writes a greeting there
 * and exits with 7. */
#include <coral.h>

void _start(void)
{
    static const char msg[] = "greetings from the child";
    if (coral_handle_kind(0) != CORAL_KIND_VMA) {
        coral_puts("child: handle 0 is not a VMA");
        coral_exit(1);
    }
    if (coral_vma_write(0, 0, msg, sizeof msg - 1) != sizeof msg - 1)
        coral_exit(2);
    coral_puts("child: wrote to the parent's VMA");
    coral_exit(7);
}
