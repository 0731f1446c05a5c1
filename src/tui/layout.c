// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The dashboard's layout: header (totals), pgmaps, pools, migrations, event log, status line, and the help
 * over them, written into a canvas from the model, the history, the log and the view. Pure: the screen
 * and batch mode copy the canvas out. Columns shrink to the width (80 columns and up); panels share the
 * height by what they hold, each keeping a minimum.
 */
#define _GNU_SOURCE /* qsort_r, strcasestr */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zdev/render.h"
#include "tui.h"

#define HEADER_ROWS 4
#define BATCH_LOG_ROWS 20

static const char *state_name(const struct zdev_pgmap *pgmap)
{
	if (pgmap->present_at_start && pgmap->state == ZDEV_PGMAP_LIVE)
		return "live*";
	return zdev_pgmap_state_name(pgmap->state);
}

static int64_t pages_in_use(const struct zdev_pgmap *pgmap)
{
	return (int64_t)pgmap->pages_initialised - (int64_t)pgmap->pages_freed;
}

static const char *device_label(const struct zdev_pgmap *pgmap, char *buf, size_t len)
{
	if (pgmap->device[0])
		return pgmap->device;
	if (pgmap->owner_id) {
		snprintf(buf, len, "owner %u", pgmap->owner_id);
		return buf;
	}
	return "-";
}

/* --- pgmap rows: filtered, sorted ----------------------------------------------------------------- */
static int matches(const struct zdev_pgmap *pgmap, const char *filter)
{
	char owner[24];

	if (!filter[0])
		return 1;
	return strcasestr(zdev_pgmap_type_name(pgmap->type), filter) ||
	       strcasestr(device_label(pgmap, owner, sizeof(owner)), filter) || strcasestr(state_name(pgmap), filter);
}

static int compare_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int compare_pgmaps(const void *left, const void *right, void *arg)
{
	const struct zdev_pgmap *a = *(const struct zdev_pgmap *const *)left, *b = *(const struct zdev_pgmap *const *)right;
	const struct tui_view *view = arg;
	char a_buf[24], b_buf[24];
	int order = 0;

	switch (view->sort_column) {
	case TUI_COL_ID:
		order = a->id < b->id ? -1 : a->id > b->id;
		break;
	case TUI_COL_TYPE:
		order = strcmp(zdev_pgmap_type_name(a->type), zdev_pgmap_type_name(b->type));
		break;
	case TUI_COL_DEVICE:
		order = strcmp(device_label(a, a_buf, sizeof(a_buf)), device_label(b, b_buf, sizeof(b_buf)));
		break;
	case TUI_COL_SIZE:
		order = compare_u64(a->size_bytes, b->size_bytes);
		break;
	case TUI_COL_VMEMMAP_DRAM:
		order = compare_u64(a->vmemmap_dram_bytes, b->vmemmap_dram_bytes);
		break;
	case TUI_COL_VMEMMAP_DEVICE:
		order = compare_u64(a->vmemmap_device_bytes, b->vmemmap_device_bytes);
		break;
	case TUI_COL_PAGES_IN_USE:
		order = pages_in_use(a) < pages_in_use(b) ? -1 : pages_in_use(a) > pages_in_use(b);
		break;
	case TUI_COL_STATE:
		order = (int)a->state - (int)b->state; /* small enums: no overflow */
		break;
	case TUI_COL_COUNT:
		break;
	}
	if (!order)
		order = a->id < b->id ? -1 : a->id > b->id; /* stable: by id */
	else if (view->sort_descending)
		order = -order;
	return order;
}

/* --- panels ----------------------------------------------------------------------------------------- */
struct panel {
	int top, height;   /* rows, title included */
	int rows;          /* data rows it has */
	int heading;       /* has a column heading row */
};

