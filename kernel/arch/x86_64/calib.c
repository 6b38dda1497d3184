/* kernel/arch/x86_64/calib.c: see calib.h. */
#include "kernel/arch/x86_64/calib.h"

#define MAX_TRIES 32

uint64_t calib_pick(calib_measure *measure, uint64_t max_ppm, int max_tries, int *tries)
{
    uint64_t good[MAX_TRIES], best = 0, best_ppm = ~0ull;
    int ngood = 0, t;
    if (max_tries > MAX_TRIES)
        max_tries = MAX_TRIES;
    for (t = 0; t < max_tries; t++) {
        uint64_t ppm, rate = measure(&ppm);
        if (!rate)
            continue;
        if (ppm > max_ppm) {
            if (ppm < best_ppm)
                best = rate, best_ppm = ppm;
            continue;
        }
        for (int i = 0; i < ngood; i++) {
            uint64_t d = rate > good[i] ? rate - good[i] : good[i] - rate;
            if (d * 1000 <= rate * 3) {
                *tries = t + 1;
                return rate / 2 + good[i] / 2;
            }
        }
        good[ngood++] = rate;
    }
    *tries = t;
    if (!ngood)
        return best;
    /* No two agreed: the median of the precise ones (insertion sort). */
    for (int i = 1; i < ngood; i++)
        for (int j = i; j > 0 && good[j - 1] > good[j]; j--) {
            uint64_t x = good[j];
            good[j] = good[j - 1];
            good[j - 1] = x;
        }
    return good[ngood / 2];
}
