#!/usr/bin/env bash
# Host tests of zdevtrace's and zdevtop's error paths: every refusal is one clear line on stderr and exit 2,
# never a libbpf log, and record files are never written through an existing file or symlink. Runs on the
# development machine, whose kernel refuses function tracing (see README).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$repo/build}
zdevtrace=$build/zdevtrace
zdevtop=$build/zdevtop
fixture=$repo/tests/fuzz/corpus/record/pmem-lab.zdev   # a real record from the lab (lab pmem scenario)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0 skipped=0

check() { # NAME WANT_STATUS REGEX -- CMD...   (usage errors may add argp's "Try --help" line)
	local name=$1 want=$2 regex=$3 out status lines
	shift 4
	out=$("$@" 2>&1 >/dev/null)
	status=$?
	lines=$(printf '%s\n' "$out" | grep -v "^Try .*--help" | grep -c .)
	if [ "$status" = "$want" ] && [ "$lines" -le 1 ] && grep -Eq -- "$regex" <<< "$out"; then
		echo "ok   $name: exit $status: $out"; passed=$((passed + 1))
	else
		echo "FAIL $name: exit $status (want $want), $lines line(s) (want 1) matching '$regex':"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -20
		failed=$((failed + 1))
	fi
}

check "bad duration" 2 "-d wants a positive number" -- "$zdevtrace" -d abc
check "bad format" 2 "-f wants text or json" -- "$zdevtrace" -f xml
check "nothing after --" 2 "nothing after --" -- "$zdevtrace" --
check "stray argument" 2 "unexpected argument" -- "$zdevtrace" oops
check "unwritable output" 2 "cannot write /nonexistent/x" -- "$zdevtrace" -o /nonexistent/x -d 1

# record files: bad ones are one line and exit 2, a cut one is used up to its last block
check "report without -r" 2 "report needs -r FILE" -- "$zdevtrace" report
check "record without -w" 2 "record needs -w FILE" -- "$zdevtrace" record -d 1
check "check without --baseline" 2 "check needs --baseline FILE" -- "$zdevtrace" check -r "$fixture"
check "-r with tracing" 2 "-r replays a file" -- "$zdevtrace" -r "$fixture"
check "report of a missing file" 2 "cannot read $scratch/none" -- "$zdevtrace" report -r "$scratch/none"
: > "$scratch/empty"
check "report of an empty file" 2 "the file is empty" -- "$zdevtrace" report -r "$scratch/empty"
printf 'not a record at all, just text\n' > "$scratch/text"
check "report of a text file" 2 "not a zdev record \\(bad magic\\)" -- "$zdevtrace" report -r "$scratch/text"
cp "$fixture" "$scratch/future"; printf '\x09' | dd of="$scratch/future" bs=1 seek=8 conv=notrunc status=none
check "report of a future version" 2 "format version 9 is newer than this zdevtrace reads" -- \
	"$zdevtrace" report -r "$scratch/future"
cp "$fixture" "$scratch/flipped"; printf '\xff' | dd of="$scratch/flipped" bs=1 seek=200 conv=notrunc status=none
check "report of a corrupted block" 2 "block 0 at byte 16 is corrupt \\(checksum mismatch\\)" -- \
	"$zdevtrace" report -r "$scratch/flipped"
head -c 12000 "$fixture" > "$scratch/cut"
out=$("$zdevtrace" report -r "$scratch/cut" -f json 2>&1 >/dev/null); status=$?
if [ $status -eq 0 ] && grep -q "bytes at the end could not be read" <<< "$out"; then
	echo "ok   report of a cut file: exit 0, warns: $(head -n 1 <<< "$out")"; passed=$((passed + 1))
else
	echo "FAIL report of a cut file: exit $status: $out"; failed=$((failed + 1))
fi
check "check with a missing baseline" 2 "cannot read baseline" -- \
	"$zdevtrace" check --baseline "$scratch/none.json" -r "$fixture"
printf '{"schema": "zdev.baseline", "version": 7, "entries": []}' > "$scratch/future.json"
check "check with a future baseline" 2 "baseline version 7 is newer" -- \
	"$zdevtrace" check --baseline "$scratch/future.json" -r "$fixture"
printf '{"schema": "zdev.baseline", "version": 1, "entries": [' > "$scratch/cut.json"
check "check with a cut baseline" 2 "not JSON" -- "$zdevtrace" check --baseline "$scratch/cut.json" -r "$fixture"
check "bad --max-increase" 2 "--max-increase wants a percentage" -- \
	"$zdevtrace" check --baseline x --max-increase -3 -r "$fixture"
