/* Timing helpers shared by the benchmarks: a monotonic clock in milliseconds, and percentiles
 * of a sorted sample. Header-only: each benchmark is one program. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <time.h>

static inline double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort comparator for doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-th quantile (0..1) of sorted[0..n), n > 0: nearest rank. */
static inline double pct(const double *sorted, size_t n, double p)
{
    return sorted[(size_t)(p * (double)(n - 1) + 0.5)];
}

#endif
