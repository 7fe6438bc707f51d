#!/bin/sh
# The demo's benchmark: a few CPU-bound loops of shell arithmetic, each timed, printed as
# Bencher Metric Format. WORK scales the loops (the demo's fifth run doubles it: a regression).
SCALE=${WORK:-1}
measure() {
  name=$1
  rounds=$(( $2 * SCALE ))
  start=$(date +%s%N)
  i=0
  acc=7
  while [ "$i" -lt "$2" ]; do
    j=0
    while [ "$j" -lt "$SCALE" ]; do
      acc=$(( (acc * 31 + i) % 1000003 ))
      j=$((j + 1))
    done
    i=$((i + 1))
  done
  end=$(date +%s%N)
  echo "$name: $rounds rounds in $(( (end - start) / 1000 )) us" >&2
  printf '"%s": {"latency": {"value": %s}}' "$name" $(( (end - start) / $2 ))
}
a=$(measure arithmetic/small 2000)
b=$(measure arithmetic/large 8000)
printf '{%s, %s}\n' "$a" "$b"
