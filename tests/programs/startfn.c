/* tests/programs/startfn.c: a module's start function runs on its
 * component's own thread when the component starts, before the entry, not
 * on the thread that adds the instance: so component_add_instance returns
 * even when the start function never does, and what the start function
 * does (loop, trap, exit) is the child's, while this parent goes on. The
 * children are the startfn_*.wat modules, embedded. */
#include <coral.h>
#include "startfn_exit_wasm.h"
#include "startfn_order_wasm.h"
#include "startfn_spin_wasm.h"
#include "startfn_trap_wasm.h"

static void say(const char *what, int32_t v)
{
    char buf[96];
    uint32_t n = 0;
    while (*what && n < sizeof buf - 16)
        buf[n++] = *what++;
    char digits[12];
    uint32_t d = 0, u = v < 0 ? (uint32_t)-v : (uint32_t)v;
    do digits[d++] = (char)('0' + u % 10); while ((u /= 10) && d < sizeof digits);
    if (v < 0)
        buf[n++] = '-';
    while (d)
        buf[n++] = digits[--d];
    coral_log(buf, n);
}

/* Makes a started child from `bytes`: its component handle, or exits
 * with `fail`. */
static int32_t start_child(const unsigned char *bytes, uint32_t len, const char *name,
                           uint32_t name_len, int fail)
{
    int32_t v = coral_vma_create(len);
    coral_vma_write(v, 0, bytes, len);
    int32_t m = coral_module_create(v, 0, len);
    int32_t c = coral_component_create();
    int32_t i = coral_component_add_instance(c, m, name, name_len, 0, 0);
    if (v < 0 || m < 0 || c < 0 || i < 0) {
        say("startfn: cannot make the child, error ", i < 0 ? i : m < 0 ? m : c);
        coral_exit(fail);
    }
    if (coral_component_start(c, i, "_start", 6) < 0)
        coral_exit(fail);
    coral_handle_close(i);
    coral_handle_close(m);
    coral_handle_close(v);
    return c;
}

int _start(void)
{
    /* The instance is added although its start function never returns. */
    int32_t c = start_child(startfn_spin_wasm, sizeof startfn_spin_wasm, "spin", 4, 1);
    coral_sleep(20 * 1000 * 1000);
    if (coral_component_kill(c) != 0)
        return 2;
    int32_t s = coral_component_wait(c);
    if (!coral_status_killed(s)) {
        say("startfn: spinning start function: status ", s);
        return 3;
    }
    coral_handle_close(c);
    /* Killed at once: its thread may not have reached its start function. */
    c = start_child(startfn_spin_wasm, sizeof startfn_spin_wasm, "spin", 4, 10);
    coral_component_kill(c);
    s = coral_component_wait(c);
    if (!coral_status_killed(s)) {
        say("startfn: spinning start function killed at once: status ", s);
        return 11;
    }
    coral_handle_close(c);
    coral_puts("startfn: a start function that loops was killed");

    c = start_child(startfn_trap_wasm, sizeof startfn_trap_wasm, "trapper", 7, 4);
    s = coral_component_wait(c);
    if (!coral_status_trapped(s) || coral_status_detail(s) != 1) {
        say("startfn: trapping start function: status ", s);
        return 5;
    }
    coral_handle_close(c);
    coral_puts("startfn: a start function that traps: the child trapped");

    c = start_child(startfn_exit_wasm, sizeof startfn_exit_wasm, "exiter", 6, 6);
    s = coral_component_wait(c);
    if (!coral_status_exited(s) || coral_status_detail(s) != 5) {
        say("startfn: exiting start function: status ", s);
        return 7;
    }
    coral_handle_close(c);

    c = start_child(startfn_order_wasm, sizeof startfn_order_wasm, "order", 5, 8);
    s = coral_component_wait(c);
    if (!coral_status_exited(s) || coral_status_detail(s) != 42) {
        say("startfn: start then entry: status ", s);
        return 9;
    }
    coral_handle_close(c);
    coral_puts("startfn: start functions ran on the children's threads, before the entry");
    return 0;
}
