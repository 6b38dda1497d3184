/* programs/examples/twoinst_lib.c: the "lib" instance of twoinst.c. Its
 * export `take` receives a VMA as a token, turns it into a handle of
 * this instance, and reads it into its own memory. */
#include <coral.h>

static char buf[64];

__attribute__((export_name("take")))
int32_t take(__externref_t token)
{
    int32_t h = coral_handle_from_ref(token);
    if (h < 0)
        return h;
    int32_t n = coral_vma_read(h, 0, buf, 15);
    if (n > 0) {
        char line[80] = "lib: read \"";
        uint32_t k = coral_strlen(line);
        for (int32_t i = 0; i < n; i++)
            line[k++] = buf[i];
        line[k++] = '"';
        coral_log(line, k);
    }
    coral_handle_close(h);
    return n;
}
