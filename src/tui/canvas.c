// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The canvas: rows x cols of wide characters with attributes, written from UTF-8. */
#define _GNU_SOURCE /* wcwidth */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "tui.h"

int tui_canvas_init(struct tui_canvas *canvas, int rows, int cols)
{
	memset(canvas, 0, sizeof(*canvas));
	if (rows < 1 || cols < 1)
		return -EINVAL;
	canvas->cells = calloc((size_t)rows * cols, sizeof(*canvas->cells));
	if (!canvas->cells)
		return -ENOMEM;
	canvas->rows = rows;
	canvas->cols = cols;
	tui_canvas_clear(canvas);
	return 0;
}

void tui_canvas_free(struct tui_canvas *canvas)
{
	free(canvas->cells);
	memset(canvas, 0, sizeof(*canvas));
}

void tui_canvas_clear(struct tui_canvas *canvas)
{
	for (size_t i = 0; i < (size_t)canvas->rows * canvas->cols; i++)
		canvas->cells[i] = (struct tui_cell){ L' ', TUI_NORMAL };
	canvas->used_rows = 0;
}

int tui_put(struct tui_canvas *canvas, int row, int col, enum tui_attr attr, const char *text)
{
	mbstate_t state;
	int written = 0;

	if (row < 0 || row >= canvas->rows || col < 0)
		return 0;
	memset(&state, 0, sizeof(state));
	while (*text && col < canvas->cols) {
		wchar_t ch;
		size_t used = mbrtowc(&ch, text, strlen(text), &state);

		if (used == (size_t)-1 || used == (size_t)-2) {
			/* not UTF-8 here (a device name from a file): shown as '?', one byte at a time */
			ch = L'?';
			used = 1;
			memset(&state, 0, sizeof(state));
		}
		/* controls (C0, DEL, C1) and what is not one column wide (wide, combining) would move the rest of
		 * the row on the terminal */
		if (ch < L' ' || ch == 0x7f || !iswprint((wint_t)ch) || wcwidth(ch) != 1)
			ch = L'?';
		canvas->cells[(size_t)row * canvas->cols + col] = (struct tui_cell){ ch, attr };
		text += used;
		col++;
		written++;
	}
	if (written && row + 1 > canvas->used_rows)
		canvas->used_rows = row + 1;
	return written;
}

int tui_printf(struct tui_canvas *canvas, int row, int col, enum tui_attr attr, const char *format, ...)
{
	char text[512];
	va_list args;

	va_start(args, format);
	vsnprintf(text, sizeof(text), format, args);
	va_end(args);
	return tui_put(canvas, row, col, attr, text);
}

void tui_fill_attr(struct tui_canvas *canvas, int row, int col, int width, enum tui_attr attr)
{
	if (row < 0 || row >= canvas->rows)
		return;
	for (int c = col < 0 ? 0 : col; c < col + width && c < canvas->cols; c++)
		canvas->cells[(size_t)row * canvas->cols + c].attr = attr;
}

size_t tui_row_text(const struct tui_canvas *canvas, int row, char *buf, size_t len)
{
	size_t at = 0;
	int last = -1;
	mbstate_t state;

	if (!len)
		return 0;
	buf[0] = '\0';
	if (row < 0 || row >= canvas->rows)
		return 0;
	for (int c = 0; c < canvas->cols; c++)
		if (canvas->cells[(size_t)row * canvas->cols + c].ch != L' ')
			last = c;
	memset(&state, 0, sizeof(state));
	for (int c = 0; c <= last; c++) {
		char bytes[MB_LEN_MAX];
		size_t n = wcrtomb(bytes, canvas->cells[(size_t)row * canvas->cols + c].ch, &state);

		if (n == (size_t)-1) {
			bytes[0] = '?';
			n = 1;
		}
		if (at + n + 1 > len)
			break;
		memcpy(buf + at, bytes, n);
		at += n;
	}
	buf[at] = '\0';
	return at;
}
