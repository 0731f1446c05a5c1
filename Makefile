# zdev — eBPF/CO-RE observability for ZONE_DEVICE memory.
# Outputs go to build/. The lab (QEMU guests on cached kernels) lives in tests/vm/; see README.md.
#
#   make            build/zdevtrace and build/zdevtop, nothing else (no kernel sources, no root, no QEMU)
#   make check      the host tests (make check-host), then the lab suite (preparing the lab kernels first when
#                   missing): README's test command
#   make check-host the host tests alone, for packagers: unit tests, host scripts (tests/host), sanitizers,
#                   valgrind and a repeatable fuzz of the file readers; no root, no QEMU, no kernel sources
#   make fuzz       libFuzzer on the record-file and baseline readers, FUZZ_SECONDS (60) each
#   make demo       the lab kernel doing real ZONE_DEVICE work, shown step by step
#   make lab        fetch/build the guest kernels into $(ZDEV_LAB_CACHE) (idempotent)
#   make vmtest     the lab suite only
#   make soak       10 minutes of every scenario under zdevtrace and zdevtop: memory flat, counts exact
#   make lab-shell  an interactive lab guest (KERNEL=lab|stock-6.1)
#   make lab-programs  the lab's scenario programs (build/tests/; the lab targets build them)
#   make deps       install the Debian packages the build and the lab need (root)
#   make bench      zdev's cost against bpftrace and against nothing (bench/run; figures in build/bench/)
#   make install / uninstall   PREFIX (/usr/local), DESTDIR
#
# CFLAGS, CPPFLAGS and LDFLAGS are the user's (a distribution's): they are honoured on every compile and
# link, and what zdev cannot build without (warnings it relies on, the C dialect, its include paths) is in
# ZDEV_* variables added around them, so that CFLAGS=-O0 or CPPFLAGS=-I... cannot take them away.

.DEFAULT_GOAL := all
# a recipe that fails leaves no half-written target behind for the next make to trust
.DELETE_ON_ERROR:
ZDEV_LAB_CACHE ?= /var/cache/zdev-lab
BUILD          := build
CC             ?= cc
CLANG          ?= clang
BPFTOOL        ?= bpftool
PKG_CONFIG     ?= pkg-config
CFLAGS         ?= -O2 -g
ZDEV_CFLAGS    := -Wall -Wextra -Werror=implicit-function-declaration -std=gnu11
ZDEV_CPPFLAGS   = -Iinclude -I$(BUILD) -MMD -MP
PREFIX         ?= /usr/local
DESTDIR        ?=

# libraries through pkg-config, with the usual flags when a library ships no .pc file (or there is no
# pkg-config): $(call pkg_libs,MODULE,FALLBACK), $(call pkg_cflags,MODULE)
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null || echo $(2))
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
# := : pkg-config runs once per make, not once per object
BPF_LIBS    := $(call pkg_libs,libbpf,-lbpf)
JSON_LIBS   := $(call pkg_libs,json-c,-ljson-c)
ZLIB_LIBS   := $(call pkg_libs,zlib,-lz)
CURSES_LIBS := $(call pkg_libs,ncursesw,-lncursesw -ltinfo)
CMOCKA_LIBS := $(call pkg_libs,cmocka,-lcmocka)
# json-c's include path goes to every object (its headers are included as <json-c/json.h> anyway); the
# ncursesw feature macros only to the files that include curses (CURSES_OBJS below)
LIB_CPPFLAGS    := $(call pkg_cflags,libbpf json-c zlib)
CURSES_CPPFLAGS := $(call pkg_cflags,ncursesw)
LIBS           := $(BPF_LIBS) $(JSON_LIBS) $(ZLIB_LIBS)

