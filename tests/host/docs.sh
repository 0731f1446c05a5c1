#!/usr/bin/env bash
# Every long option zdevtrace --help lists is documented in man/zdevtrace.8, and the other way round.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
help_opts=$("$repo/build/zdevtrace" --help | grep -oE -- '--[a-z][a-z-]+' | grep -vE -- '--(help|usage)$' | sort -u)
man_opts=$(grep -oE -- '\\-\\-[a-z]+(\\-[a-z]+)*' "$repo/man/zdevtrace.8" | sed 's/\\//g' | sort -u)
failed=0
for opt in $help_opts; do
	grep -qx -- "$opt" <<< "$man_opts" || { echo "FAIL docs: $opt is in --help but not in man/zdevtrace.8"; failed=1; }
done
for opt in $man_opts; do
	grep -qx -- "$opt" <<< "$help_opts" || { echo "FAIL docs: $opt is in man/zdevtrace.8 but not in --help"; failed=1; }
done
[ $failed -eq 0 ] && echo "ok   docs: $(wc -w <<< "$help_opts") long options, --help and the man page agree"
exit $failed
