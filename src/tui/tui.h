/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * zdevtop's pure parts: the dashboard is laid out into a canvas (characters and attributes) from the model,
 * the rate history, the event log and the view state. The ncurses screen and batch mode only copy a
 * canvas out; nothing here touches the terminal, BPF or the kernel, so unit tests drive it all.
 */
#ifndef ZDEV_TUI_H
#define ZDEV_TUI_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>
#include "zdev/model.h"

/* --- canvas ------------------------------------------------------------------------------------------ */
enum tui_attr {
	TUI_NORMAL = 0,
	TUI_TITLE,      /* a panel's title */
	TUI_FOCUS,      /* the focused panel's title */
	TUI_HEADING,    /* column headings */
	TUI_SELECTED,   /* the sorted column's heading */
	TUI_WARN,       /* failures, drops, anomalies */
	TUI_GOOD,
	TUI_BAR,        /* the used part of a bar */
	TUI_DIM,
	TUI_ATTR_COUNT,
};

struct tui_cell {
	wchar_t ch;
	uint8_t attr;
};

struct tui_canvas {
	int rows, cols;
	struct tui_cell *cells;
	int used_rows; /* the last row written + 1 */
};

int tui_canvas_init(struct tui_canvas *canvas, int rows, int cols);
void tui_canvas_free(struct tui_canvas *canvas);
void tui_canvas_clear(struct tui_canvas *canvas);
/* writes UTF-8 text at (row, col), clipped to the canvas; returns the columns written */
int tui_put(struct tui_canvas *canvas, int row, int col, enum tui_attr attr, const char *text);
int tui_printf(struct tui_canvas *canvas, int row, int col, enum tui_attr attr, const char *format, ...)
	__attribute__((format(printf, 5, 6)));
void tui_fill_attr(struct tui_canvas *canvas, int row, int col, int width, enum tui_attr attr);
/* one row as UTF-8, trailing blanks dropped (batch mode, tests) */
size_t tui_row_text(const struct tui_canvas *canvas, int row, char *buf, size_t len);

/* --- rate history: cumulative migration counters sampled per tick ----------------------------------- */
#define TUI_HISTORY 240          /* samples kept (4 min at 1 s) */
#define TUI_SPARK_SECONDS 60     /* the sparklines show the last minute */
#define TUI_MAX_FLOWS 32         /* owner x direction rows followed */

struct tui_flow_key {
	uint32_t owner_id;
	uint32_t direction;
};

struct tui_sample {
	uint64_t at_ns;                       /* source time: monotonic live, record time on replay */
	uint64_t pages[TUI_MAX_FLOWS];        /* cumulative pages migrated per flow */
	uint64_t direction_pages[3];          /* per enum zdev_migration_direction (1, 2) */
};

struct tui_history {
	struct tui_flow_key flows[TUI_MAX_FLOWS];
	int nr_flows;
	struct tui_sample samples[TUI_HISTORY];
	int count, next;                      /* ring */
};

void tui_history_sample(struct tui_history *history, const struct zdev_model *model, uint64_t at_ns);
/* pages/s over the last interval (between the last two samples); flow -1: all flows of `direction` */
double tui_history_rate(const struct tui_history *history, int flow, uint32_t direction);
int tui_history_flow(const struct tui_history *history, uint32_t owner_id, uint32_t direction);
/* pages/s per sample over the last `seconds`, oldest first; returns how many */
int tui_history_rates(const struct tui_history *history, int flow, uint32_t direction, double *rates, int max);

/* --- event log: lifecycle changes found by comparing the model with what was seen before -------------- */
#define TUI_LOG_ENTRIES 256
#define TUI_LOG_TEXT 160

struct tui_log_entry {
	uint64_t at_ns;
	int warn;
	char text[TUI_LOG_TEXT];
};

struct tui_eventlog {
	struct tui_log_entry entries[TUI_LOG_ENTRIES];
	size_t count, next;                   /* ring */
	uint64_t total;                       /* entries ever logged */
	/* what was seen: per pgmap id its state; per pool id whether gone */
	uint8_t *pgmap_state;                 /* 0 unseen, else state + 1 */
	size_t pgmap_known;
	uint8_t *pool_state;                  /* 0 unseen, 1 live, 2 gone */
	size_t pool_known;
	size_t anomalies_known;
	uint64_t start_ns;                    /* times are shown relative to it */
};

void tui_eventlog_init(struct tui_eventlog *log, uint64_t start_ns);
void tui_eventlog_free(struct tui_eventlog *log);
/* logs what changed in the model since the last call; 0 or -ENOMEM */
int tui_eventlog_update(struct tui_eventlog *log, const struct zdev_model *model);
/* the i-th newest entry (0 = newest), or NULL */
const struct tui_log_entry *tui_eventlog_get(const struct tui_eventlog *log, size_t i);

/* --- view state and keys ---------------------------------------------------------------------------- */
enum tui_panel { TUI_PANEL_PGMAPS, TUI_PANEL_POOLS, TUI_PANEL_MIGRATIONS, TUI_PANEL_LOG, TUI_PANEL_COUNT };

enum tui_pgmap_column {
	TUI_COL_ID, TUI_COL_TYPE, TUI_COL_DEVICE, TUI_COL_SIZE, TUI_COL_VMEMMAP_DRAM, TUI_COL_VMEMMAP_DEVICE,
	TUI_COL_PAGES_IN_USE, TUI_COL_STATE, TUI_COL_COUNT,
};

struct tui_view {
	enum tui_panel focus;
	int scroll[TUI_PANEL_COUNT];
	enum tui_pgmap_column sort_column;
	int sort_descending;
	char filter[64];              /* substring of type, device or state; "" = all */
	int editing_filter;           /* '/' typed: keys go to the filter */
	char filter_input[64];
	int paused;
	int help;
	double refresh_s;
	int color;
};

enum tui_action { TUI_NONE, TUI_REDRAW, TUI_QUIT, TUI_REFRESH_CHANGED };

void tui_view_init(struct tui_view *view, double refresh_s, int color);
/* a key (ncurses codes for special keys: see keys.c) → what the caller must do */
enum tui_action tui_key(struct tui_view *view, int key);
const char *tui_column_name(enum tui_pgmap_column column);

/* --- layout ----------------------------------------------------------------------------------------- */
struct tui_context {
	const char *source;           /* "live" or the record's name */
	const char *kernel_release;
	uint64_t mem_total_bytes;     /* 0: unknown */
	uint64_t now_ns;              /* source time */
	uint64_t start_ns;
	uint64_t dropped_records;
	uint64_t frame;               /* 1, 2, ... */
	int ended;                    /* replay: the record is all shown */
	const char *status;           /* a message for the status line, or NULL */
};

/* lays the dashboard out on the canvas (its size is the screen's); batch: every row of every panel, the
 * canvas grows as needed */
int tui_layout(struct tui_canvas *canvas, const struct zdev_model *model, const struct tui_history *history,
	       const struct tui_eventlog *log, struct tui_view *view, const struct tui_context *context, int batch);

#endif /* ZDEV_TUI_H */
