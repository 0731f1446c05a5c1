// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's vmemmap arithmetic: what the memmap (struct pages) of device memory costs, from its ranges
 * or from the pages the population hooks saw, and the geometry it is computed in. Pure functions of their
 * arguments: no model state.
 */
#include "zdev/model.h"
#include "model_parts.h"

static uint64_t div_round_up(uint64_t value, uint64_t unit)
{
	return (value + unit - 1) / unit;
}

static uint64_t align_down(uint64_t value, uint64_t unit)
{
	return value / unit * unit;
}

static int is_power_of_2(uint64_t value)
{
	return value && !(value & (value - 1));
}

/* a geometry read from a record file is checked like one read from the kernel: powers of two, pages of
 * 4 KiB..64 KiB, sub-sections within sections, a struct page of a plausible size */
int model_geometry_valid(const struct zdev_geometry *geometry)
{
	return is_power_of_2(geometry->page_bytes) && geometry->page_bytes >= 4096 && geometry->page_bytes <= 65536 &&
	       geometry->struct_page_bytes >= 32 && geometry->struct_page_bytes <= 256 &&
	       is_power_of_2(geometry->subsection_bytes) && geometry->subsection_bytes >= geometry->page_bytes &&
	       is_power_of_2(geometry->section_bytes) && geometry->section_bytes >= geometry->subsection_bytes &&
	       geometry->section_bytes <= (1ull << 40);
}

/*
 * Compound device pages (vmemmap_shift > 0, devdax) without an altmap share their tail struct pages: the
 * kernel maps VMEMMAP_RESERVE_NR (2) vmemmap pages per compound page and reuses the rest
 * (vmemmap_can_optimize and section_nr_vmemmap_pages in mm/sparse-vmemmap.c, 6.12; x86_64 has
 * ARCH_WANT_OPTIMIZE_DAX_VMEMMAP). Returns the vmemmap pages of one piece, or 0 when not optimised.
 */
#define VMEMMAP_RESERVE_NR 2

static uint64_t compound_vmemmap_pages(const struct zdev_geometry *geometry, uint64_t piece_pages,
				       uint32_t vmemmap_shift, int altmap)
{
	uint64_t pages_per_compound, vmemmap_pages_per_compound;

	if (!vmemmap_shift || altmap || vmemmap_shift >= 63)
		return 0;
	if (geometry->struct_page_bytes & (geometry->struct_page_bytes - 1))
		return 0; /* not a power of two: no optimisation */
	pages_per_compound = 1ull << vmemmap_shift;
	vmemmap_pages_per_compound = pages_per_compound * geometry->struct_page_bytes / geometry->page_bytes;
	if (vmemmap_pages_per_compound <= VMEMMAP_RESERVE_NR)
		return 0;
	if (pages_per_compound * geometry->page_bytes >= geometry->section_bytes)
		return VMEMMAP_RESERVE_NR; /* one compound page spans the section */
	return VMEMMAP_RESERVE_NR * piece_pages / pages_per_compound;
}

struct zdev_vmemmap_cost zdev_vmemmap_cost(const struct zdev_geometry *geometry, const struct zdev_range *ranges,
					   uint32_t nr_range, uint32_t vmemmap_shift, int altmap)
{
	struct zdev_vmemmap_cost cost = { 0 };
	uint64_t page = geometry->page_bytes, sub = geometry->subsection_bytes;

	for (uint32_t i = 0; i < nr_range && i < ZDEV_MAX_RANGES; i++) {
		uint64_t start = ranges[i].start, end = ranges[i].end + 1, piece_start, piece_end;
		uint64_t sub_start, sub_end;

		if (end <= start)
			continue;
		/* the kernel populates the memmap one section piece at a time
		 * (__populate_section_memmap), each rounded up to whole pages: the first and last pieces may
		 * be partial, the ones between are whole sections and cost the same (counted, not walked:
		 * a range read from a file may span the whole address space) */
		piece_start = start;
		while (piece_start < end) {
			uint64_t section_start = align_down(piece_start, geometry->section_bytes), pieces = 1;

			if (section_start > UINT64_MAX - geometry->section_bytes ||
			    section_start + geometry->section_bytes >= end) {
				piece_end = end;
			} else if (section_start == piece_start && end - piece_start >= 2 * geometry->section_bytes) {
				pieces = (align_down(end, geometry->section_bytes) - piece_start) / geometry->section_bytes;
				piece_end = piece_start + geometry->section_bytes;
			} else {
				piece_end = section_start + geometry->section_bytes;
			}
			uint64_t piece_pages = (piece_end - piece_start) / page;
			uint64_t compound = compound_vmemmap_pages(geometry, piece_pages, vmemmap_shift, altmap);

			cost.memmap_bytes += pieces * (compound ? compound * page
						       : div_round_up(piece_pages * geometry->struct_page_bytes, page) * page);
			piece_start = pieces > 1 ? piece_start + pieces * geometry->section_bytes : piece_end;
		}
		/* sparse memory tracks presence per sub-section: a range that does not fill its first and
		 * last sub-sections still has them marked present, memmap and all */
		sub_start = align_down(start, sub);
		sub_end = div_round_up(end, sub) * sub;
		cost.subsections += (sub_end - sub_start) / sub;
		cost.alignment_waste_bytes += ((sub_end - sub_start) - (end - start)) / page * geometry->struct_page_bytes;
	}
	return cost;
}

uint64_t zdev_vmemmap_of_pages(const struct zdev_geometry *geometry, uint64_t nr_pages, uint32_t vmemmap_shift,
			       int altmap)
{
	uint64_t compound = compound_vmemmap_pages(geometry, nr_pages, vmemmap_shift, altmap);

	if (compound)
		return compound * geometry->page_bytes;
	return div_round_up(nr_pages * geometry->struct_page_bytes, geometry->page_bytes) * geometry->page_bytes;
}
