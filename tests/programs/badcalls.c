/* tests/programs/badcalls.c: every coral call with bad arguments, from
 * Wasm: handles never given, closed, of the wrong kind; a stale and a null
 * token; pointers outside this instance's memory; ranges outside a VMA; a
 * malformed module; an unresolvable import. Each must get its error code
 * (and the system must go on). Logs one line per mismatch and exits with
 * the number of mismatches (0: all as documented in docs/api.md). */
#include <coral.h>

static int bad;

static void put_int(char *buf, uint32_t *n, int32_t v)
{
    char d[12];
    int k = 0;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    do {
        d[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[(*n)++] = '-';
    while (k)
        buf[(*n)++] = d[--k];
}

static void expect(const char *what, int32_t got, int32_t want)
{
    if (got == want)
        return;
    char line[160] = "badcalls: ";
    uint32_t n = coral_strlen(line);
    for (const char *s = what; *s && n < 120; s++)
        line[n++] = *s;
    const char *mid = ": got ";
    for (const char *s = mid; *s; s++)
        line[n++] = *s;
    put_int(line, &n, got);
    const char *mid2 = ", want ";
    for (const char *s = mid2; *s; s++)
        line[n++] = *s;
    put_int(line, &n, want);
    coral_log(line, n);
    bad++;
}

/* (module (import "coral" "nonexistent" (func))) */
static const unsigned char unknown_import[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
    0x00, 0x00, 0x02, 0x15, 0x01, 0x05, 0x63, 0x6f, 0x72, 0x61, 0x6c, 0x0b,
    0x6e, 0x6f, 0x6e, 0x65, 0x78, 0x69, 0x73, 0x74, 0x65, 0x6e, 0x74, 0x00,
    0x00
};

static char buf[256];

void _start(void)
{
    uint32_t memsize = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;

    /* Never given, negative, huge. */
    expect("handle_kind(77)", coral_handle_kind(77), CORAL_EBADH);
    expect("handle_kind(-1)", coral_handle_kind(-1), CORAL_EBADH);
    expect("handle_close(77)", coral_handle_close(77), CORAL_EBADH);
    expect("handle_dup(77)", coral_handle_dup(77), CORAL_EBADH);
    expect("vma_size(77)", coral_vma_size(77), CORAL_EBADH);
    expect("vma_read(77)", coral_vma_read(77, 0, buf, 1), CORAL_EBADH);
    expect("vma_write(77)", coral_vma_write(77, 0, buf, 1), CORAL_EBADH);
    expect("vma_copy(77, 77)", coral_vma_copy(77, 77, 0, 0, 1), CORAL_EBADH);
    expect("module_create(77)", coral_module_create(77, 0, 1), CORAL_EBADH);
    expect("component_add_instance(77)", coral_component_add_instance(77, 77, "x", 1, 0, 0),
           CORAL_EBADH);
    expect("component_start(77)", coral_component_start(77, 77, "_start", 6), CORAL_EBADH);
    expect("component_wait(77)", coral_component_wait(77), CORAL_EBADH);
    expect("component_kill(77)", coral_component_kill(77), CORAL_EBADH);
    expect("console_write(77)", coral_console_write(77, buf, 1), CORAL_EBADH);
    expect("console_read(77)", coral_console_read(77, buf, 1), CORAL_EBADH);

    /* Closed. */
    int32_t v = coral_vma_create(100);
    expect("vma_create(100)", v >= 0 ? 0 : v, 0);
    expect("handle_close(v)", coral_handle_close(v), 0);
    expect("handle_close(v) again", coral_handle_close(v), CORAL_EBADH);
    expect("vma_size(closed)", coral_vma_size(v), CORAL_EBADH);

    /* Wrong kind. */
    v = coral_vma_create(100);
    int32_t c = coral_component_create();
    expect("component_create()", c >= 0 ? 0 : c, 0);
    expect("handle_kind(component)", coral_handle_kind(c), CORAL_KIND_COMPONENT);
    expect("vma_size(component)", coral_vma_size(c), CORAL_EKIND);
    expect("vma_read(component)", coral_vma_read(c, 0, buf, 1), CORAL_EKIND);
    expect("module_create(component)", coral_module_create(c, 0, 1), CORAL_EKIND);
    expect("component_wait(vma)", coral_component_wait(v), CORAL_EKIND);
    expect("component_kill(vma)", coral_component_kill(v), CORAL_EKIND);
    expect("component_add_instance(c, vma)", coral_component_add_instance(c, v, "x", 1, 0, 0),
           CORAL_EKIND);
    expect("component_start(c, vma)", coral_component_start(c, v, "_start", 6), CORAL_EKIND);
    expect("console_write(vma)", coral_console_write(v, buf, 1), CORAL_EKIND);
    expect("console_read(vma)", coral_console_read(v, buf, 1), CORAL_EKIND);

    /* Outside this instance's memory, and outside the VMA. */
    expect("vma_read past memory", coral_vma_read(v, 0, (void *)(memsize - 4), 8), CORAL_EFAULT);
    expect("vma_write past memory", coral_vma_write(v, 0, (void *)(memsize - 4), 8), CORAL_EFAULT);
    expect("vma_read at -1", coral_vma_read(v, 0, (void *)0xffffffffu, 2), CORAL_EFAULT);
    expect("log past memory", coral_log((void *)memsize, 1), CORAL_EFAULT);
    expect("add_instance name past memory",
           coral_component_add_instance(c, c, (const char *)memsize, 4, 0, 0), CORAL_EKIND);
    expect("vma_read past the VMA", coral_vma_read(v, 96, buf, 8), CORAL_ERANGE);
    expect("vma_write past the VMA", coral_vma_write(v, 0xffffffffu, buf, 2), CORAL_ERANGE);
    expect("vma_copy past the VMA", coral_vma_copy(v, v, 0, 50, 51), CORAL_ERANGE);
    expect("vma_create(0)", coral_vma_create(0), CORAL_EINVAL);
    expect("sleep(-1)", coral_sleep(-1), CORAL_EINVAL);

    /* A malformed module, then one whose import cannot be resolved. */
    expect("vma_write(garbage)", coral_vma_write(v, 0, "not a module", 12), 12);
    expect("module_create(garbage)", coral_module_create(v, 0, 12), CORAL_EMALFORMED);
    expect("module_create(len 0)", coral_module_create(v, 0, 0), CORAL_EINVAL);
    expect("vma_write(module)", coral_vma_write(v, 0, unknown_import, sizeof unknown_import),
           sizeof unknown_import);
    int32_t m = coral_module_create(v, 0, sizeof unknown_import);
    expect("module_create(unknown import)", m >= 0 ? 0 : m, 0);
    expect("component_add_instance(unknown import)",
           coral_component_add_instance(c, m, "x", 1, 0, 0), CORAL_ELINK);
    int32_t hs[1] = { 77 };
    expect("component_add_instance(bad handle in array)",
           coral_component_add_instance(c, m, "x", 1, hs, 1), CORAL_EBADH);
    expect("component_add_instance(array past memory)",
           coral_component_add_instance(c, m, "x", 1, (const int32_t *)(memsize - 2), 1),
           CORAL_EFAULT);
    expect("component_wait(never started)", coral_component_wait(c), CORAL_ESTATE);

    /* Tokens: null, stale after close and reuse of the slot. */
    __externref_t t = coral_handle_to_ref(v);
    int32_t h2 = coral_handle_from_ref(t);
    expect("handle_from_ref(live)", h2 >= 0 ? 0 : h2, 0);
    expect("handle_close(h2)", coral_handle_close(h2), 0);
    expect("handle_close(v)", coral_handle_close(v), 0);
    int32_t w = coral_vma_create(10);
    __externref_t t2 = coral_handle_to_ref(w);
    expect("handle_from_ref(stale)", coral_handle_from_ref(t), CORAL_ESTALE);
    int32_t h3 = coral_handle_from_ref(t2);
    expect("handle_from_ref(new) names the new VMA", coral_vma_size(h3), 10);
    expect("handle_from_ref(null)", coral_handle_from_ref(__builtin_wasm_ref_null_extern()),
           CORAL_EINVAL);
    expect("handle_to_ref(77) is null",
           coral_handle_from_ref(coral_handle_to_ref(77)), CORAL_EINVAL);

    /* IPC: channels and wait. */
    int32_t ends[2];
    expect("channel_create(past memory)", coral_channel_create((int32_t *)(memsize - 4)),
           CORAL_EFAULT);
    expect("channel_create", coral_channel_create(ends), 0);
    int32_t ca = ends[0], cb = ends[1];
    expect("handle_kind(channel end)", coral_handle_kind(ca), CORAL_KIND_CHANNEL);
    expect("channel_send(77)", coral_channel_send(77, buf, 1, 0, 0), CORAL_EBADH);
    expect("channel_send(vma)", coral_channel_send(w, buf, 1, 0, 0), CORAL_EKIND);
    expect("channel_recv(77)", coral_channel_recv(77, buf, 1, 0, 0), CORAL_EBADH);
    expect("channel_recv(component)", coral_channel_recv(c, buf, 1, 0, 0), CORAL_EKIND);
    expect("channel_send past memory", coral_channel_send(ca, (void *)(memsize - 2), 4, 0, 0),
           CORAL_EFAULT);
    expect("channel_send handles past memory",
           coral_channel_send(ca, buf, 1, (const int32_t *)(memsize - 4), 2), CORAL_EFAULT);
    expect("channel_recv past memory", coral_channel_recv(cb, (void *)(memsize - 2), 4, 0, 0),
           CORAL_EFAULT);
    expect("channel_recv handles past memory",
           coral_channel_recv(cb, buf, 1, (int32_t *)(memsize - 4), 2), CORAL_EFAULT);
    expect("channel_send(len 65537)", coral_channel_send(ca, 0, CORAL_MSG_BYTES_MAX + 1, 0, 0),
           CORAL_EINVAL);
    expect("channel_send(count 65)", coral_channel_send(ca, 0, 0, 0, CORAL_MSG_HANDLES_MAX + 1),
           CORAL_EINVAL);
    expect("channel_recv(hcap 65)", coral_channel_recv(cb, 0, 0, 0, CORAL_MSG_HANDLES_MAX + 1),
           CORAL_EINVAL);
    int32_t list[2] = { w, 77 };
    expect("channel_send(bad handle in list)", coral_channel_send(ca, buf, 1, list, 2), CORAL_EBADH);
    expect("the good handle stays", coral_handle_kind(w), CORAL_KIND_VMA);
    list[1] = w;
    expect("channel_send(a handle twice)", coral_channel_send(ca, buf, 1, list, 2), CORAL_EINVAL);
    expect("channel_send(end through itself)", coral_channel_send(ca, buf, 1, &ca, 1), CORAL_EINVAL);
    expect("channel_send(end to itself)", coral_channel_send(ca, buf, 1, &cb, 1), CORAL_EINVAL);
    int32_t more[2];
    expect("channel_create(more)", coral_channel_create(more), 0);
    expect("channel_send(an end)", coral_channel_send(more[0], buf, 1, &more[1], 1), CORAL_EINVAL);
    int32_t spare[2];
    expect("channel_create(spare)", coral_channel_create(spare), 0);
    expect("channel_send(an end, to be held)", coral_channel_send(ca, buf, 1, &spare[0], 1), 0);
    expect("channel_send(an end holding ends)", coral_channel_send(more[0], buf, 1, &cb, 1),
           CORAL_ESTATE);
    expect("channel_recv(an end)", coral_channel_recv(cb, buf, 1, list, 1), 1);
    expect("channel_recv gave an end", coral_handle_kind(list[0]), CORAL_KIND_CHANNEL);
    expect("handle_close(spare end)", coral_handle_close(list[0]), 0);
    expect("handle_close(spare end 2)", coral_handle_close(spare[1]), 0);
    expect("handle_close(more 0)", coral_handle_close(more[0]), 0);
    expect("handle_close(more 1)", coral_handle_close(more[1]), 0);
    expect("wait(count 0)", coral_wait(ends, 0, 0), CORAL_EINVAL);
    expect("wait(count 65)", coral_wait(ends, CORAL_WAIT_MAX + 1, 0), CORAL_EINVAL);
    expect("wait(past memory)", coral_wait((const int32_t *)(memsize - 4), 2, 0), CORAL_EFAULT);
    list[0] = cb;
    expect("wait(vma)", coral_wait(list, 2, 0), CORAL_EKIND);
    list[1] = 77;
    expect("wait(77)", coral_wait(list, 2, 0), CORAL_EBADH);
    expect("wait(poll, nothing queued)", coral_wait(&cb, 1, 0), CORAL_ETIMEDOUT);
    expect("wait(1 ms, nothing queued)", coral_wait(&cb, 1, 1000000), CORAL_ETIMEDOUT);
    expect("channel_send(hello)", coral_channel_send(ca, "hello", 5, 0, 0), 0);
    expect("wait(a message)", coral_wait(ends, 2, -1), 1);
    expect("channel_recv(cap 4)", coral_channel_recv(cb, buf, 4, 0, 0), CORAL_ETOOBIG);
    expect("channel_recv(cap 5)", coral_channel_recv(cb, buf, 5, 0, 0), 5);
    int32_t sent = 0, rc;
    while ((rc = coral_channel_send(ca, buf, 1, 0, 0)) == 0 && sent < 1000)
        sent++;
    expect("channel_send(full queue)", rc, CORAL_ELIMIT);
    expect("messages queued before it was full", sent, CORAL_CHANNEL_QUEUE_MAX);
    expect("handle_close(cb)", coral_handle_close(cb), 0);
    expect("channel_send(peer closed)", coral_channel_send(ca, buf, 1, 0, 0), CORAL_ECLOSED);
    expect("channel_recv(peer closed)", coral_channel_recv(ca, buf, 1, 0, 0), CORAL_ECLOSED);
    expect("wait(peer closed)", coral_wait(&ca, 1, -1), 0);
    expect("handle_close(ca)", coral_handle_close(ca), 0);

    /* Killed before it started: waiting gives its status. */
    expect("component_kill(c)", coral_component_kill(c), 0);
    expect("component_wait(killed)", coral_component_wait(c), CORAL_STATUS_KILLED);

    if (bad == 0)
        coral_puts("badcalls: every bad call got its error code");
    coral_exit(bad);
}