static void title(struct tui_canvas *canvas, int row, const struct tui_view *view, enum tui_panel panel,
		  const char *text)
{
	enum tui_attr attr = view->focus == panel ? TUI_FOCUS : TUI_TITLE;

	tui_fill_attr(canvas, row, 0, canvas->cols, attr);
	tui_put(canvas, row, 0, attr, text);
}

static int visible_rows(const struct panel *panel)
{
	int rows = panel->height - 1 - panel->heading;

	return rows < 0 ? 0 : rows;
}

static int clamp_scroll(struct tui_view *view, enum tui_panel which, const struct panel *panel)
{
	int most = panel->rows - visible_rows(panel);

	if (most < 0)
		most = 0;
	if (view->scroll[which] > most)
		view->scroll[which] = most;
	return view->scroll[which];
}

static void draw_pgmaps(struct tui_canvas *canvas, const struct zdev_model *model, struct tui_view *view,
			const struct panel *panel, const struct zdev_pgmap **rows, size_t shown)
{
	/* ID TYPE DEVICE SIZE VMEMMAP-DRAM VMEMMAP-DEV DEV-PAGES STATE; DEVICE takes the width left */
	static const int fixed[TUI_COL_COUNT] = { 4, 9, 0, 10, 12, 11, 10, 9 };
	int widths[TUI_COL_COUNT], used = 0, col = 0, row = panel->top;
	char text[160];
	int first;

	for (int i = 0; i < TUI_COL_COUNT; i++)
		used += fixed[i] + 1;
	memcpy(widths, fixed, sizeof(widths));
	widths[TUI_COL_DEVICE] = canvas->cols - used;
	if (widths[TUI_COL_DEVICE] < 8)
		widths[TUI_COL_DEVICE] = 8;
	if (widths[TUI_COL_DEVICE] > 32)
		widths[TUI_COL_DEVICE] = 32;
	snprintf(text, sizeof(text), "PGMAPS  %zu shown of %zu   sort: %s %s%s%s", shown, model->nr_pgmaps,
		 tui_column_name(view->sort_column), view->sort_descending ? "(descending)" : "(ascending)",
		 view->filter[0] ? "   filter: " : "", view->filter);
	title(canvas, row++, view, TUI_PANEL_PGMAPS, text);
	for (int i = 0; i < TUI_COL_COUNT; i++) {
		int right = i != TUI_COL_TYPE && i != TUI_COL_DEVICE && i != TUI_COL_STATE;
		enum tui_attr attr = (enum tui_pgmap_column)i == view->sort_column ? TUI_SELECTED : TUI_HEADING;

		snprintf(text, sizeof(text), right ? "%*s" : "%-*s", widths[i], tui_column_name(i));
		tui_fill_attr(canvas, row, col, widths[i] + 1, TUI_HEADING);
		tui_put(canvas, row, col, attr, text);
		col += widths[i] + 1;
	}
	tui_fill_attr(canvas, row, col, canvas->cols - col, TUI_HEADING);
	row++;
	first = clamp_scroll(view, TUI_PANEL_PGMAPS, panel);
	for (int i = first; i < (int)shown && row < panel->top + panel->height; i++, row++) {
		const struct zdev_pgmap *pgmap = rows[i];
		char size[24], dram[24], device_bytes[24], owner[24];
		enum tui_attr attr = pgmap->state == ZDEV_PGMAP_FAILED ? TUI_WARN
				     : pgmap->state == ZDEV_PGMAP_UNMAPPED ? TUI_DIM : TUI_NORMAL;

		zdev_format_bytes(size, sizeof(size), pgmap->size_bytes);
		zdev_format_bytes(dram, sizeof(dram), pgmap->vmemmap_dram_bytes);
		zdev_format_bytes(device_bytes, sizeof(device_bytes), pgmap->vmemmap_device_bytes);
		snprintf(text, sizeof(text), "%4u %-9.9s %-*.*s %10s %12s %11s %10lld %-9s", pgmap->id,
			 zdev_pgmap_type_name(pgmap->type), widths[TUI_COL_DEVICE], widths[TUI_COL_DEVICE],
			 device_label(pgmap, owner, sizeof(owner)), size, dram, device_bytes,
			 (long long)pages_in_use(pgmap), state_name(pgmap));
		tui_put(canvas, row, 0, attr, text);
	}
}