# The target architecture: uname -m, or ARCH= (uname -m's names or the kernel's), mapped to the BPF
# target's __TARGET_ARCH_* (the register layout of kprobe arguments). vmlinux/vmlinux.h is generated from
# an x86_64 kernel's BTF, so x86_64 is the only one that builds today; another stops with a clear error.
ARCH            ?= $(shell uname -m)
bpf_arch_x86_64 := x86
bpf_arch_amd64  := x86
bpf_arch_x86    := x86
bpf_arch_aarch64 := arm64
bpf_arch_arm64  := arm64
bpf_arch_riscv64 := riscv
bpf_arch_riscv  := riscv
bpf_arch_ppc64le := powerpc
bpf_arch_powerpc := powerpc
bpf_arch_s390x  := s390
bpf_arch_s390   := s390
bpf_arch_loongarch64 := loongarch
bpf_arch_loongarch := loongarch
BPF_ARCH        := $(bpf_arch_$(ARCH))
# the architectures vmlinux/vmlinux.h is for
VMLINUX_ARCHES  := x86_64 amd64 x86
ifeq ($(BPF_ARCH),)
arch_stop = ARCH=$(ARCH): an architecture zdev does not know (x86_64 is supported)
else ifeq ($(filter $(ARCH),$(VMLINUX_ARCHES)),)
arch_stop = ARCH=$(ARCH) (__TARGET_ARCH_$(BPF_ARCH)) is not supported yet: vmlinux/vmlinux.h is generated \
	from an x86_64 kernel only (README, "Regenerating vmlinux.h", from a kernel of this architecture)
endif

# llvm-strip that goes with $(CLANG): Debian installs it as llvm-strip-N, llvm-strip only with the llvm
# package; clang knows where its own is
CLANG_MAJOR     = $(shell $(CLANG) -dumpversion 2>/dev/null | cut -d. -f1)
LLVM_STRIP     ?= $(firstword $(foreach p,$(shell $(CLANG) -print-prog-name=llvm-strip 2>/dev/null) \
                  llvm-strip-$(CLANG_MAJOR) llvm-strip,$(shell command -v $(p) 2>/dev/null)))

# --- the tool: probe (bpf/) -> skeleton -> library (src/lib) -> renderers (src/render) -> front end -----
# vmlinux/vmlinux.h is generated from the lab kernel's BTF (see README: "Regenerating vmlinux.h"); CO-RE
# relocates it on every kernel with BTF.
BPF_OBJ   := $(BUILD)/bpf/zdev.bpf.o
SKELETON  := $(BUILD)/zdev.skel.h
# the model, one job per file (src/lib/model_parts.h): the dispatcher first
MODEL_SRCS := src/lib/model.c src/lib/model_vmemmap.c src/lib/model_pgmap.c src/lib/model_pool.c \
              src/lib/model_migration.c src/lib/model_driver.c src/lib/model_names.c
# the probe layer (src/lib/probe.h): session, its stages, its map reads
PROBE_SRCS := src/lib/session.c src/lib/session_maps.c src/lib/probe_resolve.c src/lib/probe_choice.c \
              src/lib/probe_load.c src/lib/probe_attach.c
LIB_SRCS  := src/lib/decode.c $(MODEL_SRCS) $(PROBE_SRCS) src/lib/hooks.c src/lib/driver_slots.c src/lib/signals.c src/lib/snapshot.c src/lib/record_reader.c src/lib/record_writer.c \
             src/lib/replay.c src/lib/source.c src/lib/baseline.c src/lib/check_verdict.c src/render/units.c src/render/text.c src/render/json.c \
             src/render/check_report.c
# what both front ends share but the library does not: their probe options, the live source, a replay's run info
FRONTEND_SRCS := src/frontend/session_argp.c src/frontend/source_live.c src/frontend/run_info.c
FRONTEND_OBJS := $(FRONTEND_SRCS:%.c=$(BUILD)/%.o)
ZDEVTRACE_SRCS := src/zdevtrace/main.c src/zdevtrace/live.c src/zdevtrace/cmd_check.c src/zdevtrace/output.c
# zdevtop: the dashboard's pure parts (src/tui: canvas, rates, event log, keys, layout) and its front end
TUI_SRCS  := src/tui/canvas.c src/tui/history.c src/tui/eventlog.c src/tui/keys.c src/tui/layout.c
ZDEVTOP_SRCS := src/zdevtop/main.c src/zdevtop/screen.c
ZDEVTOP   := $(BUILD)/zdevtop
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
PROBE_OBJS := $(addprefix $(BUILD)/src/lib/,session.o session_maps.o probe_resolve.o probe_choice.o probe_load.o probe_attach.o)
PURE_OBJS := $(filter-out $(PROBE_OBJS) $(BUILD)/src/lib/driver_slots.o $(BUILD)/src/lib/signals.o,$(LIB_OBJS)) \
             $(BUILD)/src/frontend/run_info.o
