/*
 * The suite of bench/alert-quality.ts: 20 CPU-bound benchmarks (~30 ms each), each a xorshift loop
 * whose length is read from /bench/work (one count per line), timed around the loop only. Prints
 * one BMF document: {"bench-01": {"latency": {"value": ns}}, …}.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static uint64_t spin(uint64_t n, uint64_t seed) {
  uint64_t x = seed | 1;
  for (uint64_t i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

int main(void) {
  FILE *f = fopen("/bench/work", "r");
  if (!f) return 2;
  unsigned long long work[20];
  for (int i = 0; i < 20; i++)
    if (fscanf(f, "%llu", &work[i]) != 1) return 3;
  fclose(f);
  volatile uint64_t sink = 0;
  printf("{");
  for (int i = 0; i < 20; i++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    sink += spin(work[i], (uint64_t)i + 1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
    printf("%s\"bench-%02d\": {\"latency\": {\"value\": %lld}}", i ? ", " : "", i + 1, ns);
  }
  printf("}\n");
  return sink == 42 ? 1 : 0;
}