static void draw_bar(struct tui_canvas *canvas, int row, int col, int width, uint64_t used, uint64_t total)
{
	int filled = total ? (int)((double)used / (double)total * width + 0.5) : 0;

	if (filled > width)
		filled = width;
	tui_put(canvas, row, col, TUI_NORMAL, "[");
	for (int i = 0; i < width; i++)
		tui_put(canvas, row, col + 1 + i, i < filled ? TUI_BAR : TUI_DIM, i < filled ? "|" : ".");
	tui_put(canvas, row, col + 1 + width, TUI_NORMAL, "]");
}

static void draw_pools(struct tui_canvas *canvas, const struct zdev_model *model, struct tui_view *view,
		       const struct panel *panel)
{
	int row = panel->top, bar_width = canvas->cols - 82, first;
	char text[200];

	if (bar_width < 10)
		bar_width = 10;
	if (bar_width > 40)
		bar_width = 40;
	snprintf(text, sizeof(text), "P2P POOLS  %zu", model->nr_pools);
	title(canvas, row++, view, TUI_PANEL_POOLS, text);
	snprintf(text, sizeof(text), "%4s %-14s %-8s %10s %*s %10s %10s %8s %7s", "ID", "DEVICE", "KIND", "SIZE",
		 -(bar_width + 2), "USE", "IN-USE", "HIGH", "ALLOCS", "FAILS");
	tui_fill_attr(canvas, row, 0, canvas->cols, TUI_HEADING);
	tui_put(canvas, row++, 0, TUI_HEADING, text);
	first = clamp_scroll(view, TUI_PANEL_POOLS, panel);
	for (int i = first; i < (int)model->nr_pools && row < panel->top + panel->height; i++, row++) {
		const struct zdev_pool *pool = &model->pools[i];
		uint64_t in_use = pool->size_bytes > pool->avail_bytes ? pool->size_bytes - pool->avail_bytes : 0;
		char size[24], used[24], high[24];
		int col;

		zdev_format_bytes(size, sizeof(size), pool->size_bytes);
		zdev_format_bytes(used, sizeof(used), in_use);
		zdev_format_bytes(high, sizeof(high), pool->high_water_bytes);
		col = tui_printf(canvas, row, 0, pool->gone ? TUI_DIM : TUI_NORMAL, "%4u %-14.14s %-8s %10s ", pool->id,
				 pool->device[0] ? pool->device : "-", pool->gone ? "gone" : pool->p2pdma ? "p2pdma" : "genalloc",
				 size);
		draw_bar(canvas, row, col, bar_width, in_use, pool->size_bytes);
		col += bar_width + 2;
		tui_printf(canvas, row, col, TUI_NORMAL, " %10s %10s %8llu", used, high,
			   (unsigned long long)(pool->allocs + pool->direct_allocs));
		tui_printf(canvas, row, col + 31, pool->failures ? TUI_WARN : TUI_NORMAL, " %7llu",
			   (unsigned long long)pool->failures);
	}
}

