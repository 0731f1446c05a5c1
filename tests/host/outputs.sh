#!/usr/bin/env bash
# Host tests of zdevtrace's outputs (-o, --junit, --write-baseline): nothing is destroyed (a FIFO or a device
# stays what it is, an input is never an output, a failed run leaves the old file), and every write error is
# one line and exit 2, whatever the renderer. No privileges or BPF needed: everything replays a record.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$repo/build}" && pwd) # absolute: the tests run in a scratch folder
zdevtrace=$build/zdevtrace
fixture=$repo/tests/fixtures/pmem.zdev
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" # a stray output lands here, not in the tree
passed=0 failed=0

pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# NAME WANT_STATUS REGEX -- CMD...: exit WANT_STATUS, exactly one line on stderr matching REGEX
one_line() {
	local name=$1 want=$2 regex=$3 out status lines
	shift 4
	out=$("$@" 2>&1 >/dev/null)
	status=$?
	lines=$(printf '%s\n' "$out" | grep -c .)
	if [ "$status" = "$want" ] && [ "$lines" -eq 1 ] && grep -Eq -- "$regex" <<< "$out"; then
		pass "$name: exit $status: $out"
	else
		fail "$name: exit $status (want $want), $lines line(s) (want 1) matching '$regex':"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -10
	fi
}

cp "$fixture" "$scratch/run.zdev"
"$zdevtrace" check --baseline "$scratch/base.json" --write-baseline -r "$scratch/run.zdev" 2> /dev/null
[ -s "$scratch/base.json" ] || fail "setup: no baseline written"

# --- nothing destroyed -----------------------------------------------------------------------------------
echo keep > "$scratch/keep.json"
one_line "report of a missing record, -o an existing file" 2 "cannot read" -- \
	"$zdevtrace" report -r "$scratch/none.zdev" -o "$scratch/keep.json"
[ "$(cat "$scratch/keep.json")" = keep ] && pass "a failed report leaves -o's file as it was" ||
	fail "a failed report changed -o's file: '$(head -c 60 "$scratch/keep.json")'"

one_line "-o equal to -r" 2 "-o .* and -r .* are the same file" -- \
	"$zdevtrace" report -r "$scratch/run.zdev" -o "$scratch/run.zdev"
ln -s run.zdev "$scratch/run-link"
one_line "-o a symlink to -r" 2 "are the same file" -- \
	"$zdevtrace" report -r "$scratch/run.zdev" -o "$scratch/run-link"
ln "$scratch/run.zdev" "$scratch/run-hardlink"
one_line "-o a hard link to -r" 2 "are the same file" -- \
	"$zdevtrace" report -r "$scratch/run-hardlink" -o "$scratch/./run.zdev"
one_line "--junit equal to --baseline" 2 "are the same file" -- \
	"$zdevtrace" check --baseline "$scratch/base.json" --junit "$scratch/base.json" -r "$scratch/run.zdev"
one_line "--junit equal to -o" 2 "are the same file" -- \
	"$zdevtrace" check --baseline "$scratch/base.json" --junit "$scratch/new.xml" -o "$scratch/new.xml" \
	-r "$scratch/run.zdev"
one_line "--write-baseline over the record" 2 "are the same file" -- \
	"$zdevtrace" check --baseline "$scratch/run.zdev" --write-baseline -r "$scratch/run.zdev"
one_line "record -w equal to -o" 2 "-o .* and -w .* are the same file" -- \
	"$zdevtrace" record -w "$scratch/rec.zdev" -o "$scratch/rec.zdev" -d 1
cmp -s "$fixture" "$scratch/run.zdev" && pass "the record survived every refusal" || fail "the record was changed"
[ ! -e "$scratch/new.xml" ] && [ ! -e "$scratch/rec.zdev" ] && pass "refused outputs are not created" ||
	fail "a refused output was created"
cp "$fixture" "$scratch/run.zdev" # each test below on its own, whatever happened above

one_line "-o a directory" 2 "is a directory" -- "$zdevtrace" report -r "$scratch/run.zdev" -o "$scratch"
one_line "two outputs on standard output" 2 "two outputs would go to standard output" -- \
	"$zdevtrace" check --baseline "$scratch/base.json" --junit - -r "$scratch/run.zdev"

# a run that fails after the options were accepted (this host cannot trace: no BPF, or no privileges)
"$zdevtrace" record -w "$scratch/rec.zdev" -o "$scratch/report.txt" -d 1 > /dev/null 2>&1
status=$?
if [ $status -eq 0 ]; then
	echo "SKIPPED a failed record leaves no report: this host can trace"
elif [ ! -e "$scratch/report.txt" ]; then
	pass "a failed record -w -o leaves no report file (exit $status)"
else
	fail "a failed record -w -o left $scratch/report.txt behind"
fi

# a FIFO is written as a stream, never replaced by a regular file
mkfifo "$scratch/fifo.xml"
timeout 10 cat "$scratch/fifo.xml" > "$scratch/fifo-got" &
reader=$!
timeout 10 "$zdevtrace" check --baseline "$scratch/base.json" -r "$scratch/run.zdev" --junit "$scratch/fifo.xml" \
	> /dev/null 2>&1
status=$?
wait $reader
if [ $status -eq 0 ] && [ -p "$scratch/fifo.xml" ] && grep -q '<testsuites' "$scratch/fifo-got"; then
	pass "--junit FIFO: written through it, still a FIFO"
