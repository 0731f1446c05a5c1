#!/usr/bin/env bash
# zdevtop's batch mode (-b) on the lab's records (tests/fixtures/): -n frames and no more, one frame with
# --speed 0 whose figures are zdevtrace's report of the same file (pages migrated per owner and direction,
# latency percentiles, the pgmaps), and bad input: one clear line and exit 2 (a file cut short: a warning, and
# the frame of what could be read).
# One line per check ("ok   ..." / "FAIL ..."), exit 1 on any failure; without jq "SKIPPED: no jq", exit 77.
#   ZDEVTOP, ZDEVTRACE   the binaries (default build/zdevtop, build/zdevtrace)
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
zdevtop=${ZDEVTOP:-$repo/build/zdevtop}
zdevtrace=${ZDEVTRACE:-$repo/build/zdevtrace}
fixtures=$repo/tests/fixtures

if ! command -v jq > /dev/null; then
	echo "SKIPPED: no jq"
	exit 77
fi
if [ ! -x "$zdevtop" ] || [ ! -x "$zdevtrace" ]; then
	echo "FAIL setup: $zdevtop or $zdevtrace is not built (make, or ZDEVTOP=... ZDEVTRACE=...)"
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
export LANG=C.UTF-8 LC_ALL=C.UTF-8

ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { # NAME DETAIL [FILE to show]
	echo "FAIL $1: $2"
	[ $# -gt 2 ] && [ -s "$3" ] && sed 's/^/    | /' "$3" | head -60
	failed=$((failed + 1))
}

# the migrations panel of a frame: "OWNER DIRECTION PAGES P50 P99" per row (P50/P99 are "4.2 ms")
frame_migrations() {
	awk '/^OWNER +DIRECTION/ { rows = 1; next } /^EVENTS / { exit }
	     rows && $1 == "owner" { print $2, $3, $10, $6 " " $7, $8 " " $9 }' "$1"
}
# the same from zdevtrace's text report: OWNER DIRECTION CALLS FAILED CPUFAULT ASKED MIGRATED BYTES P50 P99 MAX
report_migrations() {
	awk '/^MIGRATIONS / { table = 1; next } table && /^OWNER / { rows = 1; next } rows && !NF { exit }
	     rows && $1 ~ /^[0-9]+$/ { print $1, $2, $7, $10 " " $11, $12 " " $13 }' "$1"
}
# the pgmaps panel: "ID TYPE DEV-PAGES STATE" ("live*": present at start, live)
frame_pgmaps() {
	awk '/^PGMAPS  [0-9]+ shown/ { title = 1; next } title && /^ +ID TYPE/ { rows = 1; next } /^P2P POOLS/ { exit }
	     rows && NF { state = $NF; sub(/\*$/, "", state); print $1, $2, $(NF - 1), state }' "$1" | sort -n
}

# --- -n FRAMES: exactly that many, one refresh apart, the record's clock running at --speed ------------------
"$zdevtop" -b -n 3 -r "$fixtures/hmm.zdev" --speed 10 -d 1 > "$work/frames" 2> "$work/frames.err"
status=$?
frames=$(grep -c '^zdevtop ' "$work/frames")
if [ $status -eq 0 ] && [ "$frames" -eq 3 ] && [ ! -s "$work/frames.err" ]; then
	ok "-b -n 3 --speed 10 -d 1: exit 0, 3 frames"
else
	fail "-b -n 3 --speed 10 -d 1" "exit $status, $frames frames (want 0, 3)" "$work/frames.err"
fi
# frame k is numbered k; its record time is at least 10 s per refresh, and grows
times=$(sed -nE 's/^zdevtop  replay of hmm.zdev  kernel [^ ]+  ([0-9.]+) s  refresh 1.0 s  frame ([0-9]+).*/\2 \1/p' "$work/frames")
if [ "$(awk '{ print $1 }' <<< "$times" | tr '\n' ' ')" = "1 2 3 " ] &&
	awk 'NR > 1 && !($2 >= 10 * (NR - 1) - 0.05 && $2 > last) { bad = 1 } { last = $2 } END { exit bad }' <<< "$times"; then
	ok "frames 1 2 3, the record's clock at --speed 10: $(awk '{ printf "%s s ", $2 }' <<< "$times")"
else
	fail "frames numbered 1 2 3, the record's clock at --speed 10" "frame/time: $(tr '\n' ' ' <<< "$times")" "$work/frames"
fi

# --- --speed 0: one frame, the whole record, the report's figures ------------------------------------------
for name in hmm pmem; do
	record=$fixtures/$name.zdev
	"$zdevtop" -b -r "$record" --speed 0 --width 200 > "$work/$name.frame" 2> "$work/$name.err"
	status=$?
	"$zdevtrace" report -r "$record" -f json > "$work/$name.json" 2> /dev/null &&
		"$zdevtrace" report -r "$record" > "$work/$name.txt" 2> /dev/null ||
		fail "$name: zdevtrace report" "failed"
	frames=$(grep -c '^zdevtop ' "$work/$name.frame")
	if [ $status -eq 0 ] && [ "$frames" -eq 1 ] && grep -q '^zdevtop .*END OF RECORD' "$work/$name.frame" &&
		[ ! -s "$work/$name.err" ]; then
		ok "$name: -b --speed 0: exit 0, one frame, END OF RECORD"
	else
		fail "$name: -b --speed 0" "exit $status, $frames frames" "$work/$name.err"
	fi

	total=$(frame_migrations "$work/$name.frame" | awk '{ sum += $3 } END { print sum + 0 }')
	want=$(jq '[.migrations[].pages_migrated] | add // 0' "$work/$name.json")
	if [ "$total" = "$want" ]; then ok "$name: PAGES column totals $total = zdevtrace's pages_migrated"
	else fail "$name: PAGES column total" "$total, zdevtrace's pages_migrated $want" "$work/$name.frame"; fi

	got=$(frame_migrations "$work/$name.frame" | awk '{ print $1, $2, $3 }' | sort)
	want=$(jq -r '.migrations[] | "\(.owner) \(.direction) \(.pages_migrated)"' "$work/$name.json" | sort)
	if [ "$got" = "$want" ]; then ok "$name: pages per owner and direction = zdevtrace's ($(grep -c . <<< "$got") flows)"
	else fail "$name: pages per owner and direction" "zdevtop: $(tr '\n' ',' <<< "$got") zdevtrace: $(tr '\n' ',' <<< "$want")"; fi

	got=$(frame_migrations "$work/$name.frame" | awk '{ print $1, $2, $4, $5, $6, $7 }' | sort)
	want=$(report_migrations "$work/$name.txt" | awk '{ print $1, $2, $4, $5, $6, $7 }' | sort)
	if [ "$got" = "$want" ]; then ok "$name: P50 and P99 per flow = zdevtrace's report"
	else fail "$name: P50 and P99 per flow" "zdevtop: $(tr '\n' ',' <<< "$got") zdevtrace: $(tr '\n' ',' <<< "$want")"; fi

	got=$(frame_pgmaps "$work/$name.frame")
	want=$(jq -r '.pgmaps[] | "\(.id) \(.type) \(.pages_in_use) \(.state)"' "$work/$name.json" | sort -n)
	if [ -n "$got" ] && [ "$got" = "$want" ]; then
		ok "$name: the pgmaps (id, type, device pages, state) = zdevtrace's ($(grep -c . <<< "$got"))"
	else
		fail "$name: the pgmaps" "zdevtop: $(tr '\n' ',' <<< "$got") zdevtrace: $(tr '\n' ',' <<< "$want")"
	fi
done

# --- bad input: one line, exit 2, nothing on stdout --------------------------------------------------------
refuse() { # NAME REGEX FILE
	"$zdevtop" -b -r "$3" --speed 0 > "$work/out" 2> "$work/err"
	local status=$? lines
	lines=$(grep -c . "$work/err")
	if [ $status -eq 2 ] && [ "$lines" -eq 1 ] && grep -Eq -- "$2" "$work/err" && [ ! -s "$work/out" ]; then
		ok "$1: exit 2: $(cat "$work/err")"
	else
		fail "$1" "exit $status (want 2), $lines line(s) on stderr (want 1 matching '$2'), $(wc -c < "$work/out") bytes on stdout" "$work/err"
	fi
}
: > "$work/empty.zdev"
head -c 10 "$fixtures/hmm.zdev" > "$work/header-cut.zdev"
echo "not a record" > "$work/text.zdev"
refuse "missing file" "^zdevtop: cannot read /nonexistent: No such file or directory$" /nonexistent
refuse "empty file" "^zdevtop: .*empty.zdev: the file is empty" "$work/empty.zdev"
refuse "cut inside its header" "^zdevtop: .*header-cut.zdev: the file ends inside its header" "$work/header-cut.zdev"
refuse "not a record" "^zdevtop: .*text.zdev: not a zdev record" "$work/text.zdev"
refuse "a directory" "^zdevtop: .* is not a regular file$" "$work"

# cut short in a block: a warning (and one for the END block it lost), then the frame of the blocks before it
# (what zdevtrace reads of it too)
size=$(stat -c %s "$fixtures/hmm.zdev")
head -c $((size * 2 / 3)) "$fixtures/hmm.zdev" > "$work/cut.zdev"
"$zdevtop" -b -r "$work/cut.zdev" --speed 0 --width 200 > "$work/cut.frame" 2> "$work/cut.err"
status=$?
frames=$(grep -c '^zdevtop ' "$work/cut.frame")
if [ $status -eq 0 ] && [ "$frames" -eq 1 ] && [ "$(grep -c . "$work/cut.err")" -eq 2 ] &&
	grep -Eq '^zdevtop: .*cut.zdev: [0-9]+ bytes at the end could not be read; the blocks before them are used$' "$work/cut.err" &&
	grep -Eq '^zdevtop: .*cut.zdev has no END block \(the recording did not finish\)' "$work/cut.err"; then
	ok "cut short: exit 0, two warnings ($(tr '\n' ' ' < "$work/cut.err")), one frame"
else
	fail "cut short" "exit $status, $frames frame(s), $(grep -c . "$work/cut.err") line(s) on stderr" "$work/cut.err"
fi
"$zdevtrace" report -r "$work/cut.zdev" -f json > "$work/cut.json" 2> /dev/null
total=$(frame_migrations "$work/cut.frame" | awk '{ sum += $3 } END { print sum + 0 }')
want=$(jq '[.migrations[].pages_migrated] | add // 0' "$work/cut.json")
full=$(jq '[.migrations[].pages_migrated] | add // 0' "$work/hmm.json")
if [ "$total" = "$want" ] && [ "$total" -lt "$full" ]; then
	ok "cut short: the frame holds what could be read: $total pages migrated (zdevtrace: $want; whole record: $full)"
else
	fail "cut short: the frame holds what could be read" "$total pages (zdevtrace $want, whole record $full)" "$work/cut.frame"
fi

# without its END block (the recording did not finish), whole otherwise: the warning zdevtrace gives too, then
# the frame of every record, at once and played back
end=$(perl -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>; my $o = 16;
	while ($o + 16 <= length $d) { my ($t, $n) = unpack("VV", substr($d, $o, 8));
		if ($t == 5) { print $o; exit 0 } $o += 16 + $n } exit 1' "$fixtures/hmm.zdev")
head -c "${end:-0}" "$fixtures/hmm.zdev" > "$work/unfinished.zdev"
for speed in 0 1000000; do
	"$zdevtop" -b -r "$work/unfinished.zdev" --speed $speed -d 0.1 --width 200 > "$work/unfinished.frame" \
		2> "$work/unfinished.err"
	status=$?
	total=$(frame_migrations "$work/unfinished.frame" | awk '{ sum += $3 } END { print sum + 0 }')
	full=$(jq '[.migrations[].pages_migrated] | add // 0' "$work/hmm.json")
	if [ -n "$end" ] && [ $status -eq 0 ] && [ "$(grep -c . "$work/unfinished.err")" -eq 1 ] &&
		grep -Eq '^zdevtop: .*unfinished.zdev has no END block \(the recording did not finish\)' "$work/unfinished.err" &&
		[ "$total" = "$full" ]; then
		ok "no END block, --speed $speed: exit 0, one warning, every record ($total pages migrated)"
	else
		fail "no END block, --speed $speed" "exit $status, $total pages migrated (want $full), END at ${end:-none}" \
			"$work/unfinished.err"
	fi
done

echo "zdevtop batch tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
