#!/usr/bin/env bash
# same-reports.sh OLD_ZDEVTRACE NEW_ZDEVTRACE [RECORD...]
#
# The proof that a change left zdev's output alone (issue 14's refactor: "the same records give the same
# reports, byte for byte"): every record is replayed by an old and a new build and everything each writes is
# compared. Per record:
#   report -r F, report -r F -f json
#   check --baseline B --write-baseline -r F (the baseline file written too)
#   check --baseline B -r F --junit J (the table and the JUnit file), check ... -f json, and check -f json
#   --junit J with every limit set (--max-increase, --max-time-increase, --max-vmemmap, --allow-gone,
#   --allow-drops), for every B in: the record's own baseline, the baselines of tests/fixtures/*.zdev, and
#   tests/fuzz/corpus/baseline/*.json (so verdicts of every kind: ok, new, gone, regressions)
#   zdevtop -b -n 3 --speed 0 -d 0.1 --width 120 -r F (the zdevtop beside each zdevtrace, or OLD_ZDEVTOP and
#   NEW_ZDEVTOP): at --speed 0 the whole record is read before the first frame, so frames do not depend on
#   timing; paced playback (--speed 1) does, and is not compared. A zdevtop whose two runs of one record differ
#   is said ("not deterministic") and not counted as a difference.
# Compared: stdout, stderr and the exit status, byte for byte, and the files the command writes. Nothing is
# normalised: each side runs in a folder of its own through a link of the same name (../bin/zdevtrace), so
# that argv[0] and the output paths are the same words on both sides.
#
# RECORD...: the records to replay; by default tests/fixtures/*.zdev, tests/fuzz/corpus/record/*.zdev,
# build/vm-results/*/*/results/*.zdev when the lab left some, and two copies of each tests/fixtures record
# made here: cut in half, and without its END block (the "could not check" and incomplete-record paths).
#
# One line per difference ("differs: RECORD: COMMAND: stdout (line N)"), then "N records, M comparisons,
# all identical" (exit 0) or "..., K differ" (exit 1); exit 2 on bad usage.
#
# Not part of make check: it needs a build from before the change (START: the commit it starts from):
#   git worktree add /tmp/before START && make -C /tmp/before -j2 build/zdevtrace build/zdevtop
#   make -j2 all && tests/host/same-reports.sh /tmp/before/build/zdevtrace build/zdevtrace
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)

