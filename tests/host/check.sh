#!/usr/bin/env bash
# Host tests of zdevtrace check's verdicts: a run whose figures are not whole (a record cut short, without
# its END block, with dropped records) never passes; a baseline entry gone fails; another kernel's baseline
# is said; -f json. Exit codes: 0 within the limits, 1 a regression, 2 could not check. Replays only.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$repo/build}" && pwd) # absolute: the tests run in a scratch folder
zdevtrace=$build/zdevtrace
fixture=$repo/tests/fixtures/pmem.zdev
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 1
passed=0 failed=0

pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# NAME WANT_STATUS REGEX -- CMD...: exit WANT_STATUS, stderr one line (at most LINES=N) matching REGEX
expect() {
	local name=$1 want=$2 regex=$3 out status lines
	shift 4
	out=$("$@" 2>&1 >/dev/null)
	status=$?
	lines=$(printf '%s\n' "$out" | grep -c .)
	if [ "$status" = "$want" ] && [ "$lines" -le "${LINES_MAX:-1}" ] && grep -Eq -- "$regex" <<< "$out"; then
		pass "$name: exit $status: $(head -n 1 <<< "$out")"
	else
		fail "$name: exit $status (want $want), $lines line(s) matching '$regex':"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -10
	fi
}

# the record's blocks (format in man/zdevtrace.8): the END block's offset, and a copy whose END says N
# records were dropped (its checksum made again)
end_offset() {
	perl -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>; my $o = 16;
		while ($o + 16 <= length $d) { my ($t, $n) = unpack("VV", substr($d, $o, 8));
			if ($t == 5) { print $o; exit 0 } $o += 16 + $n } exit 1' "$1"
}
with_drops() {
	perl -MCompress::Zlib -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>; my $o = 16;
		while ($o + 16 <= length $d) { my ($t, $n) = unpack("VV", substr($d, $o, 8));
			if ($t == 5) { substr($d, $o + 16, 8) = pack("Q<", $ARGV[2]);
				substr($d, $o + 12, 4) = pack("V", crc32(substr($d, $o + 16, $n), crc32(substr($d, $o, 12))));
				open(O, ">", $ARGV[1]) or die; binmode O; print O $d; exit 0 }
			$o += 16 + $n } exit 1' "$1" "$2" "$3"
}

"$zdevtrace" check --baseline base.json --write-baseline -r "$fixture" 2> /dev/null || fail "setup: baseline"
expect "the record against its own baseline" 0 "^$" -- "$zdevtrace" check --baseline base.json -r "$fixture"

# --- a run whose figures are not whole cannot pass -------------------------------------------------------
head -c 13000 "$fixture" > cut.zdev
expect "a record cut short" 2 "cut.zdev is cut short \(.* bytes .*\).*could not check" -- \
	"$zdevtrace" check --baseline base.json -r cut.zdev
end=$(end_offset "$fixture") || fail "setup: no END block in the fixture"
head -c "$end" "$fixture" > unfinished.zdev
expect "a record without END block" 2 "unfinished.zdev has no END block.*could not check" -- \
	"$zdevtrace" check --baseline base.json -r unfinished.zdev
expect "--write-baseline from a record cut short" 2 "cut short.*no baseline written" -- \
	"$zdevtrace" check --baseline from-cut.json --write-baseline -r cut.zdev
expect "--write-baseline from a record without END" 2 "no END block.*no baseline written" -- \
	"$zdevtrace" check --baseline from-unfinished.json --write-baseline -r unfinished.zdev
[ ! -e from-cut.json ] && [ ! -e from-unfinished.json ] && pass "no baseline from an incomplete record" ||
	fail "a baseline was written from an incomplete record"

if with_drops "$fixture" drops.zdev 7 && [ "$("$zdevtrace" report -r drops.zdev -f json | jq .dropped_records)" = 7 ]
then
	expect "a record with dropped records" 2 "7 records were dropped.*could not check \(--allow-drops" -- \
		"$zdevtrace" check --baseline base.json -r drops.zdev
	expect "--allow-drops checks it, with a warning" 0 "warning: 7 records were dropped: checked anyway" -- \
		"$zdevtrace" check --baseline base.json -r drops.zdev --allow-drops
	expect "--write-baseline from a record with drops" 2 "7 records were dropped.*no baseline written" -- \
		"$zdevtrace" check --baseline from-drops.json --write-baseline -r drops.zdev
else
	fail "setup: could not make a record with dropped records"
fi

# --- a baseline entry gone fails: a driver that stopped loading is no saving -------------------------------
jq '.entries += [{"type": "fsdax", "device": "pfn9.0", "pgmaps": 1, "vmemmap_dram_bytes": 0,
	"vmemmap_device_bytes": 2097152, "register_ns": 1000000}]' base.json > with-gone.json
expect "a baseline entry gone" 1 "^$" -- "$zdevtrace" check --baseline with-gone.json -r "$fixture"
"$zdevtrace" check --baseline with-gone.json -r "$fixture" > gone.txt 2>&1
grep -Eq "^fsdax pfn9\.0 +vmemmap device +2 MiB +- .* GONE$" gone.txt && grep -q ": 2 regressions$" gone.txt &&
	pass "the table says GONE, 2 regressions" || fail "the table of a gone entry: $(grep pfn9 gone.txt | head -n 2)"
expect "--allow-gone" 0 "^$" -- "$zdevtrace" check --baseline with-gone.json -r "$fixture" --allow-gone

# --- another kernel's baseline ------------------------------------------------------------------------
jq '.kernel = "6.1.0-28-amd64"' base.json > other-kernel.json
expect "a baseline from another kernel: a warning" 0 \
	"warning: the baseline was taken on kernel 6\.1\.0-28-amd64, this run on 6\.12\.117-zdev-lab" -- \
	"$zdevtrace" check --baseline other-kernel.json -r "$fixture"
expect "--same-kernel makes it an error" 2 "taken on kernel 6\.1\.0-28-amd64.*could not check \(--same-kernel\)" -- \
	"$zdevtrace" check --baseline other-kernel.json -r "$fixture" --same-kernel
expect "--same-kernel with the same kernel" 0 "^$" -- "$zdevtrace" check --baseline base.json -r "$fixture" --same-kernel

# --- check -f json ----------------------------------------------------------------------------------------
"$zdevtrace" check --baseline with-gone.json -r "$fixture" -f json > check.json 2> /dev/null
status=$?
if [ $status = 1 ] && jq -e '.schema == "zdev.check" and .version == 1 and .regressions == 2 and
	([.rows[] | select(.pgmap == "fsdax pfn9.0" and .measure == "vmemmap device")][0] |
	 .current == null and .baseline == 2097152 and .regression and .verdict == "gone")' check.json > /dev/null
then pass "check -f json: exit 1, the gone entry with current null"
else fail "check -f json: exit $status, $(head -c 200 check.json)"; fi

# --- the new options belong to check, and not to --write-baseline -----------------------------------------
expect "--allow-gone outside check" 2 "belong to 'zdevtrace check'" -- "$zdevtrace" report -r "$fixture" --allow-gone
expect "--allow-drops outside check" 2 "belong to 'zdevtrace check'" -- "$zdevtrace" report -r "$fixture" --allow-drops
expect "--same-kernel with --write-baseline" 2 "--write-baseline compares nothing" -- \
	"$zdevtrace" check --baseline new.json --write-baseline --same-kernel -r "$fixture"
expect "-f with --write-baseline" 2 "--write-baseline writes the baseline only" -- \
	"$zdevtrace" check --baseline new.json --write-baseline -f json -r "$fixture"

echo "host check tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
