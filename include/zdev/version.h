/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ZDEV_VERSION_H
#define ZDEV_VERSION_H
#define ZDEV_VERSION "0.1.0"
#endif
