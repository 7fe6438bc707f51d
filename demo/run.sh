#!/bin/sh
# The demo's benchmark: CPU-bound loops of shell arithmetic, each timed five times and the fastest
# kept (robust on a busy machine), printed as Bencher Metric Format. WORK multiplies the work per
# round: the demo builds its image v2 with WORK=10, a regression.
SCALE=${WORK:-1}
once() {
  start=$(date +%s%N)
  i=0
  acc=7
  while [ "$i" -lt "$1" ]; do
    j=0
    while [ "$j" -lt "$SCALE" ]; do
      acc=$(( (acc * 31 + i) % 1000003 ))
      j=$((j + 1))
    done
    i=$((i + 1))
  done
  end=$(date +%s%N)
  echo $(( (end - start) / $1 ))
}
measure() {
  best=
  for _ in 1 2 3 4 5; do
    t=$(once "$2")
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$1: fastest of 5 is $best ns per round" >&2
  printf '"%s": {"latency": {"value": %s}}' "$1" "$best"
}
a=$(measure arithmetic/small 1000)
b=$(measure arithmetic/large 4000)
printf '{%s, %s}\n' "$a" "$b"
