#!/usr/bin/env bash
# Every long option a tool's --help lists is documented in its man page (man/TOOL.8), and the other way round.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$repo/build}
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
exit $failed
