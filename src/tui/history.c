// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Rate history: the model's cumulative migration counters sampled once per tick, so that rates (pages/s)
 * and their last minute (sparklines) are differences of samples, with the source's own clock (record time
 * on replay): a replay at 10x shows the rates the machine had, not ten times them.
 */
#include <string.h>
#include "tui.h"

int tui_history_flow(const struct tui_history *history, uint32_t owner_id, uint32_t direction)
{
	for (int i = 0; i < history->nr_flows; i++)
		if (history->flows[i].owner_id == owner_id && history->flows[i].direction == direction)
			return i;
	return -1;
}

void tui_history_sample(struct tui_history *history, const struct zdev_model *model, uint64_t at_ns)
{
	struct tui_sample *sample = &history->samples[history->next];

	memset(sample, 0, sizeof(*sample));
	sample->at_ns = at_ns;
	for (size_t i = 0; i < model->nr_migrations; i++) {
		const struct zdev_migration_stats *stats = &model->migrations[i];
		int flow = tui_history_flow(history, stats->owner_id, stats->direction);

		if (flow < 0 && history->nr_flows < TUI_MAX_FLOWS) {
			flow = history->nr_flows++;
			history->flows[flow] = (struct tui_flow_key){ stats->owner_id, stats->direction };
		}
		if (flow >= 0)
			sample->pages[flow] = stats->pages_migrated;
		if (stats->direction < 3)
			sample->direction_pages[stats->direction] += stats->pages_migrated;
	}
	history->next = (history->next + 1) % TUI_HISTORY;
	if (history->count < TUI_HISTORY)
		history->count++;
}

/* the i-th newest sample (0 = newest) */
static const struct tui_sample *newest(const struct tui_history *history, int i)
{
	if (i >= history->count)
		return NULL;
	return &history->samples[(history->next - 1 - i + 2 * TUI_HISTORY) % TUI_HISTORY];
}

static uint64_t pages_of(const struct tui_sample *sample, int flow, uint32_t direction)
{
	if (flow >= 0)
		return sample->pages[flow];
	return direction < 3 ? sample->direction_pages[direction] : 0;
}

static double rate_between(const struct tui_sample *later, const struct tui_sample *earlier, int flow,
			   uint32_t direction)
{
	uint64_t now = pages_of(later, flow, direction), before = pages_of(earlier, flow, direction);

	if (later->at_ns <= earlier->at_ns || now < before)
		return 0;
	return (double)(now - before) * 1e9 / (double)(later->at_ns - earlier->at_ns);
}

double tui_history_rate(const struct tui_history *history, int flow, uint32_t direction)
{
	const struct tui_sample *later = newest(history, 0), *earlier = newest(history, 1);

	return later && earlier ? rate_between(later, earlier, flow, direction) : 0;
}

int tui_history_rates(const struct tui_history *history, int flow, uint32_t direction, double *rates, int max)
{
	const struct tui_sample *last = newest(history, 0);
	int n = 0, i;

	if (!last)
		return 0;
	/* how many samples reach back a minute (or fit in max) */
	for (i = 1; i < history->count && i <= max; i++)
		if (last->at_ns - newest(history, i)->at_ns > (uint64_t)TUI_SPARK_SECONDS * 1000000000ull)
			break;
	for (int k = i - 1; k >= 1; k--)
		rates[n++] = rate_between(newest(history, k - 1), newest(history, k), flow, direction);
	return n;
}
