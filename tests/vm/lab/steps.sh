# Sourced by the guest side of a lab scenario: run steps, and after each one take an oracle snapshot
# into $ZDEV_RESULTS/steps/NN-NAME.json, so the host can check what each step (and only it) caused.
#
#   step NAME CMD [ARGS...]   run CMD; on success snapshot as step NAME; on failure stop the scenario
here_steps=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
oracle=$here_steps/oracle
step_no=0
mkdir -p "$ZDEV_RESULTS/steps"

step() {
	local name=$1 rc=0
	shift
	"$@" || rc=$?
	if [ $rc -ne 0 ]; then
		printf 'step %s failed (exit %d): %s\n' "$name" "$rc" "$*" >&2
		exit $rc
	fi
	step_no=$((step_no + 1))
	"$oracle" snap "$ZDEV_RESULTS/steps/$(printf %02d $step_no)-$name.json" "$name"
}

# the first snapshot, before anything happened: the baseline every later delta starts from
steps_begin() {
	"$oracle" start
	"$oracle" snap "$ZDEV_RESULTS/steps/00-start.json" start
}

steps_end() {
	"$oracle" stop "$ZDEV_RESULTS/oracle.json" "${1:-}"
}
