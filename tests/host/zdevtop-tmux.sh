#!/usr/bin/env bash
# zdevtop in a real terminal: tmux runs it replaying a lab record (tests/fixtures/hmm.zdev: 4 HMM pgmaps,
# migrations of 3 owners) and `tmux capture-pane` shows what a user would see: every panel drawn, the keys
# acting, a resize redrawn to the new size with nothing left over, q exiting 0, colours off with NO_COLOR
# and --no-color, and the CPU zdevtop takes idling once the record is all shown.
# One line per check ("ok   ..." / "FAIL ..."), exit 1 on any failure; without tmux "SKIPPED: no tmux", exit 77.
#   ZDEVTOP      the binary (default build/zdevtop)
#   ZDEVTOP_IDLE_SECONDS  how long to measure the idle CPU (default 5; 0: not measured)
#   ZDEVTOP_IDLE_MAX_PERCENT  the most idle CPU allowed, in percent of one CPU (default 3)
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
zdevtop=${ZDEVTOP:-$repo/build/zdevtop}
fixture=$repo/tests/fixtures/hmm.zdev
idle_seconds=${ZDEVTOP_IDLE_SECONDS:-5}
idle_max_percent=${ZDEVTOP_IDLE_MAX_PERCENT:-3}
timeout=30 # seconds any screen may take to appear (the record plays in ~6 s at --speed 5)

if ! command -v tmux > /dev/null; then
	echo "SKIPPED: no tmux"
	exit 77
fi
if [ ! -x "$zdevtop" ] || [ ! -r "$fixture" ]; then
	echo "FAIL setup: $zdevtop or $fixture is missing (make, or ZDEVTOP=...)"
	exit 1
fi