ZDEVTRACE := $(BUILD)/zdevtrace
# the model's tests, one file per part of the model (src/lib/model_parts.h)
MODEL_TESTS := $(BUILD)/tests/unit/test_model $(BUILD)/tests/unit/test_model_vmemmap $(BUILD)/tests/unit/test_model_pgmap \
               $(BUILD)/tests/unit/test_model_pool $(BUILD)/tests/unit/test_model_migration $(BUILD)/tests/unit/test_model_driver
UNIT_TESTS := $(MODEL_TESTS) $(BUILD)/tests/unit/test_decode $(BUILD)/tests/unit/test_render \
              $(BUILD)/tests/unit/test_snapshot $(BUILD)/tests/unit/test_record_read $(BUILD)/tests/unit/test_record_corrupt \
              $(BUILD)/tests/unit/test_record_writer $(BUILD)/tests/unit/test_source $(BUILD)/tests/unit/test_check \
              $(BUILD)/tests/unit/test_tui_layout $(BUILD)/tests/unit/test_check_json $(BUILD)/tests/unit/test_session_argp \
              $(BUILD)/tests/unit/test_baseline $(BUILD)/tests/unit/test_tui_keys $(BUILD)/tests/unit/test_tui_history \
              $(BUILD)/tests/unit/test_probe $(BUILD)/tests/unit/test_hook_table

# The BPF object keeps its DWARF in $(BPF_OBJ) (for llvm-objdump -S, bpftool prog dump with source lines);
# the skeleton embeds a copy stripped of it (llvm-strip -g keeps .BTF and .BTF.ext, which CO-RE and the
# verifier's line info need), so the tools do not carry a megabyte of debug info they never read.
BPF_STRIPPED := $(BUILD)/bpf/zdev.bpf.stripped.o

