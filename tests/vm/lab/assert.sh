# Sourced by the lab suite: assertions on a scenario's oracle snapshots (steps/NN-NAME.json, cumulative
# counts), each printing one "ok" / "FAIL" / "n/a" line. A "n/a" is for a count this kernel cannot give
# (the function is notrace or absent here: the oracle says why); it is never an "ok".
#
# The caller sets: steps_dir (the scenario's steps folder), label ("KERNEL SCENARIO"), kernel, the counters
# passed, failed, na, and oracle_required (" fn fn ... ": functions whose "n/a" is a FAIL on this kernel).

step_file() {
	local f
	f=$(ls "$steps_dir"/[0-9][0-9]-"$1".json 2>/dev/null | head -n1)
	[ -n "$f" ] && echo "$f"
}

prev_file() {
	local f prev=
	for f in "$steps_dir"/[0-9][0-9]-*.json; do
		[ "$(basename "$f")" = "$(basename "$1")" ] && { echo "$prev"; return; }
		prev=$f
	done
}

result() { # ok|FAIL|n/a TEXT
	case "$1" in
		ok) passed=$((passed + 1)) ;;
		FAIL) failed=$((failed + 1)) ;;
		n/a) na=$((na + 1)) ;;
	esac
	printf '%-4s %s: %s\n' "$1" "$label" "$2"
}

# expect_delta STEP FUNCTION WANT [NOTE]: the step made FUNCTION run exactly WANT times
expect_delta() {
	local step=$1 fn=$2 want=$3 note=${4:+ ($4)} f p now before why
	f=$(step_file "$step") || { result FAIL "step $step: no snapshot (the step did not run)"; return; }
	p=$(prev_file "$f")
	why=$(jq -r --arg f "$fn" '.unavailable[$f] // empty' "$f")
	if [ -n "$why" ]; then
		case "${oracle_required:-}" in
			*" $fn "*) result FAIL "$step: $fn must be countable on $kernel, but: $why" ;;
			*) result n/a "$step: $fn not countable on this kernel: $why" ;;
		esac
		return
	fi
	now=$(jq -r --arg f "$fn" '.counts[$f] // "none"' "$f")
	before=$(jq -r --arg f "$fn" '.counts[$f] // "none"' "$p")
	if [ "$now" = none ] || [ "$before" = none ] || [ "$now" = null ] || [ "$before" = null ]; then
		result FAIL "$step: $fn has no count (oracle did not arm it)"
		return
	fi
	if [ $((now - before)) -eq "$want" ]; then
		result ok "$step: $fn +$((now - before))$note"
	else
		result FAIL "$step: $fn +$((now - before)), want +$want$note"
	fi
}

# expect_vmstat STEP KEY WANT [NOTE]: /proc/vmstat KEY changed by WANT during the step (n/a if absent)
expect_vmstat() {
	local step=$1 key=$2 want=$3 note=${4:+ ($4)} f p now before
	f=$(step_file "$step") || { result FAIL "step $step: no snapshot (the step did not run)"; return; }
	p=$(prev_file "$f")
	now=$(jq -r --arg k "$key" '.vmstat_end[$k] // "none"' "$f")
	before=$(jq -r --arg k "$key" '.vmstat_end[$k] // "none"' "$p")
	if [ "$now" = none ] || [ "$before" = none ]; then
		result n/a "$step: no $key in /proc/vmstat on this kernel"
		return
	fi
	if [ $((now - before)) -eq "$want" ]; then
		result ok "$step: $key $(printf '%+d' $((now - before)))$note"
	else
		result FAIL "$step: $key $(printf '%+d' $((now - before))), want $(printf '%+d' "$want")$note"
	fi
}

# expect_total FUNCTION_A FUNCTION_B: over the whole scenario, A and B ran the same number of times
expect_equal_totals() {
	local f a b
	f=$(ls "$steps_dir"/[0-9][0-9]-*.json | tail -n1)
	a=$(jq -r --arg f "$1" '.counts[$f] // "none"' "$f")
	b=$(jq -r --arg f "$2" '.counts[$f] // "none"' "$f")
	if [ "$a" = none ] || [ "$b" = none ]; then
		result n/a "total: $1 / $2 not both countable on this kernel"
	elif [ "$a" = "$b" ] && [ "$a" -gt 0 ]; then
		result ok "total: $1 = $2 = $a"
	else
		result FAIL "total: $1 = $a, $2 = $b (want equal and non-zero)"
	fi
}

# expect_text FILE REGEX DESCRIPTION
expect_text() {
	if grep -Eq -- "$2" "$1" 2>/dev/null; then
		result ok "$3"
	else
		result FAIL "$3 (no line matching '$2' in $(basename "$1"))"
	fi
}

# expect_json FILE DESCRIPTION JQ_FILTER WANT: the filter's value (jq -c) is WANT
expect_json() {
	local file=$1 what=$2 filter=$3 want=$4 got
	if [ ! -s "$file" ]; then
		result FAIL "$what: no $(basename "$file")"
		return
	fi
	got=$(jq -c "$filter" "$file" 2>&1)
	if [ "$got" = "$want" ]; then
		result ok "$what: $got"
	else
		result FAIL "$what: got $got, want $want"
	fi
}

# the oracle's total for a function over the whole scenario (last snapshot)
oracle_total() {
	jq -r --arg f "$1" '.counts[$f] // "none"' "$(ls "$steps_dir"/[0-9][0-9]-*.json | tail -n1)"
}
