// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's HMM migrations: per owner and direction, CPU-fault sums from BPF, latency buckets
 * and percentiles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "records.h"
#include "zdev/latency.h"
#include "model_fixture.h"

static void migrations_aggregate_per_owner_and_direction(void **state)
{
	struct zdev_model *model = *state;

	/* 3 rounds of 100 pages: 2 batches to the device (64 + 36), then 100 single-page CPU faults back */
	for (int round = 0; round < 3; round++) {
		struct zdev_event to_device_a = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 64, 300000);
		struct zdev_event to_device_b = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 36, 200000);

		zdev_model_apply(model, &to_device_a);
		zdev_model_apply(model, &to_device_b);
		for (int page = 0; page < 100; page++) {
			struct zdev_event back = migration_event(0xd1, ZDEV_MIGRATE_TO_RAM, ZDEV_TRIGGER_CPU_FAULT, 1, 20000);

			zdev_model_apply(model, &back);
		}
	}
	assert_int_equal(model->nr_migrations, 2);
	assert_int_equal(model->migrations[0].direction, ZDEV_MIGRATE_TO_DEVICE);
	assert_int_equal(model->migrations[0].migrations, 6);
	assert_int_equal(model->migrations[0].pages_migrated, 300);
	assert_int_equal(model->migrations[0].cpu_faults, 0);
	assert_int_equal(model->migrations[0].latency_max_ns, 300000);
	assert_int_equal(model->migrations[1].direction, ZDEV_MIGRATE_TO_RAM);
	assert_int_equal(model->migrations[1].migrations, 300);
	assert_int_equal(model->migrations[1].cpu_faults, 300);
	assert_int_equal(model->migrations[1].pages_migrated, 300);
	assert_int_equal(model->migrations[0].owner_id, model->migrations[1].owner_id);
}

/* the same rounds with the CPU faults summed in BPF: cumulative records, read now and then (twice the same
 * one too), make exactly the totals one record per fault made */
static void fault_migrations_summed_in_bpf_make_the_same_totals(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event sums = empty_event(ZDEV_REC_FAULT_MIGRATIONS, sizeof(sums.fault_migrations));
	struct zdev_migration_stats *back;

	sums.fault_migrations.key.owner_key = 0xd1;
	sums.fault_migrations.key.direction = ZDEV_MIGRATE_TO_RAM;
	for (int round = 0; round < 3; round++) {
		struct zdev_event to_device_a = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 64, 300000);
		struct zdev_event to_device_b = migration_event(0xd1, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 36, 200000);

		zdev_model_apply(model, &to_device_a);
		zdev_model_apply(model, &to_device_b);
		/* 100 faults of 20 us each (bucket 15: [16384, 32768) ns) and one of 40 us in the last round */
		sums.fault_migrations.migrations += 100;
		sums.fault_migrations.pages_asked += 100;
		sums.fault_migrations.pages_collected += 100;
		sums.fault_migrations.pages_migrated += 100;
		sums.fault_migrations.latency_total_ns += 100 * 20000;
		sums.fault_migrations.latency_max_ns = 20000;
		sums.fault_migrations.latency_histogram[zdev_latency_bucket(20000)] += 100;
		if (round == 2) {
			sums.fault_migrations.migrations++;
			sums.fault_migrations.pages_asked++;
			sums.fault_migrations.pages_collected++;
			sums.fault_migrations.pages_migrated++;
			sums.fault_migrations.latency_total_ns += 40000;
			sums.fault_migrations.latency_max_ns = 40000;
			sums.fault_migrations.latency_histogram[zdev_latency_bucket(40000)]++;
		}
		assert_int_equal(zdev_model_apply(model, &sums), 0);
		assert_int_equal(zdev_model_apply(model, &sums), 0);
	}
	assert_int_equal(model->nr_migrations, 2);
	assert_int_equal(model->migrations[0].migrations, 6);
	back = &model->migrations[1];
	assert_int_equal(back->direction, ZDEV_MIGRATE_TO_RAM);
	assert_int_equal(back->migrations, 301);
	assert_int_equal(back->cpu_faults, 301);
	assert_int_equal(back->pages_migrated, 301);
	assert_int_equal(back->latency_total_ns, 300 * 20000 + 40000);
	assert_int_equal(back->latency_max_ns, 40000);
	assert_int_equal(back->latency_histogram[15], 300);
	assert_int_equal(back->latency_histogram[16], 1);
	assert_int_equal(zdev_migration_percentile(back, 50), 32767);
	assert_int_equal(model->migrations[0].owner_id, back->owner_id);
}

static void failed_migrations_count_no_pages(void **state)
{
	struct zdev_model *model = *state;
	struct zdev_event failed = migration_event(0xd2, ZDEV_MIGRATE_TO_DEVICE, ZDEV_TRIGGER_DRIVER, 64, 1000);

	failed.migration.result = -22;
	zdev_model_apply(model, &failed);
	assert_int_equal(model->migrations[0].migrations, 1);
	assert_int_equal(model->migrations[0].failed, 1);
	assert_int_equal(model->migrations[0].pages_migrated, 0);
}

static void latency_histogram_and_percentiles(void **state)
{
	uint64_t histogram[ZDEV_LATENCY_BUCKETS] = { 0 };

	(void)state;
	assert_int_equal(zdev_latency_bucket(0), 0);
	assert_int_equal(zdev_latency_bucket(1), 1);
	assert_int_equal(zdev_latency_bucket(1023), 10);
	assert_int_equal(zdev_latency_bucket(1024), 11);
	assert_int_equal(zdev_latency_bucket(UINT64_MAX), ZDEV_LATENCY_BUCKETS - 1);
	assert_int_equal(zdev_latency_percentile(histogram, 50), 0);
	for (int i = 0; i < 99; i++)
		histogram[zdev_latency_bucket(1000)]++; /* bucket 10: [512, 1024) */
	histogram[zdev_latency_bucket(1000000)]++;      /* bucket 20 */
	assert_int_equal(zdev_latency_percentile(histogram, 50), 1023);
	assert_int_equal(zdev_latency_percentile(histogram, 99), 1023);
	assert_int_equal(zdev_latency_percentile(histogram, 100), (1u << 20) - 1);
}

/* latency.h's straight-line count against the plain loop, around every power of two */
static void latency_bucket_of_matches_a_count_of_bits(void **state)
{
	(void)state;
	for (unsigned bit = 0; bit < 64; bit++) {
		uint64_t power = 1ull << bit, around[] = { power - 1, power, power + 1, power | (power >> 1) };

		for (size_t i = 0; i < sizeof(around) / sizeof(around[0]); i++) {
			uint64_t rest = around[i];
			unsigned expected = 0;

			while (rest && expected < ZDEV_LATENCY_BUCKET_COUNT - 1) {
				rest >>= 1;
				expected++;
			}
			assert_int_equal(zdev_latency_bucket_of(around[i]), expected);
			assert_int_equal(zdev_latency_bucket(around[i]), expected);
		}
	}
	assert_int_equal(zdev_latency_bucket_of(UINT64_MAX), ZDEV_LATENCY_BUCKET_COUNT - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrations_aggregate_per_owner_and_direction, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(fault_migrations_summed_in_bpf_make_the_same_totals, model_setup, model_teardown),
		cmocka_unit_test_setup_teardown(failed_migrations_count_no_pages, model_setup, model_teardown),
		cmocka_unit_test(latency_histogram_and_percentiles),
		cmocka_unit_test(latency_bucket_of_matches_a_count_of_bits),
	};

	return cmocka_run_group_tests_name("model_migration", tests, NULL, NULL);
}