unset TMUX # run from inside tmux too: our own server, never the user's
work=$(mktemp -d)
socket=zdevtop-test-$$ # a tmux server of our own: nothing of the user's is touched
tm() { tmux -L "$socket" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT
passed=0 failed=0

ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { # NAME DETAIL: the last screen goes with it
	echo "FAIL $1: $2"
	[ -s "$work/screen" ] && sed 's/^/    | /' "$work/screen" | head -70
	failed=$((failed + 1))
}

# start SESSION COLS ROWS ENV... -- ARGS...: zdevtop in a new detached session; its exit status goes to
# $work/SESSION.exit when it ends (the session then closes)
start() {
	local session=$1 cols=$2 rows=$3 env=() cmd
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	printf -v cmd '%q ' env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 "${env[@]}" "$zdevtop" "$@"
	rm -f "$work/$session.exit"
	tm -u new-session -d -s "$session" -x "$cols" -y "$rows" \
		"$cmd; echo EXIT=\$? > $(printf %q "$work/$session.exit")"
}

capture() { tm capture-pane -p -t "$1" > "$work/screen" 2> /dev/null; }
capture_escapes() { tm capture-pane -e -p -t "$1" > "$work/screen" 2> /dev/null; }

# poll SECONDS PREDICATE ARGS...: until the predicate holds (0) or the time is up (1); no fixed sleeps
poll() {
	local deadline=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.1
	done
}
shows() { capture "$1" && grep -Eq -- "$2" "$work/screen"; }   # SESSION REGEX
hides() { capture "$1" && ! grep -Eq -- "$2" "$work/screen"; } # SESSION REGEX
exited() { [ -s "$work/$1.exit" ] && ! tm has-session -t "$1" 2> /dev/null; }

expect() { # NAME SESSION REGEX: the screen comes to show REGEX
	if poll $timeout shows "$2" "$3"; then ok "$1"; else fail "$1" "no '$3' on the screen after ${timeout}s"; fi
}

# the pgmap rows drawn (between the column headings and the pools panel): "ID TYPE"
pgmap_rows() {
	awk '/^PGMAPS  [0-9]+ shown/ { title = 1; next }
	     title && /^ +ID TYPE/ { rows = 1; next }
	     /^P2P POOLS/ { exit }
	     rows && NF { print $1, $2 }' "$work/screen"
}

# the screen is exactly COLS x ROWS of one frame: the header on the first row, the status line on the last,
# each panel once, no line wider than the terminal
geometry() { # SESSION COLS ROWS
	local size lines width
	capture "$1" || return 1
	size=$(tm display -p -t "$1" '#{pane_width}x#{pane_height}')
	lines=$(wc -l < "$work/screen")
	width=$(LC_ALL=C.UTF-8 wc -L < "$work/screen")
	why="pane $size, $lines lines, widest $width columns"
	[ "$size" = "$2x$3" ] && [ "$lines" -eq "$3" ] && [ "$width" -le "$2" ] || return 1
	why="header or status line out of place"
	head -1 "$work/screen" | grep -q '^zdevtop  replay of hmm' || return 1
	sed -n 2p "$work/screen" | grep -q '^PGMAPS  live' || return 1
	sed -n 3p "$work/screen" | grep -q '^VMEMMAP ' || return 1
	sed -n 4p "$work/screen" | grep -q '^DROPPED [0-9]*  MIGRATE ' || return 1
	tail -1 "$work/screen" | grep -Eq '^(q quit  h help|the terminal is smaller than 80x24)' || return 1
	why="a panel drawn twice or missing (leftovers of the old size)"
	for pattern in '^zdevtop  ' '^PGMAPS  live' '^VMEMMAP ' '^DROPPED [0-9]+  MIGRATE ' '^PGMAPS  [0-9]+ shown' '^P2P POOLS' \
		'^MIGRATIONS ' '^EVENTS ' '^(q quit  h help|the terminal is smaller)' 'h: help' 'zdevtop keys'; do
		count=$(grep -Ec -- "$pattern" "$work/screen")
		# below 24 rows the lower panels may get no room
		case "$pattern" in
		'^P2P POOLS' | '^MIGRATIONS ' | '^EVENTS ') [ "$3" -lt 24 ] && [ "$count" -eq 0 ] && continue ;;
		'h: help') [ "$count" -eq 0 ] && continue ;; # a full header (END OF RECORD over its end) has no room
		'zdevtop keys') [ "$count" -eq 0 ] && continue ;;
		esac
		[ "$count" -eq 1 ] || { why="$why: '$pattern' $count times"; return 1; }
	done
	return 0
}
# the screen as text without what differs between two runs in the same state: the frame number, the
# sparklines (their history depends on when the frames fell)
normalized() { capture "$1" && sed -E 's/frame [0-9]+/frame N/; s/[▁▂▃▄▅▆▇█]//g; s/ +$//' "$work/screen"; }
same_as() { # SESSION REFERENCE: SESSION's screen is the one REFERENCE drew from scratch at that size
	normalized "$2" > "$work/reference" && normalized "$1" > "$work/resized" && cmp -s "$work/reference" "$work/resized"
}
resize_to() { # SESSION COLS ROWS [REFERENCE]
	tm resize-window -t "$1" -x "$2" -y "$3"
	if poll $timeout geometry "$1" "$2" "$3"; then ok "resize to $2x$3: $3 lines, none wider than $2, header first, status last"
	else fail "resize to $2x$3" "$why"; fi
	[ $# -lt 4 ] && return
	if poll $timeout same_as "$1" "$4"; then
		ok "resize to $2x$3: the same screen as a zdevtop started at $2x$3 (nothing left of the old size)"
	else
		fail "resize to $2x$3: the same screen as a zdevtop started at $2x$3" "differences (< fresh, > resized):"
		diff "$work/reference" "$work/resized" | sed 's/^/    | /' | head -40
	fi
}

# an SGR with a colour (30-37, 38, 40-47, 48, 90-97, 100-107; 39 and 49 are the defaults)
coloured() { grep -oE $'\e\\[[0-9;]*m' "$work/screen" | tr -d $'\e[m' | tr ';' '\n' |
	grep -Eqx '3[0-8]|4[0-8]|9[0-7]|10[0-7]'; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, in clock ticks

# --- the main run: panels, keys, resizes, quit ---------------------------------------------------------------
start main 160 50 -- -r "$fixture" --speed 5
if poll $timeout shows main '^EVENTS '; then
	missing=
	for pattern in '^zdevtop  replay of hmm.zdev' '^PGMAPS  live' '^VMEMMAP ' '^DROPPED [0-9]+  MIGRATE ' '^PGMAPS  [0-9]+ shown' \
		'^P2P POOLS' '^MIGRATIONS ' '^EVENTS ' '^q quit'; do
		grep -Eq -- "$pattern" "$work/screen" || missing="$missing '$pattern'"
	done
	if [ -z "$missing" ]; then ok "every panel drawn: header PGMAPS VMEMMAP MIGRATE, P2P POOLS, MIGRATIONS, EVENTS, status"
	else fail "every panel drawn" "missing$missing"; fi
else
	fail "zdevtop starts in tmux" "no EVENTS panel after ${timeout}s"
fi
expect "playback: the pgmaps register" main '^ +[0-9]+ (private|coherent) +owner [0-9]'
expect "playback: migrations appear (owner 1)" main '^owner 1 +to-(device|ram) '
capture_escapes main
if coloured; then ok "colours by default"; else fail "colours by default" "no colour in the SGR sequences"; fi

tm send-keys -t main h
expect "'h' shows the help" main 'zdevtop keys'
tm send-keys -t main x
if poll $timeout hides main 'zdevtop keys'; then ok "any key closes the help"; else fail "any key closes the help" "still shown"; fi

tm send-keys -t main s
expect "'s' sorts by the next column (the PGMAPS title says so)" main '^PGMAPS  .*sort: VMEMMAP-DEV \(descending\)'
tm send-keys -t main I
expect "'I' inverts the order" main '^PGMAPS  .*sort: VMEMMAP-DEV \(ascending\)'

tm send-keys -t main / c o h e
expect "'/' opens the filter line" main '^Filter \(type, device or state.*: cohe_'
tm send-keys -t main r e n t Enter
expect "the filter is applied: 'filter: coherent' in the title" main '^PGMAPS  2 shown of 4 .*filter: coherent'
capture main
rows=$(pgmap_rows)
if [ "$(grep -c . <<< "$rows")" -eq 2 ] && ! grep -vq ' coherent$' <<< "$rows"; then
	ok "the filter leaves only the coherent pgmaps: $(tr '\n' ' ' <<< "$rows")"
else
	fail "the filter leaves only the coherent pgmaps" "rows: $(tr '\n' ' ' <<< "$rows")"
fi

capture_escapes main
before=$(grep -E 'P2P POOLS' "$work/screen")
tm send-keys -t main Tab
if poll $timeout eval 'capture_escapes main && [ "$(grep -E "P2P POOLS" "$work/screen")" != "$before" ]'; then
	ok "Tab moves the focus (the P2P POOLS title changes its colours)"
else
	fail "Tab moves the focus" "the title's attributes did not change"
fi

tm send-keys -t main p
expect "'p' shows PAUSED" main '^zdevtop  .*PAUSED'
capture main
cp "$work/screen" "$work/paused"
sleep 2.5 # two refreshes: a paused screen must not change
capture main
if cmp -s "$work/paused" "$work/screen"; then ok "paused: the screen stays as it was over 2 refreshes"
else fail "paused: the screen stays" "it changed"; fi
tm send-keys -t main p
if poll $timeout hides main 'PAUSED'; then ok "'p' again resumes"; else fail "'p' again resumes" "still PAUSED"; fi

expect "the record plays to its end" main 'END OF RECORD'
# references: zdevtop started at 80x24 and 200x60, brought to the same state (sort, filter, end of record)
for ref in ref80:80:24 ref200:200:60; do
	IFS=: read -r name cols rows <<< "$ref"
	start "$name" "$cols" "$rows" -- -r "$fixture" --speed 100
	poll $timeout shows "$name" '^EVENTS ' && tm send-keys -t "$name" s I / c o h e r e n t Enter
	poll $timeout shows "$name" 'END OF RECORD' && poll $timeout shows "$name" 'filter: coherent' ||
		fail "reference zdevtop at ${cols}x$rows" "not in the state wanted"
done
resize_to main 80 24 ref80
tm send-keys -t main p
expect "80x24: PAUSED shows on the header (not cut off)" main '^zdevtop  .*PAUSED  END OF RECORD$'
tm send-keys -t main p
poll $timeout hides main 'PAUSED' || fail "80x24: 'p' again resumes" "still PAUSED"
resize_to main 200 60 ref200
resize_to main 40 10
resize_to main 80 24 ref80
resize_to main 200 60 ref200
for ref in ref80 ref200; do tm send-keys -t $ref q; done
if poll $timeout eval 'capture main && [ "$(head -1 "$work/screen" | LC_ALL=C.UTF-8 wc -L)" -eq 200 ]'; then
	ok "200 columns: the header reaches the right edge ('h: help')"
else
	fail "200 columns: the header reaches the right edge" "$(head -1 "$work/screen")"
fi

# idle: the record is all shown; zdevtop redraws once a second (default refresh) and polls keys
pane_pid=$(tm display -p -t main '#{pane_pid}')
pid=$(cat "/proc/$pane_pid/task/$pane_pid/children" 2> /dev/null | awk '{ print $1 }')
if [ "$idle_seconds" -gt 0 ] && [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
	hz=$(getconf CLK_TCK)
	t0=$(cpu_ticks "$pid") s0=$(date +%s.%N) n0=$(awk '{ print $1 }' "/proc/$pid/schedstat" 2> /dev/null)
	sleep "$idle_seconds"
	t1=$(cpu_ticks "$pid") s1=$(date +%s.%N) n1=$(awk '{ print $1 }' "/proc/$pid/schedstat" 2> /dev/null)
	percent=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", 100 * t / hz / (b - a) }')
	msg="idle after the record: utime+stime $((t1 - t0)) ticks (1/$hz s) in ${idle_seconds}s = ${percent}% of one CPU"
	[ -n "$n0" ] && [ -n "$n1" ] && msg="$msg; on the CPU $(awk -v n=$((n1 - n0)) -v a="$s0" -v b="$s1" \
		'BEGIN { printf "%.1f ms = %.3f%%", n / 1e6, 100 * n / 1e9 / (b - a) }') (schedstat)"
	msg="$msg; at most ${idle_max_percent}%"
	if awk -v p="$percent" -v max="$idle_max_percent" 'BEGIN { exit !(p <= max) }'; then ok "$msg"; else fail "idle CPU" "$msg"; fi
fi

tm send-keys -t main q
if poll $timeout exited main && grep -qx 'EXIT=0' "$work/main.exit"; then ok "'q' quits: exit 0, the pane closes"
else fail "'q' quits" "$(cat "$work/main.exit" 2> /dev/null || echo 'still running')"; fi

# --- without colours: NO_COLOR (https://no-color.org) and --no-color ------------------------------------------
start nocolor 100 30 NO_COLOR=1 -- -r "$fixture" --speed 5
start optcolor 100 30 -- -r "$fixture" --speed 5 --no-color
for session in nocolor optcolor; do
	name=$([ $session = nocolor ] && echo "NO_COLOR=1" || echo "--no-color")
	if poll $timeout shows $session '^EVENTS '; then
		capture_escapes $session
		if ! coloured && grep -q $'\e\\[[0-9;]*7[;m]' "$work/screen"; then ok "$name: no colour, titles in reverse video"
		else fail "$name: no colour" "colour SGR sequences on the screen"; fi
	else
		fail "$name: zdevtop starts" "no EVENTS panel after ${timeout}s"
	fi
	tm send-keys -t $session q
	if poll $timeout exited $session && grep -qx 'EXIT=0' "$work/$session.exit"; then ok "$name: 'q' quits, exit 0"
	else fail "$name: 'q' quits" "$(cat "$work/$session.exit" 2> /dev/null || echo 'still running')"; fi
done

# a key typed while the help is up does not quit, except q; a small terminal says so on its last line
start small 60 15 -- -r "$fixture" --speed 5
expect "a terminal smaller than 80x24 says so on the status line" small '^the terminal is smaller than 80x24'
capture small
if [ "$(wc -l < "$work/screen")" -eq 15 ] && tail -1 "$work/screen" | grep -q '^the terminal is smaller'; then
	ok "60x15: 15 lines, the warning on the last"
else
	fail "60x15: the warning on the last line" "$(wc -l < "$work/screen") lines"
fi
tm send-keys -t small h
expect "60x15: the help shows" small 'zdevtop keys'
tm send-keys -t small q
if poll $timeout exited small && grep -qx 'EXIT=0' "$work/small.exit"; then ok "q from the help quits, exit 0"
else fail "q from the help quits" "$(cat "$work/small.exit" 2> /dev/null || echo 'still running')"; fi

# a terminal ncurses does not know: one line and exit 2 (not ncurses' own message and exit 1)
printf -v cmd '%q ' env TERM=nosuchterm LANG=C.UTF-8 "$zdevtop" -r "$fixture"
tm -u new-session -d -s badterm -x 80 -y 24 \
	"$cmd 2> $(printf %q "$work/badterm.err"); echo EXIT=\$? > $(printf %q "$work/badterm.exit")"
if poll $timeout exited badterm && grep -qx 'EXIT=2' "$work/badterm.exit" && [ "$(grep -c . "$work/badterm.err")" -eq 1 ] &&
	grep -q '^zdevtop: cannot open the terminal (TERM=nosuchterm)' "$work/badterm.err"; then
	ok "TERM=nosuchterm: exit 2: $(cat "$work/badterm.err")"
else
	fail "TERM=nosuchterm: one line, exit 2" "$(cat "$work/badterm.exit" "$work/badterm.err" 2> /dev/null)"
fi

echo "zdevtop tmux tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