if [ $# -lt 2 ]; then
	echo "usage: $0 OLD_ZDEVTRACE NEW_ZDEVTRACE [RECORD...]" >&2
	exit 2
fi
absolute() { (cd "$(dirname "$1")" 2> /dev/null && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
old_trace=$(absolute "$1") new_trace=$(absolute "$2")
shift 2
old_top=${OLD_ZDEVTOP:-$(dirname "$old_trace")/zdevtop}
new_top=${NEW_ZDEVTOP:-$(dirname "$new_trace")/zdevtop}
for binary in "$old_trace" "$new_trace" "$old_top" "$new_top"; do
	if [ ! -x "$binary" ]; then
		echo "$0: $binary is not an executable (OLD_ZDEVTOP, NEW_ZDEVTOP name zdevtop elsewhere)" >&2
		exit 2
	fi
done
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset COLUMNS NO_COLOR
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for side in old new; do
	mkdir -p "$work/$side/bin"
done
ln -s "$old_trace" "$work/old/bin/zdevtrace"
ln -s "$old_top" "$work/old/bin/zdevtop"
ln -s "$new_trace" "$work/new/bin/zdevtrace"
ln -s "$new_top" "$work/new/bin/zdevtop"
mkdir -p "$work/derived" "$work/baselines/own" "$work/baselines/fixtures"

# the block offset of a record's END block (format in man/zdevtrace.8), as tests/host/check.sh finds it
end_offset() {
	perl -e 'open(F, "<", $ARGV[0]) or die; binmode F; local $/; my $d = <F>; my $o = 16;
		while ($o + 16 <= length $d) { my ($t, $n) = unpack("VV", substr($d, $o, 8));
			if ($t == 5) { print $o; exit 0 } $o += 16 + $n } exit 1' "$1"
}

records=("$@")
if [ ${#records[@]} -eq 0 ]; then
	shopt -s nullglob
	records=("$repo"/tests/fixtures/*.zdev "$repo"/tests/fuzz/corpus/record/*.zdev
		 "$repo"/build/vm-results/*/*/results/*.zdev)
	for fixture in "$repo"/tests/fixtures/*.zdev; do
		name=$(basename "$fixture" .zdev)
		head -c $(($(stat -c %s "$fixture") / 2)) "$fixture" > "$work/derived/$name-half.zdev"
		records+=("$work/derived/$name-half.zdev")
		if end=$(end_offset "$fixture"); then
			head -c "$end" "$fixture" > "$work/derived/$name-noend.zdev"
			records+=("$work/derived/$name-noend.zdev")
		fi
	done
	shopt -u nullglob
fi
if [ ${#records[@]} -eq 0 ]; then
	echo "$0: no records" >&2
	exit 2
fi
for i in "${!records[@]}"; do
	records[i]=$(absolute "${records[i]}")
done

comparisons=0 differences=0 undeterministic=0

# run SIDE TOOL ARGS...: TOOL of SIDE in a fresh SIDE/out, its stdout, stderr and status beside it
run() {
	local side=$1 tool=$2
	shift 2
	rm -rf "$work/$side/out" && mkdir "$work/$side/out" || exit 2
	(cd "$work/$side/out" && timeout 60 "../bin/$tool" "$@" > ../stdout 2> ../stderr; echo $? > ../status)
}

# differs RECORD WHAT: one line, and counted
differs() {
	echo "differs: $1: $2"
	differences=$((differences + 1))
}

# same RECORD LABEL: what the last run of each side left, compared
same() {
	local stream where
	if ! cmp -s "$work/old/status" "$work/new/status"; then
		differs "$1" "$2: exit status $(cat "$work/old/status") -> $(cat "$work/new/status")"
	fi
	for stream in stdout stderr; do
		if ! cmp -s "$work/old/$stream" "$work/new/$stream"; then
			where=$(cmp "$work/old/$stream" "$work/new/$stream" 2>&1 | sed -n 's/.*, line \([0-9]*\)$/line \1/p')
			differs "$1" "$2: $stream${where:+ ($where)}"
		fi
	done
	if ! diff -rq "$work/old/out" "$work/new/out" > "$work/files" 2>&1; then
		while read -r line; do
			differs "$1" "$2: files: ${line//$work\//}"
		done < "$work/files"
	fi
}

# compare RECORD LABEL TOOL ARGS...: TOOL ARGS run by both sides, everything compared
compare() {
	local record=$1 label=$2
	shift 2
	run old "$@"
	run new "$@"
	comparisons=$((comparisons + 1))
	same "$record" "$label"
}

# the baselines every record is checked against: the fixtures', as the old build writes them, and the
# fuzzer's seeds
cross_baselines=()
for fixture in "$repo"/tests/fixtures/*.zdev; do
	baseline=$work/baselines/fixtures/$(basename "$fixture" .zdev).json
	"$old_trace" check --baseline "$baseline" --write-baseline -r "$fixture" 2> /dev/null &&
		cross_baselines+=("$baseline")
done
for baseline in "$repo"/tests/fuzz/corpus/baseline/*.json; do
	[ -e "$baseline" ] && cross_baselines+=("$baseline")
done

limits=(--max-increase 12.5 --max-time-increase 50 --max-vmemmap 4M --allow-gone --allow-drops)
for record in "${records[@]}"; do
	shown=${record#"$repo"/}
	shown=${shown#"$work"/}
	compare "$shown" "report" zdevtrace report -r "$record"
	compare "$shown" "report -f json" zdevtrace report -r "$record" -f json
	compare "$shown" "check --write-baseline" zdevtrace check --baseline base.json --write-baseline -r "$record"
	baselines=("${cross_baselines[@]}")
	own=$work/baselines/own/$(basename "$record" .zdev).json
	"$old_trace" check --baseline "$own" --write-baseline -r "$record" 2> /dev/null && baselines+=("$own")
	for baseline in "${baselines[@]}"; do
		against=${baseline#"$repo"/}
		against=${against#"$work"/}
		compare "$shown" "check against $against" zdevtrace check --baseline "$baseline" -r "$record" \
			--junit junit.xml
		compare "$shown" "check -f json against $against" zdevtrace check --baseline "$baseline" -r "$record" -f json
		compare "$shown" "check -f json with limits against $against" zdevtrace check --baseline "$baseline" \
			-r "$record" -f json --junit junit.xml "${limits[@]}"
	done
	rm -f "$own"

	# zdevtop: compared only where the new build gives the same frames twice
	top=(zdevtop -b -n 3 --speed 0 -d 0.1 --width 120 -r "$record")
	run new "${top[@]}"
	cp "$work/new/stdout" "$work/first-frames"
	run new "${top[@]}"
	if cmp -s "$work/first-frames" "$work/new/stdout"; then
		run old "${top[@]}"
		comparisons=$((comparisons + 1))
		same "$shown" "zdevtop -b"
	else
		echo "not deterministic: $shown: zdevtop -b: two runs of the new build differ; not compared"
		undeterministic=$((undeterministic + 1))
	fi
done

summary="${#records[@]} records, $comparisons comparisons"
[ $undeterministic -eq 0 ] || summary+=" ($undeterministic of zdevtop not deterministic)"
if [ $differences -eq 0 ]; then
	echo "$summary, all identical"
	exit 0
fi
echo "$summary, $differences differ"
exit 1
