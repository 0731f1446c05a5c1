// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE /* strerrorname_np */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/render.h"

void zdev_format_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double value = (double)bytes;
	unsigned unit = 0;

	while (value >= 1024.0 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		value /= 1024.0;
		unit++;
	}
	if (unit == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	else if (value == (double)(uint64_t)value)
		snprintf(buf, len, "%.0f %s", value, units[unit]);
	else
		snprintf(buf, len, "%.1f %s", value, units[unit]);
}

void zdev_format_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1f µs", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
}

void zdev_format_errno(char *buf, size_t len, int32_t result)
{
	/* a kernel errno is -1..-4095; anything else (a record file can hold any value) is shown as it is */
	const char *name = result < 0 && result >= -4095 ? strerrorname_np(-result) : NULL;

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "result %d", result);
}

int zdev_parse_bytes(const char *text, uint64_t *bytes)
{
	unsigned long long number;
	char *end;
	int shift = 0;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	number = strtoull(text, &end, 10);
	if (errno || end == text)
		return -1;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B')
		end++;
	if (*end || (shift && number > (UINT64_MAX >> shift)))
		return -1;
	*bytes = (uint64_t)number << shift;
	return 0;
}