check "bad --max-vmemmap" 2 "--max-vmemmap wants a byte count" -- \
	"$zdevtrace" check --baseline x --max-vmemmap 12Q -r "$fixture"
check "limits outside check" 2 "belong to 'zdevtrace check'" -- "$zdevtrace" --max-increase 5 -d 1
# record files are created O_EXCL|O_NOFOLLOW: an existing file or a symlink is refused before anything runs
echo keep > "$scratch/existing"
check "record over an existing file" 2 "exists: not overwritten \\(--force replaces it\\)" -- \
	"$zdevtrace" record -w "$scratch/existing" -d 1
echo target > "$scratch/target"; ln -s "$scratch/target" "$scratch/link"
check "record through a symlink" 2 "exists: not overwritten" -- "$zdevtrace" record -w "$scratch/link" -d 1
if [ "$(cat "$scratch/existing")$(cat "$scratch/target")" = keeptarget ]; then
	echo "ok   refused record files left untouched"; passed=$((passed + 1))
else
	echo "FAIL a refused record file was written"; failed=$((failed + 1))
fi
check "record --force over a directory" 2 "is not a regular file: not replaced" -- \
	"$zdevtrace" record -w "$scratch" --force -d 1
check "--force without -w" 2 "--force goes with -w FILE" -- "$zdevtrace" --force -d 1
# zdevtop
check "zdevtop bad delay" 2 "-d wants seconds" -- "$zdevtop" -d 0
check "zdevtop bad frames" 2 "-n wants a positive number" -- "$zdevtop" -b -n 0
check "zdevtop without a terminal" 2 "stdout is not a terminal; -b prints text frames" -- "$zdevtop" -r "$fixture"
check "zdevtop missing record" 2 "cannot read $scratch/none" -- "$zdevtop" -b -r "$scratch/none"
check "zdevtop empty record" 2 "the file is empty" -- "$zdevtop" -b -r "$scratch/empty"
check "zdevtop corrupted record" 2 "checksum mismatch" -- "$zdevtop" -b -r "$scratch/flipped"

if [ "$(id -u)" -eq 0 ] && command -v setpriv > /dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	check "no privileges" 2 "needs root, or CAP_BPF and CAP_PERFMON" -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$zdevtrace" -d 1
else
	echo "SKIPPED no privileges: needs root and setpriv to drop to nobody"; skipped=$((skipped + 1))
fi

if [ "$(id -u)" -eq 0 ]; then
	out=$("$zdevtrace" -d 1 2>&1 >/dev/null); status=$?
	if [ $status -eq 0 ]; then
		echo "SKIPPED untraceable kernel: this host's kernel can trace (zdevtrace ran)"; skipped=$((skipped + 1))
	else
		check "untraceable kernel" 2 "no probe could be attached|has no BTF" -- "$zdevtrace" -d 1
		check "untraceable kernel, probes" 2 "no probe could be attached|has no BTF" -- "$zdevtrace" probes
		check "untraceable kernel, zdevtop" 2 "no probe could be attached|has no BTF" -- "$zdevtop" -b -n 1
		rm -f "$scratch/rec"
		check "untraceable kernel, record" 2 "no probe could be attached|has no BTF" -- \
			"$zdevtrace" record -w "$scratch/rec" -d 1
		if [ ! -e "$scratch/rec" ]; then
			echo "ok   no record file left when nothing could be traced"; passed=$((passed + 1))
		else
			echo "FAIL a record file was left behind by a run that traced nothing"; failed=$((failed + 1))
		fi
	fi
fi
# a record from a build with fewer hooks (the fixture has 28 probe rows; this build more): its own rows only,
# no nameless ones
rows=$("$zdevtrace" report -r "$repo/tests/fixtures/hmm.zdev" -f json | jq '.probes | length')
summary=$("$zdevtrace" report -r "$repo/tests/fixtures/hmm.zdev" | grep -E '^probes: |^  .* OFF \(')
if [ "$rows" = 28 ] && grep -q '^probes: 19 of 28 attached' <<< "$summary" && ! grep -q '^   OFF' <<< "$summary"; then
	echo "ok   an older record's probe table: its 28 rows, none blank"; passed=$((passed + 1))
else
	echo "FAIL an older record's probe table: $rows JSON rows (want 28); $(head -n 1 <<< "$summary")"
	failed=$((failed + 1))
fi
echo "host error tests: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
