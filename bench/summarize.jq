# The benchmark's figures, from what bench/run collected (jq -n, inputs as --slurpfile / --argjson):
#   $runs      bench/work's lines from every guest (rep >= 1: timed; 0: cold starts; -1: profile runs)
#   $profile   {zdevtrace: {start, hmm, p2p, maps}, bpftrace: {…}, baseline: {progs, maps}} (bpftool -j)
#   $replay    rusage lines of zdevtrace report -r, each with .records, .bytes, .size ("full"/"quarter")
#   $zdevtop   rusage lines of zdevtop -b on the host ([] when not built)
#   $meta      {date, host, reps, settings, kernel, guests_ok, guests_failed, ...}
# Medians with [min, max]; overheads as paired ratios (each traced run against the untraced run of the same
# rep, which ran next to it), so that a drift in the host's load shows as spread, not as a bias.

def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def stats: map(select(. != null)) | { median: median, min: min, max: max, n: length };
def r3: if . == null then null else (. * 1000 | round) / 1000 end;
def rstats: with_entries(.value |= (if type == "number" then r3 else . end));

# --- profile: BPF programs of a tracer (not in the baseline), run counts and time between two dumps -------
def prog_ids($baseline): [$baseline[] | .id];
def tracer_progs($dump; $baseline): prog_ids($baseline) as $b | [$dump[] | select(.id as $id | $b | index($id) | not)];
def delta($from; $to): ($from | map({key: (.id | tostring), value: .}) | from_entries) as $f |
	[$to[] | . as $p | ($f[.id | tostring] // {run_cnt: 0, run_time_ns: 0}) as $q |
	 {name: .name, id: .id, runs: ((.run_cnt // 0) - ($q.run_cnt // 0)), ns: ((.run_time_ns // 0) - ($q.run_time_ns // 0))}];
# zdev's programs are named TWIN_FUNCTION: the hooked function, with the names that lost their "__"
def zdev_function: sub("^(fentry|fexit|kprobe|kretprobe|tracepoint)_"; "") |
	if . == "populate_section_memmap" or . == "add_pages" then "__" + . else . end;
# zdev's programs that write a ring-buffer record each time they run (the others update maps in the kernel)
def zdev_emits: . as $n | ["fexit_memremap_pages", "fexit_memunmap_pages", "fexit_migrate_vma_finalize",
	"fexit_migrate_device_range", "fexit_pci_p2pdma_add_resource", "fexit_pci_alloc_p2pmem",
	"fentry_pci_free_p2pmem", "kretprobe_gen_pool_alloc_algo_owner", "kprobe_gen_pool_free_owner",
	"kprobe_gen_pool_add_owner", "kretprobe_memremap_pages", "kretprobe_memunmap_pages",
	"kretprobe_migrate_vma_finalize", "kretprobe_migrate_device_range", "kprobe_pci_free_p2pmem",
	"kretprobe_pci_alloc_p2pmem", "kretprobe_pci_p2pdma_add_resource"] | index($n) != null;

def phase_profile($t; $from; $to):
	($profile[$t]) as $p | tracer_progs($p[$to]; $profile.baseline.progs) as $after |
	tracer_progs($p[$from]; $profile.baseline.progs) as $before | delta($before; $after) as $d |
	{ programs: ($d | map(select(.runs > 0)) | sort_by(-.ns)),
	  runs: ($d | map(.runs) | add // 0), bpf_ns: ($d | map(.ns) | add // 0) };

# hooked-function calls in a phase, from zdev's programs: an entry and an exit program see the same call
def zdev_events($d): $d.programs | group_by(.name | zdev_function) |
	map({function: (.[0].name | zdev_function), calls: (map(.runs) | max)});

def path($name; $from; $key; $pages_key):
	[$runs[] | select(.rep >= 1 and .[$key] != null)] as $timed |
	($timed | map(select(.variant == "none")) | map({key: "\(.guest)/\(.rep)", value: .}) | from_entries) as $none |
	(if $profile.zdevtrace then phase_profile("zdevtrace"; $from; $name) else null end) as $zp |
	(if $profile.bpftrace then phase_profile("bpftrace"; $from; $name) else null end) as $bp |
	(if $zp then zdev_events($zp) else [] end) as $calls |
	($calls | map(.calls) | add // 0) as $events |
	($timed[0][$pages_key] // 0) as $pages |
	{ pages_per_run: $pages,
	  events_per_run: $events,
	  events_per_page: (if $pages > 0 then $events / $pages | r3 else null end),
	  hooked_calls: $calls,
	  zdev_records_per_run: (if $zp then $zp.programs | map(select(.name | zdev_emits) | .runs) | add // 0 else null end),
	  variants: ([$timed[] | .variant] | unique | map(. as $v |
		[$timed[] | select(.variant == $v)] as $mine |
		{ key: $v, value: ({
			runs: ($mine | length),
			seconds: ($mine | map(.[$key]) | stats | rstats),
			pages_per_s: ($mine | map($pages / .[$key]) | stats | with_entries(.value |= (if type == "number" then round else . end))),
			# paired with the untraced run of the same guest and rep
			throughput_vs_untraced_pct: ($mine | map(($none["\(.guest)/\(.rep)"][$key]) as $base |
				if $base then ($base / .[$key] - 1) * 100 else null end) | stats | rstats),
			added_us_per_event: (if $events > 0 then ($mine | map(($none["\(.guest)/\(.rep)"][$key]) as $base |
				if $base then (.[$key] - $base) * 1e6 / $events else null end) | stats | rstats) else null end),
			tracer_cpu_s: ($mine | map(.tracer_cpu_work_s) | stats | rstats)
		} | if $v == "none" then del(.throughput_vs_untraced_pct, .added_us_per_event, .tracer_cpu_s) else . end) }) |
		from_entries),
	  bpf_profile: { zdevtrace: (if $zp then { bpf_us_per_event: (if $events > 0 then $zp.bpf_ns / $events / 1000 | r3 else null end),
			bpf_ms: ($zp.bpf_ns / 1e6 | r3), programs: ($zp.programs | map(.us_per_run = (if .runs > 0 then .ns / .runs / 1000 | r3 else null end))) } else null end),
		bpftrace: (if $bp then { bpf_us_per_event: (if $events > 0 then $bp.bpf_ns / $events / 1000 | r3 else null end),
			bpf_ms: ($bp.bpf_ns / 1e6 | r3), programs: ($bp.programs | map(.us_per_run = (if .runs > 0 then .ns / .runs / 1000 | r3 else null end))) } else null end) }
	};

def startup:
	([$runs[] | select(.rep >= 1 and .variant == "none") | .startup_s] | median) as $exec |
	[$runs[] | select(.variant != "none" and .rep >= 0)] | group_by(.variant) | map({ key: .[0].variant, value: {
		warm_s: (map(select(.rep >= 1) | .startup_s - $exec) | stats | rstats),
		cold_s: (map(select(.rep == 0) | .startup_s - $exec) | stats | rstats),
		exit_s: (map(select(.rep >= 1) | .exit_s) | stats | rstats),
		cpu_s: (map(select(.rep >= 1) | .tracer_cpu_before_s) | stats | rstats) } }) | from_entries |
	. + { untraced_exec_s: ($exec | r3) };

def memory:
	def maps($t): if $profile[$t].maps then
		(prog_ids($profile.baseline.maps)) as $b | [$profile[$t].maps[] | select(.id as $id | $b | index($id) | not)] |
		{ maps: length, bytes_memlock: (map(.bytes_memlock // 0) | add // 0),
		  largest: (sort_by(-(.bytes_memlock // 0)) | .[0:5] | map({name, type, max_entries, bytes_memlock})) }
		else null end;
	def progs($t): if $profile[$t].p2p then tracer_progs($profile[$t].p2p; $profile.baseline.progs) |
		{ programs: length, bytes_memlock: (map(.bytes_memlock // 0) | add // 0),
		  bytes_jited: (map(.bytes_jited // 0) | add // 0) } else null end;
	{ peak_rss_kb: ([$runs[] | select(.rep >= 1 and .variant != "none")] | group_by(.variant) |
		map({key: .[0].variant, value: (map(.tracer_hwm_kb) | stats)}) | from_entries),
	  bpf: { zdevtrace: { maps: maps("zdevtrace"), programs: progs("zdevtrace") },
		 bpftrace: { maps: maps("bpftrace"), programs: progs("bpftrace") } } };

def replay_stats: group_by(.size) | map({ key: .[0].size, value: (.[0] as $f | {
	records: $f.records, bytes: $f.bytes, runs: length,
	records_per_s: (map($f.records / .wall_s) | stats | with_entries(.value |= (if type == "number" then round else . end))),
	ns_per_record: (map(.wall_s * 1e9 / $f.records) | stats | rstats),
	cpu_s: (map(.user_s + .sys_s) | stats | rstats),
	peak_rss_kb: (map(.maxrss_kb) | stats) }) }) | from_entries |
	if .full and .quarter then . + { per_record_time_full_vs_quarter:
		((.full.ns_per_record.median / .quarter.ns_per_record.median) | r3) } else . end;

{
	meta: $meta,
	hot_path: { hmm: path("hmm"; "start"; "hmm_s"; "hmm_pages"), p2p: path("p2p"; "hmm"; "p2p_s"; "p2p_pages") },
	startup: startup,
	user_side: {
		replay: ($replay | replay_stats),
		zdevtop: (if ($zdevtop | length) == 0 then "not built" else {
			host_replay: { runs: ($zdevtop | length),
				cpu_pct: ($zdevtop | map((.user_s + .sys_s) / .wall_s * 100) | stats | rstats),
				wall_s: ($zdevtop | map(.wall_s) | stats | rstats),
				peak_rss_kb: ($zdevtop | map(.maxrss_kb) | stats) },
			guest_live: ([$runs[] | select(.variant == "zdevtop" and .rep >= 1)] | if length == 0 then null else {
				cpu_s_during_work: (map(.tracer_cpu_work_s) | stats | rstats),
				cpu_pct_during_work: (map(.tracer_cpu_work_s / (.hmm_s + .p2p_s) * 100) | stats | rstats) } end)
		} end)
	},
	memory: memory,
	# what reached zdev's reader through the ring buffer, per run (hmm and p2p loops together)
	ring_buffer: ([$runs[] | select(.rep >= 1 and .dropped_records != null)] | group_by(.variant) |
		map({ key: .[0].variant, value: { runs: length, records: (map(.records) | stats),
			dropped: (map(.dropped_records) | stats) } }) | from_entries |
		(.zdevtrace.records.median // null) as $all |
		with_entries(.value.dropped_pct = (if $all and $all > 0 then (.value.dropped.median / $all * 100 | r3) else null end)))
}
