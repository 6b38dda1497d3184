/* programs/examples/sleeper.c: sleeps 20 ms three times, logging after
 * each, and checks that the clock moved at least that much. */
#include <coral.h>

void _start(void)
{
    static const char *const msgs[3] = { "sleeper: tick 1", "sleeper: tick 2",
                                         "sleeper: tick 3" };
    int64_t t0 = coral_time();
    for (int i = 0; i < 3; i++) {
        if (coral_sleep(20 * 1000 * 1000) < 0)
            coral_exit(1);
        coral_puts(msgs[i]);
    }
    if (coral_time() - t0 < 60 * 1000 * 1000)
        coral_exit(2);
}
