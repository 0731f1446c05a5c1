#!/usr/bin/env bash
set -x
cd /work/main
R=$ZDEV_RESULTS
t() { local a=$EPOCHREALTIME; "$@"; local rc=$?; echo "TIME $(echo "$EPOCHREALTIME - $a" | bc) rc=$rc: $*" >&2; }
tests/vm/scenarios/hmm load
tests/vm/scenarios/p2pdma load
t build/tests/hmm-migrate -n 256 -r 10
t build/tests/hmm-migrate -n 256 -r 10
t build/zdevtrace -f json -o /tmp/z.json -- build/tests/hmm-migrate -n 256 -r 10
t bpftrace -c 'build/tests/hmm-migrate -n 256 -r 10' bench/zdev.bt > $R/bt.out 2>&1
t bpftrace -c 'build/tests/hmm-migrate -n 256 -r 10' bench/zdev.bt > $R/bt2.out 2>&1
t build/zdevtrace -f json -o /tmp/z.json -- build/tests/hmm-migrate -n 256 -r 10
d=$(for x in /sys/bus/pci/devices/*; do [ "$(cat $x/class)" = 0x010802 ] && echo $x; done)
t build/tests/p2pmem-map $d 1048576
t build/zdevtrace -f json -o /tmp/z2.json -- build/tests/p2pmem-map $d 1048576
t bpftrace -c "build/tests/p2pmem-map $d 1048576" bench/zdev.bt > $R/bt3.out 2>&1
cp /tmp/z.json /tmp/z2.json $R/
sysctl kernel.bpf_stats_enabled=1
build/zdevtrace -f json -o /tmp/z3.json -- bash -c "build/tests/hmm-migrate -n 256 -r 10; bpftool -j prog show > $R/progs-z.json; bpftool -j map show > $R/maps-z.json"
bpftrace -c "bash -c 'build/tests/hmm-migrate -n 256 -r 10; bpftool -j prog show > $R/progs-b.json; bpftool -j map show > $R/maps-b.json'" bench/zdev.bt > $R/bt4.out 2>&1
echo done
