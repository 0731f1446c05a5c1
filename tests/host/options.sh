#!/usr/bin/env bash
# Host tests of option checking: durations finite and bounded, probe names checked (the list the options
# know is session.c's), and an option that does not apply to a command refused with the reason. One line
# on stderr (argp may add its "Try --help" line) and exit 2 each. No privileges needed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$repo/build}" && pwd)
zdevtrace=$build/zdevtrace
zdevtop=$build/zdevtop
fixture=$repo/tests/fixtures/pmem.zdev
passed=0 failed=0

pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

check() { # NAME WANT_STATUS REGEX -- CMD...
	local name=$1 want=$2 regex=$3 out status lines
	shift 4
	out=$("$@" 2>&1 >/dev/null)
	status=$?
	lines=$(printf '%s\n' "$out" | grep -v "^Try .*--help" | grep -c .)
	if [ "$status" = "$want" ] && [ "$lines" -le 1 ] && grep -Eq -- "$regex" <<< "$out"; then
		pass "$name: exit $status: $(cut -c1-140 <<< "$out" | head -n 1)"
	else
		fail "$name: exit $status (want $want), $lines line(s) (want 1) matching '$regex':"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -5
	fi
}

# durations: a deadline in nanoseconds would overflow to "now"
for d in inf 1e99 nan -1 0 2592001; do
	check "-d $d" 2 "-d wants a positive number of seconds, at most 2592000 \(30 days\)" -- "$zdevtrace" -d "$d"
done
check "zdevtop --speed inf" 2 "--speed wants a factor up to 1000000" -- "$zdevtop" -b -r "$fixture" --speed inf
check "zdevtop -d inf" 2 "-d wants seconds between 0.1 and 3600" -- "$zdevtop" -b -d inf

# probe names: checked, listed when wrong; only an opt-in probe can be enabled
check "--disable with a typo" 2 "--disable: no probe 'memremap_page'; the probes: memremap_pages, " -- \
	"$zdevtrace" --disable memremap_page -d 1
check "--disable with an empty name" 2 "--disable: no probe ''" -- "$zdevtrace" --disable memremap_pages, -d 1
check "--disable, the second one wrong" 2 "no probe 'nope'" -- \
	"$zdevtrace" --disable memremap_pages --disable nope -d 1
check "--enable of a probe on by default" 2 \
	"--enable memremap_pages: that probe is on by default; --enable takes: gen_pool_free_owner$" -- \
	"$zdevtrace" --enable memremap_pages -d 1
check "--enable of no probe" 2 "--enable: no probe 'gen_pool_free'; the probes off by default: gen_pool_free_owner" -- \
	"$zdevtrace" --enable gen_pool_free -d 1
check "zdevtop --disable with a typo" 2 "--disable: no probe 'x'" -- "$zdevtop" -b --disable x
# the names the options take are the hook table's (include/zdev/hooks.h), in its order
table=$(sed -n '/^#define ZDEV_HOOKS(X)/,/^\/\* clang-format on/p' "$repo/include/zdev/hooks.h" |
	grep -oE 'X\([A-Z0-9_]+, "[^"]+"' | sed -E 's/.*"(.*)"/\1/' | paste -sd, | sed 's/,/, /g')
known=$("$zdevtrace" --disable '?' 2>&1 | sed -n "s/.*no probe '?'; the probes: //p")
if [ -n "$table" ] && [ "$table" = "$known" ]; then
	pass "--disable knows the hook table's $(tr ',' '\n' <<< "$table" | wc -l) hooks"
else
	fail "--disable's names differ from the hook table's (hooks.h):"; diff <(tr ',' '\n' <<< "$table") <(tr ',' '\n' <<< "$known")
fi

# options that do not apply to the command
check "report -r with a probe option" 2 "report -r replays a file, it traces nothing: --disable is for tracing" -- \
	"$zdevtrace" report -r "$fixture" --disable memremap_pages
check "report -r with --no-fentry" 2 "--no-fentry is for tracing" -- "$zdevtrace" report -r "$fixture" --no-fentry
check "report -r with --no-snapshot" 2 "--no-snapshot is for tracing" -- "$zdevtrace" report -r "$fixture" --no-snapshot
check "check -r with --ring-buffer" 2 "check -r replays a file, it traces nothing: --ring-buffer is for tracing" -- \
	"$zdevtrace" check --baseline x.json -r "$fixture" --ring-buffer 8K
check "report -r with -v" 2 "--verbose is for tracing" -- "$zdevtrace" report -r "$fixture" -v
check "probes with -d" 2 "probes lists the probes and traces nothing" -- "$zdevtrace" probes -d 3
check "probes with --no-snapshot" 2 "probes lists the probes and traces nothing" -- "$zdevtrace" probes --no-snapshot
check "zdevtop --speed without -r" 2 "--speed is the speed of a playback: it goes with -r FILE" -- \
	"$zdevtop" -b --speed 3
check "zdevtop -r with a probe option" 2 "-r plays a record back, it traces nothing: --no-kprobe is for tracing" -- \
	"$zdevtop" -b -r "$fixture" --no-kprobe
check "zdevtop -r with --no-snapshot" 2 "--no-snapshot is for tracing" -- "$zdevtop" -b -r "$fixture" --no-snapshot
check "zdevtop --width without -b" 2 "--width is the width of -b's frames" -- "$zdevtop" -r "$fixture" --width 80
# what applies still works
"$zdevtop" -b -n 1 -r "$fixture" --speed 0 --width 100 > /dev/null 2>&1 && pass "zdevtop -b -r --speed --width runs" ||
	fail "zdevtop -b -r --speed --width"

echo "host option tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
