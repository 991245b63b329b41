/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * platform.h - what a result was measured on: the kernel (release and
 * version string), the stack under test, closeprobe's and libpcap's
 * versions, the accelerator when in a guest, the sysctls that change how
 * a close behaves, and the date.  Every run's JSON and text carry it, so
 * that a baseline names the platform it came from.
 */
#ifndef platform_h
#define platform_h

#include <stddef.h>
#include <stdio.h>

#define PLATFORM_MAX_SYSCTLS 16

struct platform_sysctl {
	const char *name;	/* "net.ipv4.tcp_rmem" */
	char value[96];		/* as the kernel prints it, blanks folded; "" unreadable */
};

struct platform {
	char os[65];		/* uname sysname: "Linux" */
	char release[65];	/* "6.1.0-28-cloud-amd64" */
	char version[65];	/* "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)" */
	char machine[65];	/* "x86_64" */
	char stack[80];		/* the stack under test: "linux 6.1.0-28-cloud-amd64", "lwip 2.1.3" */
	char accel[16];		/* "kvm" or "tcg" in a guest, "" on the host */
	char date[32];		/* when it was probed, ISO 8601 UTC */
	const char *closeprobe_version;
	const char *libpcap_version;	/* pcap_lib_version() */
	struct platform_sysctl sysctls[PLATFORM_MAX_SYSCTLS];
	size_t nsysctls;
};

/*
 * Fill p from this process's view (uname, /proc/sys of its network
 * namespace, the clock).  The stack is the kernel's.  0, or -1 with err.
 */
int platform_probe(struct platform *p, char *err, size_t errlen);

/* A JSON string, escaped; "null" for NULL or "". */
void platform_write_json_string(FILE *out, const char *s);

/* One JSON object, no trailing newline.  0, or -1 (the stream's error). */
int platform_write_json(const struct platform *p, FILE *out);

/* One line: "Linux 6.18.0 x86_64, stack linux 6.18.0, closeprobe 0.1.0, libpcap 1.10.3". */
int platform_write_text(const struct platform *p, FILE *out);

#endif /* platform_h */
