/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The terminal: ncurses (wide), a canvas copied onto it; getch is the loop's timer. */
#ifndef ZDEVTOP_SCREEN_H
#define ZDEVTOP_SCREEN_H

#include "../tui/tui.h"

/* 1: in colour, 0: without (asked, or the terminal has none), -1: no terminal */
int screen_open(int color);
void screen_size(int *rows, int *cols);
void screen_draw(const struct tui_canvas *canvas, int color);
/* a key, or -1 after timeout_ms */
int screen_key(int timeout_ms);
void screen_close(void);

#endif /* ZDEVTOP_SCREEN_H */