else
	fail "--junit FIFO: exit $status, $(stat -c %F "$scratch/fifo.xml"), read $(wc -c < "$scratch/fifo-got") bytes"
	rm -f "$scratch/fifo.xml" # a regular file now: the reader is gone
fi
# a symlink to a device (as /dev/stdout is) is written through, not replaced
ln -s /dev/null "$scratch/null-link"
"$zdevtrace" check --baseline "$scratch/base.json" -r "$scratch/run.zdev" --junit "$scratch/null-link" > /dev/null 2>&1
status=$?
[ $status -eq 0 ] && [ -L "$scratch/null-link" ] && pass "--junit to a symlink to /dev/null: the link stays" ||
	fail "--junit to a symlink to /dev/null: exit $status, $(stat -c %F "$scratch/null-link")"
"$zdevtrace" report -r "$scratch/run.zdev" -o "$scratch/null-link" > /dev/null 2>&1
[ -L "$scratch/null-link" ] && pass "-o to a symlink to /dev/null: the link stays" || fail "-o replaced the link"
[ -c /dev/null ] && pass "/dev/null is still a character device" || fail "/dev/null was replaced"

# a regular file is replaced whole, keeping its permissions; "-" is standard output
echo old > "$scratch/report.json"; chmod 640 "$scratch/report.json"
"$zdevtrace" report -r "$scratch/run.zdev" -f json -o "$scratch/report.json" 2> /dev/null
if jq -se 'length == 1 and .[0].schema == "zdev.report"' "$scratch/report.json" > /dev/null && [ "$(stat -c %a "$scratch/report.json")" = 640 ]
then pass "-o over a regular file: replaced, mode 640 kept"
else fail "-o over a regular file: mode $(stat -c %a "$scratch/report.json"), $(head -c 40 "$scratch/report.json")"; fi
[ -z "$(find "$scratch" -name '*.json.*')" ] && pass "no temporary file left" ||
	fail "temporary files left: $(find "$scratch" -name '*.json.*')"
"$zdevtrace" report -r "$scratch/run.zdev" -f json -o - 2> /dev/null | jq -se 'length == 1 and .[0].schema == "zdev.report"' > /dev/null &&
	pass "-o - writes standard output" || fail "-o - did not write standard output"
"$zdevtrace" check --baseline - --write-baseline -r "$scratch/run.zdev" 2> /dev/null |
	jq -se 'length == 1 and .[0].schema == "zdev.baseline"' > /dev/null && pass "--write-baseline --baseline - writes standard output" ||
	fail "--write-baseline --baseline - did not write standard output"
rm -f "$scratch/new-base.json"
"$zdevtrace" check --baseline "$scratch/new-base.json" --write-baseline -r "$scratch/run.zdev" 2> /dev/null
[ "$(stat -c %a "$scratch/new-base.json" 2>/dev/null)" = 600 ] && pass "a new baseline is 0600" ||
	fail "a new baseline has mode $(stat -c %a "$scratch/new-base.json" 2>/dev/null)"

# --- write errors: one line, exit 2, every renderer ----------------------------------------------------------
if [ -w /dev/full ]; then
	one_line "text report to a full disk" 2 "writing the report to standard output: No space left" -- \
		sh -c '"$0" report -r "$1" > /dev/full' "$zdevtrace" "$scratch/run.zdev"
	one_line "JSON report to a full disk" 2 "writing the report to standard output: No space left" -- \
		sh -c '"$0" report -r "$1" -f json > /dev/full' "$zdevtrace" "$scratch/run.zdev"
	one_line "-o /dev/full" 2 "writing the report to /dev/full: No space left" -- \
		"$zdevtrace" report -r "$scratch/run.zdev" -o /dev/full
	one_line "check's table to a full disk" 2 "No space left" -- \
		sh -c '"$0" check --baseline "$1" -r "$2" > /dev/full' "$zdevtrace" "$scratch/base.json" "$scratch/run.zdev"
	one_line "--junit /dev/full" 2 "writing the JUnit XML to /dev/full: No space left" -- \
		"$zdevtrace" check --baseline "$scratch/base.json" -r "$scratch/run.zdev" --junit /dev/full
	one_line "--write-baseline to /dev/full" 2 "writing the baseline to /dev/full: No space left" -- \
		"$zdevtrace" check --baseline /dev/full --write-baseline -r "$scratch/run.zdev"
else
	echo "SKIPPED write errors on /dev/full: no /dev/full here"
fi
one_line "closed standard output" 2 "writing the report to standard output: Bad file descriptor" -- \
	sh -c '"$0" report -r "$1" >&-' "$zdevtrace" "$scratch/run.zdev"
# a reader gone before the report is written: EPIPE, not a silent death by SIGPIPE
{ sleep 0.5; "$zdevtrace" report -r "$scratch/run.zdev" 2> "$scratch/epipe.err"; echo $? > "$scratch/epipe.rc"; } | true
wait
if [ "$(cat "$scratch/epipe.rc")" = 2 ] && [ "$(grep -c . "$scratch/epipe.err")" = 1 ] &&
	grep -q "Broken pipe" "$scratch/epipe.err"; then
	pass "a closed pipe: exit 2, $(cat "$scratch/epipe.err")"
else
	fail "a closed pipe: exit $(cat "$scratch/epipe.rc"), $(cat "$scratch/epipe.err")"
fi

echo "host output tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