$(BPF_OBJ): $(wildcard bpf/*.bpf.c bpf/*.bpf.h) include/zdev/abi.h include/zdev/latency.h vmlinux/vmlinux.h
	$(if $(arch_stop),$(error $(arch_stop)))
	@mkdir -p $(@D)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Ivmlinux -Iinclude -Ibpf -Wall -c bpf/zdev.bpf.c -o $@

$(BPF_STRIPPED): $(BPF_OBJ)
	$(if $(LLVM_STRIP),,$(error no llvm-strip for $(CLANG) (apt-get install llvm, or LLVM_STRIP=...)))
	$(LLVM_STRIP) -g $< -o $@

$(SKELETON): $(BPF_STRIPPED)
	$(BPFTOOL) gen skeleton $< name zdev_bpf > $@

$(BUILD)/src/lib/session.o $(BUILD)/src/lib/session_maps.o $(BUILD)/src/lib/probe_load.o $(BUILD)/src/lib/probe_attach.o: $(SKELETON)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ZDEV_CPPFLAGS) $(LIB_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(ZDEV_CFLAGS) -c $< -o $@

# the files that include curses get ncursesw's feature macros
CURSES_OBJS := $(BUILD)/src/tui/keys.o $(BUILD)/src/zdevtop/screen.o $(BUILD)/tests/unit/test_tui_keys.o
$(CURSES_OBJS): LIB_CPPFLAGS += $(CURSES_CPPFLAGS)

# every link: the user's CFLAGS and LDFLAGS (-Wl,-z,now, -fstack-protector..., a distribution's hardening)
LINK = $(CC) $(CFLAGS) $(ZDEV_CFLAGS) $(LDFLAGS)

$(BUILD)/src/zdevtrace/live.o $(BUILD)/src/zdevtrace/main.o $(BUILD)/src/zdevtrace/cmd_check.o: $(SKELETON)

$(ZDEVTRACE): $(ZDEVTRACE_SRCS:%.c=$(BUILD)/%.o) $(FRONTEND_OBJS) $(LIB_OBJS)
	$(LINK) -o $@ $^ $(LIBS)

$(ZDEVTOP_SRCS:%.c=$(BUILD)/%.o): $(SKELETON)

$(ZDEVTOP): $(ZDEVTOP_SRCS:%.c=$(BUILD)/%.o) $(TUI_SRCS:%.c=$(BUILD)/%.o) $(FRONTEND_OBJS) $(LIB_OBJS)
	$(LINK) -o $@ $^ $(LIBS) $(CURSES_LIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(PURE_OBJS) $(TUI_SRCS:%.c=$(BUILD)/%.o)
	$(LINK) -o $@ $^ $(CMOCKA_LIBS) $(JSON_LIBS) $(ZLIB_LIBS) $(UNIT_LIBS)

# the record-file tests share one written run and its expected reports
$(BUILD)/tests/unit/test_record_read $(BUILD)/tests/unit/test_record_corrupt $(BUILD)/tests/unit/test_record_writer \
$(BUILD)/tests/unit/test_source: $(BUILD)/tests/unit/record_files.o

# the probe layer's resolution and choices over fixture trees, and the hook table against the embedded BPF
# object (opened, not loaded): libbpf, no privileges
$(BUILD)/tests/unit/test_probe: $(BUILD)/src/lib/probe_resolve.o $(BUILD)/src/lib/probe_choice.o \
	$(BUILD)/src/lib/driver_slots.o
$(BUILD)/tests/unit/test_probe $(BUILD)/tests/unit/test_hook_table: UNIT_LIBS := $(BPF_LIBS) -lelf
$(BUILD)/tests/unit/test_hook_table.o: $(SKELETON)

# the probe options' parser: no libbpf in it, linked on its own
$(BUILD)/tests/unit/test_session_argp: $(BUILD)/src/frontend/session_argp.o

# --- fuzzing: libFuzzer targets for the two readers of untrusted files (make fuzz, FUZZ_SECONDS each) -----
# The pure library is rebuilt with the sanitizers into $(BUILD)/fuzz; new inputs go to $(BUILD)/fuzz/corpus-*,
# crashes to $(BUILD)/fuzz/crash-*; the seeds in tests/fuzz/corpus/ are only read.
FUZZ_SECONDS ?= 60
# FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (libFuzzer's convention): block checksums are not enforced, so that
# mutated inputs reach the block and record parsers instead of all stopping at the crc
FUZZ_CFLAGS  := -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRCS    := src/lib/decode.c $(MODEL_SRCS) src/lib/record_reader.c src/lib/replay.c src/lib/baseline.c src/lib/check_verdict.c \
                src/frontend/run_info.c src/render/units.c src/render/text.c src/render/json.c src/render/check_report.c
FUZZ_TARGETS := record baseline
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) -Iinclude -std=gnu11 -MMD -MP $(LIB_CPPFLAGS) $(FUZZ_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o $(FUZZ_SRCS:%.c=$(BUILD)/fuzz/obj/%.o)
	$(CLANG) -g -fsanitize=fuzzer,address,undefined $(LDFLAGS) -o $@ $^ $(JSON_LIBS) $(ZLIB_LIBS)

# FUZZ_RUNS=N (what make check uses): N inputs from seed FUZZ_SEED over the checked-in seeds only, in a fresh
# corpus directory, so that the same tree fuzzes the same inputs every time and a test run never flakes;
# without it, FUZZ_SECONDS of random exploration that keeps what it finds in $(BUILD)/fuzz/corpus-*.
FUZZ_SEED ?= 1
ifdef FUZZ_RUNS
FUZZ_LIMIT  = -seed=$(FUZZ_SEED) -runs=$(FUZZ_RUNS) -reload=0
FUZZ_CORPUS = $(BUILD)/fuzz/repeatable-$$t
FUZZ_WHAT   = $(FUZZ_RUNS) inputs from seed $(FUZZ_SEED)
# pointer comparisons feed libFuzzer's table of compared values, so heap and stack addresses steer the
# mutations: without address randomisation (setarch -R) the same seed gives the same inputs
FUZZ_RUNNER = $(shell setarch -R true 2>/dev/null && echo setarch -R)
else
FUZZ_LIMIT  = -max_total_time=$(FUZZ_SECONDS)
FUZZ_CORPUS = $(BUILD)/fuzz/corpus-$$t
FUZZ_WHAT   = $(FUZZ_SECONDS) s
endif

fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		echo "== fuzz_$$t: $(FUZZ_WHAT)"; \
		$(if $(FUZZ_RUNS),rm -rf $(FUZZ_CORPUS);) mkdir -p $(FUZZ_CORPUS); \
		$(if $(FUZZ_RUNS),$(if $(FUZZ_RUNNER),,echo "NOTE: setarch -R refused here: addresses are random, so are some inputs";)) \
		$(FUZZ_RUNNER) $(BUILD)/fuzz/fuzz_$$t $(FUZZ_LIMIT) -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
			-print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/ \
			$(FUZZ_CORPUS) tests/fuzz/corpus/$$t 2> $(BUILD)/fuzz/fuzz_$$t.log \
			|| { tail -n 40 $(BUILD)/fuzz/fuzz_$$t.log; echo "fuzz_$$t FAILED: the input is in $(BUILD)/fuzz/"; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done' $(BUILD)/fuzz/fuzz_$$t.log | tr '\n' ' '; echo; \
	done

# objects and skeletons are kept, not treated as intermediates to delete
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- the lab's scenario programs (build/tests/): built only by the lab's targets (vmtest, check, demo, soak,
# lab-shell, bench), so that make, make check-host and make install need no kernel sources.
# test_hmm's uapi header comes from Debian's linux-source-6.12 (never copied into this repository):
# from the lab kernel's unpacked source when it is there, else straight out of the source tarball.
LINUX_SOURCE_TARBALL ?= /usr/src/linux-source-6.12.tar.xz
LAB_SOURCE           ?= $(ZDEV_LAB_CACHE)/kernels/lab/source
HMM_UAPI             := $(BUILD)/uapi/test_hmm_uapi.h

LAB_PROGRAMS := $(BUILD)/tests/hmm-migrate $(BUILD)/tests/p2pmem-map

.PHONY: all tests lab-programs check check-host unit unit-binaries sanitize valgrind soak vmtest lab lab-shell \
	deps demo install uninstall clean fuzz bench
all: $(ZDEVTRACE) $(ZDEVTOP)

lab-programs: $(LAB_PROGRAMS)
# the old name of lab-programs
tests: lab-programs

$(HMM_UAPI):
	@mkdir -p $(@D)
	@if [ -f $(LAB_SOURCE)/lib/test_hmm_uapi.h ]; then \
		cp $(LAB_SOURCE)/lib/test_hmm_uapi.h $@; \
	elif [ -f $(LINUX_SOURCE_TARBALL) ]; then \
		tar -xJOf $(LINUX_SOURCE_TARBALL) linux-source-6.12/lib/test_hmm_uapi.h > $@; \
	else \
		echo "no test_hmm_uapi.h for the lab's hmm-migrate: install linux-source-6.12 (make deps) or run make lab" >&2; exit 1; \
	fi

$(BUILD)/tests/hmm-migrate: tests/scenario/hmm-migrate.c $(HMM_UAPI)
	@mkdir -p $(@D)
	$(LINK) $(CPPFLAGS) -I$(BUILD)/uapi -o $@ $<

$(BUILD)/tests/p2pmem-map: tests/scenario/p2pmem-map.c
	@mkdir -p $(@D)
	$(LINK) $(CPPFLAGS) -o $@ $<

# host unit tests: the pure code (decoder, model, renderers), driven with records
unit: $(UNIT_TESTS) all
	@for t in $(UNIT_TESTS); do echo "== $$t"; $$t || exit 1; done
	BUILD=$(BUILD) tests/host/errors.sh
	BUILD=$(BUILD) tests/host/outputs.sh
	BUILD=$(BUILD) tests/host/check.sh
	BUILD=$(BUILD) tests/host/options.sh
	BUILD=$(BUILD) tests/host/docs.sh
	@# zdevtop in a real terminal (tmux) and in batch mode; exit 77 = could not run (a failure under CI)
	@for s in tests/host/zdevtop-batch.sh tests/host/zdevtop-tmux.sh; do \
		ZDEVTOP=$(ZDEVTOP) ZDEVTRACE=$(ZDEVTRACE) $$s; rc=$$?; \
		if [ $$rc -eq 77 ]; then echo "SKIPPED $$s"; [ -z "$$CI" ] || [ "$$CI" = false ] || exit 1; \
		elif [ $$rc -ne 0 ]; then exit 1; fi; done

# the unit tests again under ASan+UBSan (any report fails them; leaks too), and valgrind memcheck over
# replays, checks and zdevtop -b (tests/host/valgrind.sh): part of make check-host
SANITIZE_CC := $(CC) -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

unit-binaries: $(UNIT_TESTS)

sanitize:
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CC="$(SANITIZE_CC)" unit-binaries
	@for t in $(UNIT_TESTS:$(BUILD)/%=$(BUILD)/asan/%); do echo "== $$t (ASan+UBSan)"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 $$t > $$t.log 2>&1 || { cat $$t.log; exit 1; }; \
		grep -h "PASSED\|FAILED" $$t.log; done

valgrind: all
	BUILD=$(BUILD) tests/host/valgrind.sh

# ZDEV_LAB_PREPARE=no: use only the kernels already cached (the others are reported SKIPPED)
ZDEV_LAB_PREPARE ?= yes

# make check fuzzes each reader with a fixed seed and count (CHECK_FUZZ_RUNS, ~30 s each here); make fuzz
# explores at random for longer
CHECK_FUZZ_RUNS ?= 150000

# the host tests alone (what a distribution's package build can run): no root, no QEMU, no kernel sources
check-host: unit
	$(MAKE) --no-print-directory sanitize valgrind
	$(MAKE) --no-print-directory fuzz FUZZ_RUNS=$(CHECK_FUZZ_RUNS)

# README's test command: the packages, the host tests, then the lab suite on every kernel
check: deps
	$(MAKE) --no-print-directory check-host
	$(MAKE) --no-print-directory all lab-programs
	@if [ "$(ZDEV_LAB_PREPARE)" = yes ]; then tests/vm/prepare-kernels all; fi
	tests/vm/suite

demo: deps
	$(MAKE) --no-print-directory all lab-programs
	@if [ "$(ZDEV_LAB_PREPARE)" = yes ]; then tests/vm/prepare-kernels lab; fi
	tests/vm/demo

vmtest: all lab-programs
	tests/vm/suite

lab:
	tests/vm/prepare-kernels all

# a long lab run (ZDEV_SOAK_SECONDS, 600) cycling every scenario under zdevtrace and zdevtop: drops, counts
# against the oracle, RSS and BPF map memory over time
soak: all lab-programs
	tests/vm/soak

lab-shell: all lab-programs
	tests/vm/run --kernel $${KERNEL:-lab} --pmem 256M --nvme-cmb 64 --hmm --interactive -- bash -i

deps:
	tests/deps

# benchmarks (not tests): bench/run measures in lab guests and on the host, prints the table, writes
# $(BUILD)/bench/results.json; its helper programs are built here, the record generator on the library's writer
bench: all lab-programs
	@mkdir -p $(BUILD)/bench
	$(LINK) -Iinclude $(CPPFLAGS) -o $(BUILD)/bench/gen-record bench/gen-record.c $(BUILD)/src/lib/record_writer.o \
		$(BUILD)/src/lib/record_reader.o $(ZLIB_LIBS)
	$(LINK) $(CPPFLAGS) -o $(BUILD)/bench/p2p-loop bench/p2p-loop.c
	$(LINK) $(CPPFLAGS) -o $(BUILD)/bench/rusage bench/rusage.c
	BUILD=$(BUILD) bench/run

install: $(ZDEVTRACE) $(ZDEVTOP)
	install -D -m 0755 $(ZDEVTRACE) $(DESTDIR)$(PREFIX)/sbin/zdevtrace
	install -D -m 0755 $(ZDEVTOP) $(DESTDIR)$(PREFIX)/sbin/zdevtop
	install -D -m 0644 man/zdevtrace.8 $(DESTDIR)$(PREFIX)/share/man/man8/zdevtrace.8
	install -D -m 0644 man/zdevtop.8 $(DESTDIR)$(PREFIX)/share/man/man8/zdevtop.8

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/zdevtrace $(DESTDIR)$(PREFIX)/sbin/zdevtop \
		$(DESTDIR)$(PREFIX)/share/man/man8/zdevtrace.8 $(DESTDIR)$(PREFIX)/share/man/man8/zdevtop.8

clean:
	rm -rf $(BUILD)
