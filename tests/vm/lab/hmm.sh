# Sourced by the hmm checks: test_hmm's migration geometry on the kernel under test ($kernel_release).
#   hmm_batch        pages per migrate_vma_setup of an ioctl migration: src_pfns[64] up to 6.18,
#                    PTRS_PER_PTE (512) from 6.19, where test_hmm gained large device folios
#   hmm_folio_pages  pages a THP-backed buffer moves per folio: 512 from 6.19 (MIGRATE_VMA_SELECT_COMPOUND:
#                    one entry, one zone_device_page_init of order 9, one CPU fault, one folio freed), 1 before
#                    (the THP is split and base pages move)
#   hmm_large_chunks 1 from 6.19: a private device's first large folio needs a chunk of its own (a new 256 MiB
#                    pgmap, all of it PMD folios: the chunk made at load holds base pages). A coherent device
#                    has one fixed SPM range, mapped at load with base pages: each large folio asked of it
#                    tries to map that range again, fails (memremap_pages -ENOMEM), and the THP is split and
#                    moves as base pages.
kernel_version_code() { # "6.19.3-x" -> 6019
	local v=${1%%-*} major minor
	major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
	echo $(( major * 1000 + minor ))
}
if [ "$(kernel_version_code "$kernel_release")" -ge 6019 ]; then
	hmm_batch=512 hmm_folio_pages=512 hmm_large_chunks=1
else
	hmm_batch=64 hmm_folio_pages=1 hmm_large_chunks=0
fi
