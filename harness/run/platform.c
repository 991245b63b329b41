/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * platform.c - what a result was measured on (see platform.h).
 */
#include "platform.h"

#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "config.h"

/* The sysctls that decide what close() puts on the wire, and when. */
static const char *const close_sysctls[] = {
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_orphan_retries",
	"net.ipv4.tcp_max_orphans",
	"net.ipv4.tcp_autocorking",
	"net.ipv4.tcp_abort_on_overflow",
	"net.ipv4.tcp_rfc1337",
	"net.ipv4.tcp_retries2",
	"net.ipv4.tcp_tw_reuse",
	"net.core.rmem_default",
	"net.core.wmem_default",
};
_Static_assert(sizeof(close_sysctls) / sizeof(close_sysctls[0]) <= PLATFORM_MAX_SYSCTLS,
    "struct platform holds every sysctl");

/* /proc/sys/net/ipv4/tcp_rmem's text, blanks folded to one space. */
static void
read_sysctl(const char *name, char *value, size_t size)
{
	char path[128], buf[256];
	size_t i, n = 0;
	ssize_t got;
	bool blank = false;
	int fd;

	value[0] = '\0';
	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	for (i = strlen("/proc/sys/"); path[i] != '\0'; i++)
		if (path[i] == '.')
			path[i] = '/';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return;
	for (i = 0; i < (size_t)got && n + 1 < size; i++) {
		bool space = buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n';

		if (space) {
			blank = n > 0;
			continue;
		}
		if (blank && n + 2 < size)
			value[n++] = ' ';
		blank = false;
		value[n++] = buf[i];
	}
	value[n] = '\0';
}

int
platform_probe(struct platform *p, char *err, size_t errlen)
{
	struct utsname u;
	struct tm tm;
	time_t now;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (uname(&u) < 0) {
		snprintf(err, errlen, "uname: %s", strerror(errno));
		return -1;
	}
	snprintf(p->os, sizeof(p->os), "%s", u.sysname);
	snprintf(p->release, sizeof(p->release), "%s", u.release);
	snprintf(p->version, sizeof(p->version), "%s", u.version);
	snprintf(p->machine, sizeof(p->machine), "%s", u.machine);
	snprintf(p->stack, sizeof(p->stack), "linux %s", u.release);
	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(p->date, sizeof(p->date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		p->date[0] = '\0';
	p->closeprobe_version = PACKAGE_VERSION;
	p->libpcap_version = pcap_lib_version();
	for (i = 0; i < sizeof(close_sysctls) / sizeof(close_sysctls[0]); i++) {
		p->sysctls[i].name = close_sysctls[i];
		read_sysctl(close_sysctls[i], p->sysctls[i].value, sizeof(p->sysctls[i].value));
	}
	p->nsysctls = i;
	return 0;
}

static void
json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void
platform_write_json_string(FILE *out, const char *s)
{
	if (s == NULL || s[0] == '\0')
		fputs("null", out);
	else
		json_string(out, s);
}

static void
json_member(FILE *out, const char *key, const char *value, bool first)
{
	fprintf(out, "%s\"%s\":", first ? "" : ",", key);
	platform_write_json_string(out, value);
}

int
platform_write_json(const struct platform *p, FILE *out)
{
	size_t i;

	fputc('{', out);
	json_member(out, "os", p->os, true);
	json_member(out, "release", p->release, false);
	json_member(out, "version", p->version, false);
	json_member(out, "machine", p->machine, false);
	json_member(out, "stack", p->stack, false);
	json_member(out, "accel", p->accel, false);
	json_member(out, "closeprobe", p->closeprobe_version, false);
	json_member(out, "libpcap", p->libpcap_version, false);
	json_member(out, "date", p->date, false);
	fputs(",\"sysctls\":{", out);
	for (i = 0; i < p->nsysctls; i++)
		json_member(out, p->sysctls[i].name, p->sysctls[i].value, i == 0);
	fputs("}}", out);
	return ferror(out) ? -1 : 0;
}

int
platform_write_text(const struct platform *p, FILE *out)
{
	fprintf(out, "%s %s %s, stack %s%s%s, closeprobe %s, %s", p->os, p->release, p->machine,
	    p->stack, p->accel[0] ? ", guest accelerator " : "", p->accel,
	    p->closeprobe_version, p->libpcap_version);
	return ferror(out) ? -1 : 0;
}
