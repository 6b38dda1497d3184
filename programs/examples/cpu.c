/* programs/examples/cpu.c: CPU-bound: three rounds of arithmetic with no
 * kernel calls in between, logging after each. Run beside sleeper.c, both
 * make progress: the kernel preempts this one. */
#include <coral.h>

static uint32_t work(uint32_t x, uint32_t rounds)
{
    for (uint32_t i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
    }
    return x;
}

void _start(void)
{
    static const char *const msgs[3] = { "cpu: round 1 done", "cpu: round 2 done",
                                         "cpu: round 3 done" };
    uint32_t x = 2463534242u;
    for (int r = 0; r < 3; r++) {
        x = work(x, 20000000);
        coral_puts(msgs[r]);
    }
    /* Use the result, so that the loop is not optimized away. */
    coral_exit(x == 0 ? 1 : 0);
}
