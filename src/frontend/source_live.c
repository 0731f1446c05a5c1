// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The live record source: the session behind zdev/source.h's backend calls (see source_live.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "zdev/snapshot.h"
#include "source_live.h"

struct live {
	struct zdev_session *session;
	struct zdev_model *model;   /* the source's */
	zdev_record_fn tap;
	void *tap_ctx;
};

static int on_record(void *ctx, const void *data, size_t size)
{
	struct live *live = ctx;

	if (live->tap)
		live->tap(live->tap_ctx, data, size);
	zdev_model_apply_bytes(live->model, data, size);
	return 0;
}

static int live_poll(void *backend, int timeout_ms)
{
	struct live *live = backend;

	return zdev_session_poll(live->session, timeout_ms);
}

static int live_fd(const void *backend)
{
	const struct live *live = backend;

	return zdev_session_fd(live->session);
}

static void live_tick(void *backend)
{
	struct live *live = backend;
	struct zdev_ring_counts ring;

	zdev_session_flush_page_use(live->session);
	if (!zdev_session_ring_counts(live->session, &ring))
		zdev_model_set_ring_counts(live->model, ring.emitted, ring.dropped);
}

static void live_close(void *backend)
{
	struct live *live = backend;

	zdev_session_close(live->session);
	free(live);
}

static const struct zdev_source_backend live_backend = {
	.poll = live_poll, .fd = live_fd, .tick = live_tick, .close = live_close,
};

static int add_snapshot(struct zdev_model *model)
{
	struct zdev_snapshot *present = calloc(1, sizeof(*present));
	int err = -ENOMEM;

	if (!present)
		return err;
	zdev_snapshot_read("/", present);
	for (size_t i = 0; i < present->count; i++) {
		if (zdev_model_add_present(model, &present->pgmaps[i]))
			goto cleanup;
	}
	err = 0;
cleanup:
	free(present);
	return err;
}

struct zdev_source *zdev_source_open_live(const struct zdev_session_options *session_options,
					  const struct zdev_source_live_options *options, char *error, size_t error_len)
{
	struct zdev_source *source = NULL;
	struct zdev_geometry geometry;
	struct zdev_model model;
	struct live *live = calloc(1, sizeof(*live));
	struct utsname uts;

	memset(&model, 0, sizeof(model));
	if (!live) {
		snprintf(error, error_len, "out of memory");
		return NULL;
	}
	live->tap = options->tap;
	live->tap_ctx = options->tap_ctx;
	live->model = &model; /* nothing comes before the first poll: the session is not polled until then */
	live->session = zdev_session_open(session_options, on_record, live, error, error_len);
	if (!live->session)
		goto cleanup;
	if (!zdev_session_attached(live->session)) {
		size_t used = strlen(error);

		snprintf(error + used, error_len - used, "; 'zdevtrace probes' shows each probe");
		goto cleanup;
	}
	zdev_session_geometry(live->session, &geometry);
	if (zdev_model_init(&model, &geometry)) {
		snprintf(error, error_len, "the kernel's page geometry is unusable");
		goto cleanup;
	}
	if (options->snapshot && add_snapshot(&model)) {
		snprintf(error, error_len, "out of memory");
		goto cleanup;
	}
	uname(&uts);
	source = zdev_source_open_backend(&live_backend, live, &model, uts.release, zdev_mem_total_bytes("/"));
	if (!source) {
		snprintf(error, error_len, "out of memory");
		goto cleanup;
	}
	live->model = zdev_source_model(source);
	return source;
cleanup:
	zdev_model_free(&model);
	live_close(live);
	return NULL;
}

struct zdev_session *zdev_source_session(struct zdev_source *source)
{
	struct live *live = zdev_source_is_live(source) ? zdev_source_backend(source) : NULL;

	return live ? live->session : NULL;
}
