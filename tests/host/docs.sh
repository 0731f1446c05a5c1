#!/usr/bin/env bash
# Every long option a tool's --help lists is documented in its man page (man/TOOL.8), and the other way round;
# every JSON key zdevtrace writes is documented in man/zdevtrace.8 (report keys in JSON REPORT, check and
# baseline keys in CHECK).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$repo/build}" && pwd)
failed=0
for tool in zdevtrace zdevtop; do
	help_opts=$("$build/$tool" --help | grep -oE -- '--[a-z][a-z-]+' | grep -vE -- '--(help|usage)$' | sort -u)
	man_opts=$(grep -oE -- '\\-\\-[a-z]+(\\-[a-z]+)*' "$repo/man/$tool.8" | sed 's/\\//g' | sort -u)
	tool_failed=0
	for opt in $help_opts; do
		grep -qx -- "$opt" <<< "$man_opts" || { echo "FAIL docs: $tool: $opt is in --help but not in man/$tool.8"; tool_failed=1; }
	done
	for opt in $man_opts; do
		grep -qx -- "$opt" <<< "$help_opts" || { echo "FAIL docs: $tool: $opt is in man/$tool.8 but not in --help"; tool_failed=1; }
	done
	[ $tool_failed -eq 0 ] && echo "ok   docs: $tool: $(wc -w <<< "$help_opts") long options, --help and the man page agree"
	[ $tool_failed -eq 0 ] || failed=1
done

# --- JSON keys. The keys are what the tool writes, not what its source seems to say: zdevtrace runs on every
# record of the fixtures and the fuzz corpus (report -f json), and check writes a baseline and compares with
# it (-f json); jq collects every object key at any depth, so keys made at run time (records_by_type's types,
# totals_by_type's pgmap types, amdgpu's triggers) are in. Report sections the records do not reach (a
# record with no pool, region or drm_pagemap row) would hide their keys: the keys the JSON writers
# (src/render/json.c for the report, the others for the check and its baseline) name as string literals
# in json_object_object_add() are added to cover them.
command -v jq > /dev/null || { echo "FAIL docs: jq is not installed (tests/deps build)"; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
records=("$repo"/tests/fixtures/*.zdev "$repo"/tests/fuzz/corpus/record/*.zdev)

# all object keys of the JSON documents on stdin, one per line
json_keys() { jq -r '[paths | .[] | strings] | .[]' | sort -u; }
# the keys a C file names as literals in json_object_object_add(OBJECT, "key", ...)
c_keys() { grep -oE 'json_object_object_add\([a-z_]+, "[a-z0-9_]+"' "$@" | sed -E 's/.*"(.*)"/\1/' | sort -u; }
# the text of a man page section (troff fonts and escapes removed)
man_section() { # FILE TITLE
	awk -v t="$2" '/^\.SH / { on = ($0 == ".SH " t) ; next } on' "$1" | sed -E 's/\\f[BIRP]//g; s/\\-/-/g; s/\\//g'
}
# KEYS_FILE SECTION_TEXT_FILE WHAT: every key is a word of the section
keys_documented() {
	local keys=$1 text=$2 what=$3 key missing=()
	while read -r key; do
		grep -qE "(^|[^a-z0-9_])$key([^a-z0-9_]|\$)" "$text" || missing+=("$key")
	done < "$keys"
	if [ ${#missing[@]} -eq 0 ]; then
		echo "ok   docs: zdevtrace: the $(grep -c . "$keys") keys of $what are in man/zdevtrace.8"
	else
		echo "FAIL docs: zdevtrace: keys of $what missing from man/zdevtrace.8: ${missing[*]}"
		failed=1
	fi
}

for rec in "${records[@]}"; do
	"$build/zdevtrace" report -r "$rec" -f json 2> /dev/null
done | json_keys > "$scratch/report-run"
c_keys "$repo/src/render/json.c" > "$scratch/report-c"
sort -u "$scratch/report-run" "$scratch/report-c" > "$scratch/report-keys"
if [ "$(grep -c . "$scratch/report-run")" -lt 50 ]; then
	echo "FAIL docs: zdevtrace report -f json on the fixtures gave only $(grep -c . "$scratch/report-run") keys"
	failed=1
fi
man_section "$repo/man/zdevtrace.8" "JSON REPORT" > "$scratch/man-report"
keys_documented "$scratch/report-keys" "$scratch/man-report" "report -f json ($(grep -c . "$scratch/report-run") seen in $(printf '%s\n' "${records[@]}" | wc -l) records, $(comm -13 "$scratch/report-run" "$scratch/report-c" | wc -l) more named in json.c)"

fixture=$repo/tests/fixtures/pmem.zdev
"$build/zdevtrace" check --baseline "$scratch/baseline.json" --write-baseline -r "$fixture" > /dev/null 2>&1
for rec in "${records[@]}"; do
	"$build/zdevtrace" check --baseline "$scratch/baseline.json" -r "$rec" -f json 2> /dev/null
done | json_keys > "$scratch/check-run"
json_keys < "$scratch/baseline.json" > "$scratch/baseline-run"
if [ ! -s "$scratch/check-run" ] || [ ! -s "$scratch/baseline-run" ]; then
	echo "FAIL docs: zdevtrace check wrote no JSON to collect keys from (baseline of $fixture)"
	failed=1
fi
# the check's and the baseline's writers: every other source file that adds JSON keys
mapfile -t check_writers < <(grep -rl 'json_object_object_add' "$repo/src" | grep -v '/render/json\.c$' | sort)
c_keys "${check_writers[@]}" | sort -u - "$scratch/check-run" "$scratch/baseline-run" > "$scratch/check-keys"
man_section "$repo/man/zdevtrace.8" "CHECK" > "$scratch/man-check"
keys_documented "$scratch/check-keys" "$scratch/man-check" "check -f json and its baseline"
exit $failed
