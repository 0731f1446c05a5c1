/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The latency histogram's bucket of a duration, compiled both into the BPF object (CPU-fault migrations
 * are summed in a map there) and into the model (one record per migration): one computation, so that the
 * two halves of a histogram can never disagree on where a latency goes.
 *
 * Bucket b holds [2^(b-1), 2^b) ns, bucket 0 holds 0, the last bucket (ZDEV_LATENCY_BUCKET_COUNT - 1)
 * takes everything above: the bucket is the number of significant bits, capped.
 *
 * No libc, no kernel header beyond abi.h's fixed-width types; `static inline` with always_inline spelled
 * out, since neither side's __always_inline is defined on the other (and glibc's redefines ours).
 */
#ifndef ZDEV_LATENCY_H
#define ZDEV_LATENCY_H

#include "zdev/abi.h"

/* Six shifts instead of a loop: the verifier sees straight-line code with no loop bound to prove, and the
 * result is at most 64 before the cap. The caller in BPF still has to show the verifier the index's bound
 * where it indexes an array (6.1 loses it through a register copy: see migrate.bpf.c). */
static inline __attribute__((always_inline)) __u32 zdev_latency_bucket_of(__u64 latency_ns)
{
	__u32 bits = 0;

	if (latency_ns >> 32) {
		latency_ns >>= 32;
		bits += 32;
	}
	if (latency_ns >> 16) {
		latency_ns >>= 16;
		bits += 16;
	}
	if (latency_ns >> 8) {
		latency_ns >>= 8;
		bits += 8;
	}
	if (latency_ns >> 4) {
		latency_ns >>= 4;
		bits += 4;
	}
	if (latency_ns >> 2) {
		latency_ns >>= 2;
		bits += 2;
	}
	if (latency_ns >> 1) {
		latency_ns >>= 1;
		bits += 1;
	}
	bits += (__u32)latency_ns; /* the top bit itself, 0 only when the duration was 0 */
	return bits < ZDEV_LATENCY_BUCKET_COUNT - 1 ? bits : ZDEV_LATENCY_BUCKET_COUNT - 1;
}

#endif /* ZDEV_LATENCY_H */
