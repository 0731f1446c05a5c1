#!/usr/bin/env bash
# valgrind memcheck over the user-space paths that need no kernel: replaying records into reports (text,
# JSON), the check and its baseline, zdevtop's batch frames. Zero errors and zero leaks (definite, indirect,
# possible) or it fails; "still reachable" memory of the libraries (ncurses' terminfo) is not a leak.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$repo/build}
if ! command -v valgrind > /dev/null; then
	echo "SKIPPED valgrind: not installed (apt-get install valgrind, or make deps)"
	exit 77
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0

memcheck() { # NAME CMD...
	local name=$1 status
	shift
	valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --log-file="$scratch/vg.log" \
		"$@" > /dev/null 2> "$scratch/err"
	status=$?
	if [ $status -ne 99 ] && [ ! -s "$scratch/vg.log" ]; then
		echo "ok   valgrind $name: no errors, no leaks (exit $status)"; passed=$((passed + 1))
	else
		echo "FAIL valgrind $name (exit $status):"; sed 's/^/    | /' "$scratch/vg.log" | head -40
		failed=$((failed + 1))
	fi
}

for record in "$repo"/tests/fuzz/corpus/record/*-lab.zdev; do
	name=$(basename "$record" .zdev)
	memcheck "report $name text" "$build/zdevtrace" report -r "$record"
	memcheck "report $name json" "$build/zdevtrace" report -r "$record" -f json
	memcheck "write-baseline $name" "$build/zdevtrace" check --baseline "$scratch/$name.json" --write-baseline -r "$record"
	memcheck "check $name" "$build/zdevtrace" check --baseline "$scratch/$name.json" --junit "$scratch/j.xml" -r "$record"
	memcheck "zdevtop -b $name" "$build/zdevtop" -b -r "$record" --speed 0
done
head -c 9000 "$repo/tests/fuzz/corpus/record/pmem-lab.zdev" > "$scratch/cut.zdev"
memcheck "report of a cut record" "$build/zdevtrace" report -r "$scratch/cut.zdev"
memcheck "report of a file that is not a record" "$build/zdevtrace" report -r "$repo/tests/fuzz/corpus/baseline/fsdax.json"
echo "valgrind: $passed passed, $failed failed"
[ $failed -eq 0 ]
