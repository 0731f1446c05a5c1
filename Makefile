# zdev (work in progress): only the lab targets exist so far.
.PHONY: lab vmtest lab-shell

lab:
	tests/vm/prepare-kernels all

vmtest:
	tests/vm/smoke

lab-shell:
	tests/vm/run --kernel $${KERNEL:-lab} --pmem 256M --nvme-cmb 64 --hmm --interactive -- bash -i
