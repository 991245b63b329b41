/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timing.c - how long each input takes, for every fuzz target.
 *
 * libFuzzer times units in whole seconds, too coarse for the target "no
 * input slower than 100 ms", so each target runs its inputs through
 * fuzz_timed().  An input slower than the threshold (FUZZ_SLOW_MS in the
 * environment, default 100) is run FUZZ_SLOW_RERUNS more times and
 * judged by its fastest run, so that a moment without the CPU (another
 * process, a page fault storm) is not taken for a slow input.  One that
 * stays slow is written to FUZZ_SLOW_DIR (if set) as slow-unit-<size>-
 * <hash> and reported on stderr at once.  A new slowest input is timed
 * again the same way, so the slowest figure is not noise either, and
 * kept in FUZZ_SLOW_DIR/slowest-unit.  At exit one line gives the
 * slowest input seen:
 *
 *	fuzz: slowest unit 0.412 ms (1432 bytes), 0 slower than 100 ms
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"

#define FUZZ_SLOW_DEFAULT_MS	100.0
#define FUZZ_SLOW_RERUNS	3

static bool timing_ready;
static double slow_ms = FUZZ_SLOW_DEFAULT_MS;
static const char *slow_dir;
static double slowest_ms;
static size_t slowest_size;
static unsigned long slow_units;

static double
now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
timing_report(void)
{
	fprintf(stderr, "fuzz: slowest unit %.3f ms (%zu bytes), %lu slower "
	    "than %g ms\n", slowest_ms, slowest_size, slow_units, slow_ms);
}

static void
timing_setup(void)
{
	const char *s;
	char *end;
	double v;

	timing_ready = true;
	s = getenv("FUZZ_SLOW_MS");
	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtod(s, &end);
		if (errno == 0 && *end == '\0' && v > 0)
			slow_ms = v;
	}
	s = getenv("FUZZ_SLOW_DIR");
	if (s != NULL && *s != '\0')
		slow_dir = s;
	(void)atexit(timing_report);
}

/* FNV-1a: a name for the saved input that does not depend on the run. */
static uint64_t
input_hash(const uint8_t *data, size_t size)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < size; i++) {
		h ^= data[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/*
 * A slow input as slow-unit-<size>-<hash>, reported at once; the slowest
 * input so far as slowest-unit, quietly (it is the exit line's input).
 */
static void
save_unit(const uint8_t *data, size_t size, double ms, bool slow)
{
	char path[4096];
	FILE *fp;
	int n;

	if (slow)
		slow_units++;
	if (slow_dir == NULL) {
		if (slow)
			fprintf(stderr, "fuzz: slow unit %.3f ms (%zu bytes), "
			    "not saved (FUZZ_SLOW_DIR unset)\n", ms, size);
		return;
	}
	if (slow)
		n = snprintf(path, sizeof(path), "%s/slow-unit-%zu-%016llx",
		    slow_dir, size,
		    (unsigned long long)input_hash(data, size));
	else
		n = snprintf(path, sizeof(path), "%s/slowest-unit", slow_dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return;
	fp = fopen(path, "wb");
	if (fp == NULL || fwrite(data, 1, size, fp) != size) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return;
	}
	if (fclose(fp) == EOF) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		return;
	}
	if (slow)
		fprintf(stderr, "fuzz: slow unit %.3f ms (%zu bytes): %s\n",
		    ms, size, path);
}

int
fuzz_timed(fuzz_body_fn *body, const uint8_t *data, size_t size)
{
	double t0, ms, again;
	int i;

	if (!timing_ready)
		timing_setup();
	t0 = now_ms();
	body(data, size);
	ms = now_ms() - t0;
	/* A new slowest input, or a slow one: time it again, keep the best. */
	for (i = 0; i < FUZZ_SLOW_RERUNS && (ms > slowest_ms ||
	    ms > slow_ms); i++) {
		t0 = now_ms();
		body(data, size);
		again = now_ms() - t0;
		if (again < ms)
			ms = again;
	}
	if (ms > slow_ms)
		save_unit(data, size, ms, true);
	if (ms > slowest_ms) {
		slowest_ms = ms;
		slowest_size = size;
		save_unit(data, size, ms, false);
	}
	return 0;
}
