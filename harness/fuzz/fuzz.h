/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point, an
 * assertion that holds in every build, and the framing of fuzz_trace's
 * inputs (also written by pcap2frames, the seed converter).
 *
 * A target is built two ways: with -fsanitize=fuzzer (libFuzzer supplies
 * main()), and with replay.c, a plain main() that runs saved inputs, so
 * that "make check" replays regression inputs with any compiler.
 */
#ifndef fuzz_h
#define fuzz_h

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A target's body, run by fuzz_timed() (timing.c), which measures it
 * and keeps inputs slower than FUZZ_SLOW_MS (default 100 ms).  Each
 * target's LLVMFuzzerTestOneInput() is "return fuzz_timed(body, ...)".
 */
typedef void fuzz_body_fn(const uint8_t *data, size_t size);
int fuzz_timed(fuzz_body_fn *body, const uint8_t *data, size_t size);

/*
 * An invariant of the code under test.  abort() is what libFuzzer (and
 * the replay driver's caller) treats as a crash; NDEBUG cannot remove it.
 */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/*
 * fuzz_trace's input: one byte choosing the link type (its value modulo
 * FUZZ_TRACE_NLINKTYPES indexes fuzz_trace_linktypes[]), then records,
 * each a 16-bit big-endian length and that many bytes of frame.  A last
 * record cut short by the end of the input keeps what there is.
 */
#define FUZZ_TRACE_NLINKTYPES 21
extern const int fuzz_trace_linktypes[FUZZ_TRACE_NLINKTYPES];
#define FUZZ_TRACE_RECORD_HEADER 2
#define FUZZ_TRACE_MAX_RECORD 0xffff

#endif /* fuzz_h */