static void sparkline(char *buf, size_t len, const double *rates, int count, int width)
{
	static const char *const levels[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	double most = 0;
	size_t at = 0;
	int first = count > width ? count - width : 0;

	buf[0] = '\0';
	for (int i = first; i < count; i++)
		if (rates[i] > most)
			most = rates[i];
	for (int i = first; i < count; i++) {
		int level = most > 0 ? (int)(rates[i] / most * 8 + 0.5) : 0;
		const char *glyph = levels[level < 0 ? 0 : level > 8 ? 8 : level];

		if (rates[i] > 0 && level == 0)
			glyph = levels[1]; /* a trickle is not nothing */
		if (at + strlen(glyph) + 1 > len)
			break;
		strcpy(buf + at, glyph);
		at += strlen(glyph);
	}
}

static void draw_migrations(struct tui_canvas *canvas, const struct zdev_model *model,
			    const struct tui_history *history, struct tui_view *view, const struct panel *panel)
{
	int row = panel->top, spark_width = canvas->cols - 78, first; /* the columns before it take 78 */
	double rates[TUI_HISTORY];
	char text[200];

	if (spark_width < 8)
		spark_width = 8;
	if (spark_width > TUI_SPARK_SECONDS)
		spark_width = TUI_SPARK_SECONDS;
	snprintf(text, sizeof(text), "MIGRATIONS  %zu flows (owner, direction)", model->nr_migrations);
	title(canvas, row++, view, TUI_PANEL_MIGRATIONS, text);
	snprintf(text, sizeof(text), "%-8s %-9s %9s %9s %9s %9s %10s %6s  %s", "OWNER", "DIRECTION", "PAGES/S",
		 "MIB/S", "P50", "P99", "PAGES", "FAILED", "LAST MINUTE (pages/s)");
	tui_fill_attr(canvas, row, 0, canvas->cols, TUI_HEADING);
	tui_put(canvas, row++, 0, TUI_HEADING, text);
	first = clamp_scroll(view, TUI_PANEL_MIGRATIONS, panel);
	for (int i = first; i < (int)model->nr_migrations && row < panel->top + panel->height; i++, row++) {
		const struct zdev_migration_stats *stats = &model->migrations[i];
		int flow = tui_history_flow(history, stats->owner_id, stats->direction);
		double rate = flow >= 0 ? tui_history_rate(history, flow, 0) : 0;
		char p50[24], p99[24], owner[16], spark[TUI_SPARK_SECONDS * 4 + 1];
		int count = flow >= 0 ? tui_history_rates(history, flow, 0, rates, TUI_HISTORY) : 0;

		zdev_format_ns(p50, sizeof(p50), zdev_migration_percentile(stats, 50));
		zdev_format_ns(p99, sizeof(p99), zdev_migration_percentile(stats, 99));
		snprintf(owner, sizeof(owner), "owner %u", stats->owner_id);
		sparkline(spark, sizeof(spark), rates, count, spark_width);
		int col = tui_printf(canvas, row, 0, TUI_NORMAL, "%-8s %-9s %9.0f %9.2f %9s %9s %10llu %6llu  ", owner,
			   zdev_direction_name(stats->direction), rate,
			   rate * (double)model->geometry.page_bytes / (1 << 20), p50, p99,
			   (unsigned long long)stats->pages_migrated, (unsigned long long)stats->failed);
		tui_put(canvas, row, col, TUI_GOOD, spark);
	}
}

static void draw_log(struct tui_canvas *canvas, const struct tui_eventlog *log, struct tui_view *view,
		     const struct panel *panel)
{
	int row = panel->top, first;
	char text[64];

	snprintf(text, sizeof(text), "EVENTS  %llu, newest first", (unsigned long long)log->total);
	title(canvas, row++, view, TUI_PANEL_LOG, text);
	first = clamp_scroll(view, TUI_PANEL_LOG, panel);
	for (int i = first; i < panel->rows && row < panel->top + panel->height; i++, row++) {
		const struct tui_log_entry *entry = tui_eventlog_get(log, i);
		int col;

		if (!entry)
			break;
		if (entry->at_ns >= log->start_ns && entry->at_ns)
			col = tui_printf(canvas, row, 0, TUI_DIM, "%+9.3fs ", (entry->at_ns - log->start_ns) / 1e9);
		else
			col = tui_put(canvas, row, 0, TUI_DIM, "           ");
		tui_put(canvas, row, col, entry->warn ? TUI_WARN : TUI_NORMAL, entry->text);
	}
}

/* --- header, status, help ------------------------------------------------------------------------- */
static void draw_header(struct tui_canvas *canvas, const struct zdev_model *model, const struct tui_history *history,
			const struct tui_view *view, const struct tui_context *context)
{
	struct zdev_type_totals totals[ZDEV_TYPE_COUNT];
	uint64_t pool_size = 0, pool_used = 0, pool_high = 0, pool_failures = 0, vmemmap_dram = 0, vmemmap_device = 0;
	uint32_t failed = 0, unmapped = 0;
	char text[256], a[24], b[24], c[24];
	double to_device = tui_history_rate(history, -1, ZDEV_MIGRATE_TO_DEVICE);
	double to_ram = tui_history_rate(history, -1, ZDEV_MIGRATE_TO_RAM);
	double mib = (double)model->geometry.page_bytes / (1 << 20);
	int col;

	zdev_model_totals(model, totals);
	col = tui_printf(canvas, 0, 0, TUI_TITLE, "zdevtop  %s  kernel %s  %.1f s  refresh %.1f s  frame %llu",
			 context->source, context->kernel_release ? context->kernel_release : "?",
			 context->now_ns > context->start_ns ? (context->now_ns - context->start_ns) / 1e9 : 0.0,
			 view->refresh_s, (unsigned long long)context->frame);
	if (view->paused || context->ended) {
		/* never cut off on a narrow screen: over the end of the line when it does not fit */
		snprintf(text, sizeof(text), "%s%s", view->paused ? "  PAUSED" : "", context->ended ? "  END OF RECORD" : "");
		if (col + (int)strlen(text) > canvas->cols)
			col = canvas->cols - (int)strlen(text) > 0 ? canvas->cols - (int)strlen(text) : 0;
		col += tui_put(canvas, 0, col, TUI_WARN, text);
	}
	tui_put(canvas, 0, canvas->cols - 7 > col ? canvas->cols - 7 : col + 1, TUI_DIM, "h: help");

	col = tui_put(canvas, 1, 0, TUI_HEADING, "PGMAPS  ");
	text[0] = '\0';
	for (int type = 0; type < ZDEV_TYPE_COUNT; type++) {
		size_t len = strlen(text);

		failed += totals[type].failed;
		vmemmap_dram += totals[type].vmemmap_dram_bytes;
		vmemmap_device += totals[type].vmemmap_device_bytes;
		if (totals[type].live)
			snprintf(text + len, sizeof(text) - len, "%s%u %s", len ? ", " : "", totals[type].live,
				 zdev_pgmap_type_name(type));
	}
	for (size_t i = 0; i < model->nr_pgmaps; i++)
		unmapped += model->pgmaps[i].state == ZDEV_PGMAP_UNMAPPED;
	col += tui_printf(canvas, 1, col, TUI_NORMAL, "live: %s   unmapped %u   ", text[0] ? text : "none", unmapped);
	tui_printf(canvas, 1, col, failed ? TUI_WARN : TUI_NORMAL, "failed %u", failed);

	for (size_t i = 0; i < model->nr_pools; i++) {
		const struct zdev_pool *pool = &model->pools[i];

		if (pool->gone)
			continue;
		pool_size += pool->size_bytes;
		pool_used += pool->size_bytes > pool->avail_bytes ? pool->size_bytes - pool->avail_bytes : 0;
		pool_high += pool->high_water_bytes;
		pool_failures += pool->failures;
	}
	zdev_format_bytes(a, sizeof(a), vmemmap_dram);
	zdev_format_bytes(b, sizeof(b), vmemmap_device);
	col = tui_put(canvas, 2, 0, TUI_HEADING, "VMEMMAP ");
	if (context->mem_total_bytes)
		col += tui_printf(canvas, 2, col, TUI_NORMAL, "DRAM %s (%.2f%% of RAM)   on devices %s   ", a,
				  100.0 * (double)vmemmap_dram / (double)context->mem_total_bytes, b);
	else
		col += tui_printf(canvas, 2, col, TUI_NORMAL, "DRAM %s   on devices %s   ", a, b);
	zdev_format_bytes(a, sizeof(a), pool_used);
	zdev_format_bytes(b, sizeof(b), pool_size);
	zdev_format_bytes(c, sizeof(c), pool_high);
	col += tui_put(canvas, 2, col, TUI_HEADING, "P2P ");
	col += tui_printf(canvas, 2, col, pool_failures ? TUI_WARN : TUI_NORMAL, "%llu failed  ",
			  (unsigned long long)pool_failures);
	tui_printf(canvas, 2, col, TUI_NORMAL, "%s of %s in use (%.0f%%), high %s", a, b,
		   pool_size ? 100.0 * (double)pool_used / (double)pool_size : 0.0, c);

	/* the drop count first: at 80 columns the end of the line is cut, and drops are never hidden */
	col = tui_printf(canvas, 3, 0, context->dropped_records || model->undecodable_records ? TUI_WARN : TUI_HEADING,
			 "DROPPED %llu%s", (unsigned long long)context->dropped_records,
			 model->undecodable_records ? "+undecodable" : "");
	col += tui_put(canvas, 3, col, TUI_HEADING, "  MIGRATE ");
	tui_printf(canvas, 3, col, TUI_NORMAL, "to device %.0f pages/s (%.2f MiB/s)   to RAM %.0f pages/s (%.2f MiB/s)",
		   to_device, to_device * mib, to_ram, to_ram * mib);
}

static void draw_status(struct tui_canvas *canvas, int row, const struct tui_view *view,
			const struct tui_context *context)
{
	tui_fill_attr(canvas, row, 0, canvas->cols, TUI_HEADING);
	if (view->editing_filter)
		tui_printf(canvas, row, 0, TUI_HEADING, "Filter (type, device or state; Enter applies, Esc cancels): %s_",
			   view->filter_input);
	else if (context->status)
		tui_put(canvas, row, 0, TUI_WARN, context->status);
	else
		tui_put(canvas, row, 0, TUI_HEADING,
			"q quit  h help  s < > sort  I invert  / filter  p pause  Tab panel  arrows PgUp PgDn scroll  + - refresh");
}

static void draw_help(struct tui_canvas *canvas)
{
	static const char *const lines[] = {
		"zdevtop keys",
		"",
		"  q            quit",
		"  h ? F1       this help (any key closes it)",
		"  s            sort the pgmaps by the next column",
		"  < >          sort by the column left / right",
		"  I r          invert the sort order",
		"  /            filter pgmaps (type, device, state); empty: all",
		"  p space      pause (the data keeps being collected)",
		"  Tab, S-Tab   next / previous panel",
		"  arrows j k   scroll the panel; PgUp PgDn by 10; Home: top",
		"  + -          refresh twice as often / half as often",
		"",
		"Rates are pages/s over the last refresh; the sparkline is the last minute.",
		"live* = present when zdev started (not seen registering).",
	};
	int width = 78, height = (int)(sizeof(lines) / sizeof(lines[0])) + 2;
	int top = (canvas->rows - height) / 2, left = (canvas->cols - width) / 2;

	if (top < 0)
		top = 0;
	if (left < 0)
		left = 0;
	for (int r = 0; r < height && top + r < canvas->rows; r++) {
		for (int c = 0; c < width && left + c < canvas->cols; c++)
			canvas->cells[(size_t)(top + r) * canvas->cols + left + c] = (struct tui_cell){ L' ', TUI_FOCUS };
		if (r >= 1 && r - 1 < height - 2)
			tui_put(canvas, top + r, left + 2, TUI_FOCUS, lines[r - 1]);
	}
}

/* heights: each panel its minimum, then what is left by need, pgmaps first */
static void share_rows(struct panel panels[TUI_PANEL_COUNT], int available)
{
	static const int minimum_data[TUI_PANEL_COUNT] = { 3, 1, 1, 2 };
	int want[TUI_PANEL_COUNT], left = available;

	for (int i = 0; i < TUI_PANEL_COUNT; i++) {
		int overhead = 1 + panels[i].heading;

		want[i] = overhead + (panels[i].rows > minimum_data[i] ? panels[i].rows : minimum_data[i]);
		panels[i].height = overhead + minimum_data[i];
		if (panels[i].height > left)
			panels[i].height = left > 0 ? left : 0;
		left -= panels[i].height;
	}
	for (int i = 0; i < TUI_PANEL_COUNT && left > 0; i++) {
		int more = want[i] - panels[i].height;

		if (i == TUI_PANEL_LOG || more > left)
			more = left; /* the log takes whatever is left */
		if (more > 0) {
			panels[i].height += more;
			left -= more;
		}
	}
}

int tui_layout(struct tui_canvas *canvas, const struct zdev_model *model, const struct tui_history *history,
	       const struct tui_eventlog *log, struct tui_view *view, const struct tui_context *context, int batch)
{
	struct panel panels[TUI_PANEL_COUNT] = {
		[TUI_PANEL_PGMAPS] = { .heading = 1 },
		[TUI_PANEL_POOLS] = { .heading = 1 },
		[TUI_PANEL_MIGRATIONS] = { .heading = 1 },
		[TUI_PANEL_LOG] = { .heading = 0 },
	};
	const struct zdev_pgmap **rows = calloc(model->nr_pgmaps ? model->nr_pgmaps : 1, sizeof(*rows));
	size_t shown = 0;
	int top = HEADER_ROWS;

	if (!rows)
		return -ENOMEM;
	for (size_t i = 0; i < model->nr_pgmaps; i++)
		if (matches(&model->pgmaps[i], view->filter))
			rows[shown++] = &model->pgmaps[i];
	qsort_r(rows, shown, sizeof(*rows), compare_pgmaps, view);
	panels[TUI_PANEL_PGMAPS].rows = (int)shown;
	panels[TUI_PANEL_POOLS].rows = (int)model->nr_pools;
	panels[TUI_PANEL_MIGRATIONS].rows = (int)model->nr_migrations;
	panels[TUI_PANEL_LOG].rows = (int)log->count;

	if (batch) {
		int need = HEADER_ROWS;

		panels[TUI_PANEL_LOG].rows = log->count < BATCH_LOG_ROWS ? (int)log->count : BATCH_LOG_ROWS;
		for (int i = 0; i < TUI_PANEL_COUNT; i++) {
			panels[i].height = 1 + panels[i].heading + panels[i].rows;
			need += panels[i].height;
		}
		if (need > canvas->rows) {
			int cols = canvas->cols;

			tui_canvas_free(canvas);
			if (tui_canvas_init(canvas, need, cols)) {
				free(rows);
				return -ENOMEM;
			}
		}
		for (int i = 0; i < TUI_PANEL_COUNT; i++)
			view->scroll[i] = 0;
	} else {
		share_rows(panels, canvas->rows - HEADER_ROWS - 1);
	}
	tui_canvas_clear(canvas);
	draw_header(canvas, model, history, view, context);
	for (int i = 0; i < TUI_PANEL_COUNT; i++) {
		panels[i].top = top;
		top += panels[i].height;
		if (!panels[i].height)
			continue;
		switch (i) {
		case TUI_PANEL_PGMAPS:
			draw_pgmaps(canvas, model, view, &panels[i], rows, shown);
			break;
		case TUI_PANEL_POOLS:
			draw_pools(canvas, model, view, &panels[i]);
			break;
		case TUI_PANEL_MIGRATIONS:
			draw_migrations(canvas, model, history, view, &panels[i]);
			break;
		case TUI_PANEL_LOG:
			draw_log(canvas, log, view, &panels[i]);
			break;
		}
	}
	if (!batch) {
		draw_status(canvas, canvas->rows - 1, view, context);
		if (view->help)
			draw_help(canvas);
	}
	free(rows);
	return 0;
}
