# zdev — eBPF/CO-RE observability for ZONE_DEVICE memory.
# Outputs go to build/. The lab (QEMU guests on cached kernels) lives in tests/vm/; see README.md.
#
#   make            build what exists so far (the lab's scenario programs; zdevtrace/zdevtop: issues 3 and 6)
#   make check      host unit tests, then the lab suite (preparing the lab kernels first when missing)
#   make demo       the lab kernel doing real ZONE_DEVICE work, shown step by step
#   make lab        fetch/build the guest kernels into $(ZDEV_LAB_CACHE) (idempotent)
#   make vmtest     the lab suite only
#   make lab-shell  an interactive lab guest (KERNEL=lab|stock-6.1)
#   make deps       install the Debian packages the build and the lab need (root)

ZDEV_LAB_CACHE ?= /var/cache/zdev-lab
BUILD          := build
CC             ?= cc
CFLAGS         ?= -O2 -g
CFLAGS         += -Wall -Wextra -Werror=implicit-function-declaration -std=gnu11

# test_hmm's uapi header comes from Debian's linux-source-6.12 (never copied into this repository):
# from the lab kernel's unpacked source when it is there, else straight out of the source tarball.
LINUX_SOURCE_TARBALL ?= /usr/src/linux-source-6.12.tar.xz
LAB_SOURCE           ?= $(ZDEV_LAB_CACHE)/kernels/lab/source
HMM_UAPI             := $(BUILD)/uapi/test_hmm_uapi.h

TEST_PROGRAMS := $(BUILD)/tests/hmm-migrate $(BUILD)/tests/p2pmem-map

.PHONY: all tests check unit vmtest lab lab-shell deps demo clean
all: tests

tests: $(TEST_PROGRAMS)

$(HMM_UAPI):
	@mkdir -p $(@D)
	@if [ -f $(LAB_SOURCE)/lib/test_hmm_uapi.h ]; then \
		cp $(LAB_SOURCE)/lib/test_hmm_uapi.h $@; \
	elif [ -f $(LINUX_SOURCE_TARBALL) ]; then \
		tar -xJOf $(LINUX_SOURCE_TARBALL) linux-source-6.12/lib/test_hmm_uapi.h > $@.tmp && mv $@.tmp $@; \
	else \
		echo "no test_hmm_uapi.h: install linux-source-6.12 (make deps) or run make lab" >&2; exit 1; \
	fi

$(BUILD)/tests/hmm-migrate: tests/scenario/hmm-migrate.c $(HMM_UAPI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(BUILD)/uapi -o $@ $<

$(BUILD)/tests/p2pmem-map: tests/scenario/p2pmem-map.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

# host unit tests: none yet (the aggregation model arrives with issue 3)
unit: tests

# ZDEV_LAB_PREPARE=no: use only the kernels already cached (the others are reported SKIPPED)
ZDEV_LAB_PREPARE ?= yes

check: deps unit
	@if [ "$(ZDEV_LAB_PREPARE)" = yes ]; then tests/vm/prepare-kernels all; fi
	tests/vm/suite

demo: deps tests
	@if [ "$(ZDEV_LAB_PREPARE)" = yes ]; then tests/vm/prepare-kernels lab; fi
	tests/vm/demo

vmtest: tests
	tests/vm/suite

lab:
	tests/vm/prepare-kernels all

lab-shell: tests
	tests/vm/run --kernel $${KERNEL:-lab} --pmem 256M --nvme-cmb 64 --hmm --interactive -- bash -i

deps:
	tests/deps

clean:
	rm -rf $(BUILD)
