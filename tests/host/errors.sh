#!/usr/bin/env bash
# Host tests of zdevtrace's error paths: every refusal is one clear line on stderr and exit 2, never a
# libbpf log. Runs on the development machine, whose kernel refuses function tracing (see README).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
zdevtrace=$repo/build/zdevtrace
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
	fi
fi
echo "host error tests: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
