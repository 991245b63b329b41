/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_guest.c - the guest module's parts that need no qemu: SHA-256,
 * the cpio writer, modules.dep, the bzImage header, ldd's output, the
 * archive frame, shell quoting, the image cache and its key, and the
 * host-side helpers.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "bzimage.h"
#include "child.h"
#include "cpio.h"
#include "guest.h"
#include "hostfile.h"
#include "image.h"
#include "ldd.h"
#include "moddep.h"
#include "sha256.h"
#include "shellword.h"
#include "testutil.h"

static char work[4096];		/* a fresh directory for each test */

static void
work_setup(void)
{
	char err[256];

	test_tmpdir_setup();
	test_tmpdir_path(work, sizeof(work), "work");
	ck_assert_msg(hostfile_mkdirs(work, err, sizeof(err)) == 0, "%s", err);
}

static void
work_teardown(void)
{
	char err[256];

	ck_assert_msg(hostfile_remove_tree(work, err, sizeof(err)) == 0, "%s", err);
	test_tmpdir_teardown();
}

static void
work_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", work, name);
}

static void
put_file(const char *name, const char *text, mode_t mode)
{
	char path[4200], err[256];

	work_path(path, sizeof(path), name);
	ck_assert_msg(hostfile_write(path, text, strlen(text), err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* SHA-256 */

struct sha_vector {
	const char *text;
	const char *hex;
};

static const struct sha_vector sha_vectors[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

START_TEST(test_sha256_vectors)
{
	const struct sha_vector *v = &sha_vectors[_i];
	char hex[SHA256_HEX_SIZE];

	sha256_hex(v->text, strlen(v->text), hex);
	ck_assert_str_eq(hex, v->hex);
}
END_TEST

START_TEST(test_sha256_million_a_in_pieces)
{
	unsigned char digest[SHA256_DIGEST_SIZE], block[1000];
	char hex[SHA256_HEX_SIZE];
	struct sha256 h;
	size_t done = 0, piece = 1;

	memset(block, 'a', sizeof(block));
	sha256_init(&h);
	/* Pieces of every length from 1 to 1000 cross the block edges. */
	while (done < 1000000) {
		size_t n = piece < 1000000 - done ? piece : 1000000 - done;

		sha256_update(&h, block, n);
		done += n;
		piece = piece % sizeof(block) + 1;
	}
	sha256_final(&h, digest);
	sha256_digest_hex(digest, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* cpio */

struct cpio_header {
	unsigned long ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor;
	unsigned long rdevmajor, rdevminor, namesize, check;
	char name[256];
	const unsigned char *data;
};

/* Read the header at *offset of buf and move past the entry. */
static void
cpio_read(const unsigned char *buf, size_t len, size_t *offset, struct cpio_header *h)
{
	unsigned long *fields[] = { &h->ino, &h->mode, &h->uid, &h->gid, &h->nlink, &h->mtime,
		&h->filesize, &h->devmajor, &h->devminor, &h->rdevmajor, &h->rdevminor,
		&h->namesize, &h->check };
	size_t i;

	ck_assert_uint_eq(*offset % CPIO_ALIGN, 0);
	ck_assert_uint_le(*offset + CPIO_HEADER_SIZE, len);
	ck_assert_int_eq(memcmp(buf + *offset, CPIO_NEWC_MAGIC, 6), 0);
	for (i = 0; i < 13; i++) {
		char field[9];

		memcpy(field, buf + *offset + 6 + 8 * i, 8);
		field[8] = '\0';
		*fields[i] = strtoul(field, NULL, 16);
	}
	ck_assert_uint_lt(h->namesize, sizeof(h->name));
	memcpy(h->name, buf + *offset + CPIO_HEADER_SIZE, h->namesize);
	ck_assert_int_eq(h->name[h->namesize - 1], '\0');
	*offset += (CPIO_HEADER_SIZE + h->namesize + 3) & ~(size_t)3;
	h->data = buf + *offset;
	*offset += (h->filesize + 3) & ~(size_t)3;
	ck_assert_uint_le(*offset, len);
}

static unsigned char *
read_whole(const char *path, size_t *len)
{
	char *data, err[256];

	ck_assert_msg(hostfile_read(path, 1u << 30, &data, len, err, sizeof(err)) == 0, "%s", err);
	return (unsigned char *)data;
}

static void
write_sample_archive(const char *path)
{
	static const struct cpio_entry entries[] = {
		{ "bin", CPIO_DIRECTORY, 0755, NULL, 0, 0, 0 },
		{ "bin/tool", CPIO_REGULAR, 0755, "hello", 5, 0, 0 },
		{ "bin/sh", CPIO_SYMLINK, 0777, "tool", 4, 0, 0 },
		{ "dev/console", CPIO_CHAR_DEVICE, 0600, NULL, 0, 5, 1 },
	};
	struct cpio_writer w;
	char err[256];
	size_t i;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	cpio_writer_init(&w, fd);
	for (i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		ck_assert_msg(cpio_write(&w, &entries[i], err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(cpio_finish(&w, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(close(fd), 0);
}

START_TEST(test_cpio_entries)
{
	char path[4200];
	struct cpio_header h;
	size_t len, off = 0;
	unsigned char *buf;

	work_path(path, sizeof(path), "a.cpio");
	write_sample_archive(path);
	buf = read_whole(path, &len);
	ck_assert_uint_eq(len % CPIO_BLOCK, 0);

	cpio_read(buf, len, &off, &h);
	ck_assert_str_eq(h.name, "bin");
	ck_assert_uint_eq(h.mode, S_IFDIR | 0755);
	ck_assert_uint_eq(h.nlink, 2);
	ck_assert_uint_eq(h.ino, 1);
	cpio_read(buf, len, &off, &h);
	ck_assert_str_eq(h.name, "bin/tool");
	ck_assert_uint_eq(h.mode, S_IFREG | 0755);
	ck_assert_uint_eq(h.filesize, 5);
	ck_assert_int_eq(memcmp(h.data, "hello", 5), 0);
	ck_assert_uint_eq(h.mtime, 0);
	ck_assert_uint_eq(h.uid, 0);
	cpio_read(buf, len, &off, &h);
	ck_assert_str_eq(h.name, "bin/sh");
	ck_assert_uint_eq(h.mode, S_IFLNK | 0777);
	ck_assert_int_eq(memcmp(h.data, "tool", 4), 0);
	cpio_read(buf, len, &off, &h);
	ck_assert_str_eq(h.name, "dev/console");
	ck_assert_uint_eq(h.mode, S_IFCHR | 0600);
	ck_assert_uint_eq(h.rdevmajor, 5);
	ck_assert_uint_eq(h.rdevminor, 1);
	ck_assert_uint_eq(h.filesize, 0);
	cpio_read(buf, len, &off, &h);
	ck_assert_str_eq(h.name, CPIO_TRAILER);
	/* Only zeros after the trailer. */
	for (; off < len; off++)
		ck_assert_int_eq(buf[off], 0);
	free(buf);
}
END_TEST

START_TEST(test_cpio_same_bytes)
{
	char a[4200], b[4200];
	unsigned char *x, *y;
	size_t xlen, ylen;

	work_path(a, sizeof(a), "a.cpio");
	work_path(b, sizeof(b), "b.cpio");
	write_sample_archive(a);
	write_sample_archive(b);
	x = read_whole(a, &xlen);
	y = read_whole(b, &ylen);
	ck_assert_uint_eq(xlen, ylen);
	ck_assert_int_eq(memcmp(x, y, xlen), 0);
	free(x);
	free(y);
}
END_TEST

START_TEST(test_cpio_refuses)
{
	struct cpio_entry nameless = { "", CPIO_REGULAR, 0644, "x", 1, 0, 0 };
	struct cpio_writer w;
	char err[256];

	cpio_writer_init(&w, -1);
	ck_assert_int_eq(cpio_write(&w, &nameless, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "without a name"));
	nameless.name = "x";
	ck_assert_int_eq(cpio_write(&w, &nameless, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "writing the cpio archive"));
}
END_TEST

/* modules.dep */

static const char sample_dep[] =
	"kernel/drivers/net/veth.ko:\n"
	"kernel/net/netfilter/nft_numgen.ko: kernel/net/netfilter/nf_tables.ko "
	    "kernel/net/netfilter/nfnetlink.ko kernel/lib/libcrc32c.ko\n"
	/* Listed out of order on purpose: the walk must not rely on it. */
	"kernel/net/netfilter/nf_tables.ko: kernel/lib/libcrc32c.ko kernel/net/netfilter/nfnetlink.ko\n"
	"kernel/net/netfilter/nfnetlink.ko:\n"
	"kernel/lib/libcrc32c.ko:\n"
	"kernel/net/sched/sch-odd.ko.xz:\n";

static const char sample_builtin[] = "kernel/net/packet/af_packet.ko\nkernel/net/ipv6/ipv6.ko\n";

START_TEST(test_moddep_order)
{
	struct strlist order = STRLIST_INIT;
	enum moddep_found found;
	struct moddep *deps;
	char err[256];

	deps = moddep_parse(sample_dep, sample_builtin, err, sizeof(err));
	ck_assert_msg(deps != NULL, "%s", err);
	ck_assert_int_eq(moddep_resolve(deps, "nft_numgen", &order, &found, err, sizeof(err)), 0);
	ck_assert_int_eq(found, MODDEP_MODULE);
	ck_assert_uint_eq(order.count, 4);
	ck_assert_str_eq(order.items[0], "kernel/lib/libcrc32c.ko");
	ck_assert_str_eq(order.items[1], "kernel/net/netfilter/nfnetlink.ko");
	ck_assert_str_eq(order.items[2], "kernel/net/netfilter/nf_tables.ko");
	ck_assert_str_eq(order.items[3], "kernel/net/netfilter/nft_numgen.ko");
	/* Asked again, and its dependency: nothing twice. */
	ck_assert_int_eq(moddep_resolve(deps, "nf_tables", &order, &found, err, sizeof(err)), 0);
	ck_assert_int_eq(moddep_resolve(deps, "veth", &order, &found, err, sizeof(err)), 0);
	ck_assert_uint_eq(order.count, 5);
	ck_assert_str_eq(order.items[4], "kernel/drivers/net/veth.ko");
	/* '-' and '_' are the same; compressed files count. */
	ck_assert_int_eq(moddep_resolve(deps, "sch_odd", &order, &found, err, sizeof(err)), 0);
	ck_assert_int_eq(found, MODDEP_MODULE);
	ck_assert_str_eq(order.items[5], "kernel/net/sched/sch-odd.ko.xz");
	ck_assert_int_eq(moddep_resolve(deps, "af-packet", &order, &found, err, sizeof(err)), 0);
	ck_assert_int_eq(found, MODDEP_BUILTIN);
	ck_assert_int_eq(moddep_resolve(deps, "sch_netem", &order, &found, err, sizeof(err)), 0);
	ck_assert_int_eq(found, MODDEP_MISSING);
	ck_assert_uint_eq(order.count, 6);
	strlist_free(&order);
	moddep_free(deps);
}
END_TEST

struct bad_dep {
	const char *text;
	const char *name;	/* NULL: parsing fails */
	const char *message;
};

static const struct bad_dep bad_deps[] = {
	{ "kernel/a.ko kernel/b.ko\n", NULL, "no ':'" },
	{ "kernel/readme.txt:\n", NULL, "not a module file" },
	{ "kernel/a.ko: kernel/b.ko\nkernel/b.ko: kernel/a.ko\n", "a", "cycle" },
	{ "kernel/a.ko: kernel/gone.ko\n", "a", "no line of its own" },
};

START_TEST(test_moddep_bad)
{
	const struct bad_dep *b = &bad_deps[_i];
	struct strlist order = STRLIST_INIT;
	enum moddep_found found;
	struct moddep *deps;
	char err[256];

	deps = moddep_parse(b->text, NULL, err, sizeof(err));
	if (b->name == NULL) {
		ck_assert_ptr_null(deps);
	} else {
		ck_assert_msg(deps != NULL, "%s", err);
		ck_assert_int_eq(moddep_resolve(deps, b->name, &order, &found, err, sizeof(err)), -1);
	}
	ck_assert_msg(strstr(err, b->message) != NULL, "'%s' lacks '%s'", err, b->message);
	strlist_free(&order);
	moddep_free(deps);
}
END_TEST

START_TEST(test_moddep_name_of)
{
	char name[16];

	ck_assert_int_eq(moddep_name_of("kernel/x/sch_netem.ko", name, sizeof(name)), 0);
	ck_assert_str_eq(name, "sch_netem");
	ck_assert_int_eq(moddep_name_of("a-b.ko.zst", name, sizeof(name)), 0);
	ck_assert_str_eq(name, "a_b");
	ck_assert_int_eq(moddep_name_of("a.ko.gz", name, sizeof(name)), 0);
	ck_assert_int_eq(moddep_name_of(".ko", name, sizeof(name)), -1);
	ck_assert_int_eq(moddep_name_of("a.o", name, sizeof(name)), -1);
	ck_assert_int_eq(moddep_name_of("a_very_long_module_name.ko", name, sizeof(name)), -1);
}
END_TEST

/* bzImage */

static void
fake_bzimage(unsigned char *img, size_t len, unsigned protocol, unsigned version_offset,
    const char *version)
{
	memset(img, 0, len);
	memcpy(img + BZIMAGE_HEADER_OFFSET, "HdrS", 4);
	img[0x206] = (unsigned char)protocol;
	img[0x207] = (unsigned char)(protocol >> 8);
	img[BZIMAGE_VERSION_FIELD] = (unsigned char)version_offset;
	img[BZIMAGE_VERSION_FIELD + 1] = (unsigned char)(version_offset >> 8);
	if (version != NULL)
		memcpy(img + BZIMAGE_SETUP_BASE + version_offset, version, strlen(version) + 1);
}

START_TEST(test_bzimage_release)
{
	static unsigned char img[8192];
	char release[64], err[256];

	fake_bzimage(img, sizeof(img), 0x020f, 0x1000,
	    "6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP");
	ck_assert_msg(bzimage_release(img, sizeof(img), release, sizeof(release), err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(release, "6.1.0-57-cloud-amd64");
	/* A release that does not fit the caller's buffer is refused. */
	ck_assert_int_eq(bzimage_release(img, sizeof(img), release, 8, err, sizeof(err)), -1);

	fake_bzimage(img, sizeof(img), 0x0201, 0, NULL);
	ck_assert_int_eq(bzimage_release(img, sizeof(img), release, sizeof(release), err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "names no kernel version"));

	fake_bzimage(img, sizeof(img), 0x0105, 0x100, "2.4");
	ck_assert_int_eq(bzimage_release(img, sizeof(img), release, sizeof(release), err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "too old"));

	/* The string would run past the bytes given. */
	fake_bzimage(img, sizeof(img), 0x020f, 0x1000, "6.1.0");
	ck_assert_int_eq(bzimage_release(img, 0x1000 + BZIMAGE_SETUP_BASE + 3, release,
	    sizeof(release), err, sizeof(err)), -1);

	memset(img, 0, sizeof(img));
	ck_assert_int_eq(bzimage_release(img, sizeof(img), release, sizeof(release), err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not an x86 Linux bzImage"));
	ck_assert_int_eq(bzimage_release(img, 16, release, sizeof(release), err, sizeof(err)), -1);
}
END_TEST

/* ldd */

START_TEST(test_ldd_parse)
{
	static const char output[] =
	    "\tlinux-vdso.so.1 (0x00007ffd1c5f2000)\n"
	    "\tlibpcap.so.0.8 => /lib/x86_64-linux-gnu/libpcap.so.0.8 (0x00007f)\n"
	    "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n"
	    "\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n"
	    "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n";
	struct strlist libs = STRLIST_INIT;
	char err[256];

	ck_assert_msg(ldd_parse(output, "x", &libs, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(libs.count, 3);
	ck_assert_str_eq(libs.items[0], "/lib/x86_64-linux-gnu/libpcap.so.0.8");
	ck_assert_str_eq(libs.items[1], "/lib/x86_64-linux-gnu/libc.so.6");
	ck_assert_str_eq(libs.items[2], "/lib64/ld-linux-x86-64.so.2");
	ck_assert_int_eq(ldd_parse("\tnot a dynamic executable\n", "x", &libs, err, sizeof(err)), 0);
	ck_assert_uint_eq(libs.count, 3);
	ck_assert_int_eq(ldd_parse("\tlibgone.so.1 => not found\n", "/usr/bin/x", &libs, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "/usr/bin/x needs libgone.so.1, which ldd did not find");
	strlist_free(&libs);
}
END_TEST

START_TEST(test_ldd_runs)
{
	struct strlist libs = STRLIST_INIT;
	char err[512], sh[4096], path[4200];

	ck_assert_int_eq(hostfile_find_program("sh", NULL, sh, sizeof(sh)), 0);
	ck_assert_msg(ldd_libraries(sh, &libs, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_gt(libs.count, 0);
	strlist_free(&libs);
	/* Not a program at all: no libraries, no error (as for a static one). */
	put_file("text", "just text\n", 0755);
	work_path(path, sizeof(path), "text");
	ck_assert_msg(ldd_libraries(path, &libs, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(libs.count, 0);
	work_path(path, sizeof(path), "missing");
	ck_assert_int_eq(ldd_libraries(path, &libs, err, sizeof(err)), -1);
	strlist_free(&libs);
}
END_TEST

/* The archive frame */

/* A frame with the given files, as the guest's init writes it. */
static char *
make_frame(const char *const *names, const char *const *contents, size_t n, size_t *len)
{
	char *text = NULL, hex[SHA256_HEX_SIZE];
	FILE *f = open_memstream(&text, len);
	size_t i;

	ck_assert_ptr_nonnull(f);
	fprintf(f, "boot noise\r\n%sfiles %zu\n", ARCHIVE_MAGIC, n);
	for (i = 0; i < n; i++)
		fprintf(f, "%zu %s\n", strlen(contents[i]), names[i]);
	for (i = 0; i < n; i++) {
		sha256_hex(contents[i], strlen(contents[i]), hex);
		fprintf(f, "%s  %s\n", hex, names[i]);
	}
	fputs("data\n", f);
	for (i = 0; i < n; i++)
		fputs(contents[i], f);
	fputs(ARCHIVE_END, f);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static const char *const frame_names[] = { "captures/a.pcap", "captures/a.txt", "meta/status" };
static const char *const frame_contents[] = { "PCAP\n\0bytes", "verdict\n", "0\n" };

START_TEST(test_archive_round_trip)
{
	struct archive a;
	const struct archive_file *f;
	char *frame, err[256], path[4200], *text;
	size_t len, written, tlen;

	frame = make_frame(frame_names, frame_contents, 3, &len);
	ck_assert_msg(archive_parse((unsigned char *)frame, len, &a, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_uint_eq(a.count, 3);
	f = archive_find(&a, "meta/status");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->size, 2);
	ck_assert_int_eq(memcmp(f->data, "0\n", 2), 0);
	ck_assert_ptr_null(archive_find(&a, "meta/none"));
	ck_assert_msg(archive_write_captures(&a, work, &written, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(written, 2);
	work_path(path, sizeof(path), "a.txt");
	ck_assert_int_eq(hostfile_read(path, 1024, &text, &tlen, err, sizeof(err)), 0);
	ck_assert_str_eq(text, "verdict\n");
	free(text);
	work_path(path, sizeof(path), "status");
	ck_assert_int_eq(access(path, F_OK), -1);
	archive_free(&a);
	free(frame);
}
END_TEST

struct bad_frame {
	const char *name;	/* replaces the first file's name */
	int damage;		/* what to spoil */
	const char *message;
};

enum frame_damage {
	DAMAGE_NONE,
	DAMAGE_BYTE,		/* a byte of the data */
	DAMAGE_TRUNCATE,	/* cut before the end line */
	DAMAGE_MAGIC		/* no magic line */
};

static const struct bad_frame bad_frames[] = {
	{ "captures/../etc", DAMAGE_NONE, "valid name" },
	{ "captures/.hidden", DAMAGE_NONE, "valid name" },
	{ "/etc/passwd", DAMAGE_NONE, "valid name" },
	{ "other/x", DAMAGE_NONE, "valid name" },
	{ "captures/a.txt", DAMAGE_NONE, "twice" },
	{ NULL, DAMAGE_BYTE, "does not match its checksum" },
	{ NULL, DAMAGE_TRUNCATE, "no end line" },
	{ NULL, DAMAGE_MAGIC, "no archive came back" },
};

START_TEST(test_archive_bad)
{
	const struct bad_frame *b = &bad_frames[_i];
	const char *names[3] = { frame_names[0], frame_names[1], frame_names[2] };
	struct archive a;
	char *frame, err[256], *p;
	size_t len;

	if (b->name != NULL)
		names[0] = b->name;
	frame = make_frame(names, frame_contents, 3, &len);
	switch (b->damage) {
	case DAMAGE_BYTE:
		p = strstr(frame, "verdict");
		ck_assert_ptr_nonnull(p);
		*p = 'V';
		break;
	case DAMAGE_TRUNCATE:
		len -= 3;
		break;
	case DAMAGE_MAGIC:
		p = strstr(frame, "@closeprobe-archive 1");
		ck_assert_ptr_nonnull(p);
		p[1] = 'C';
		break;
	}
	ck_assert_int_eq(archive_parse((unsigned char *)frame, len, &a, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, b->message) != NULL, "'%s' lacks '%s'", err, b->message);
	ck_assert_uint_eq(a.count, 0);
	free(frame);
}
END_TEST

START_TEST(test_archive_empty)
{
	struct archive a;
	char *frame, err[256];
	size_t len;

	frame = make_frame(NULL, NULL, 0, &len);
	ck_assert_msg(archive_parse((unsigned char *)frame, len, &a, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_uint_eq(a.count, 0);
	archive_free(&a);
	free(frame);
}
END_TEST

/* Shell words */

START_TEST(test_shellword_round_trip)
{
	static const char *const words[] = { "plain", "it's", "two words", "$HOME `x` \\ \"q\"",
		"" };
	const char *argv[] = { "sh", "-c", NULL, NULL };
	char *script = NULL, *out, err[256];
	size_t len = 0, i;
	int wstatus;
	FILE *f = open_memstream(&script, &len);

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		fputs("printf '[%s]' ", f);
		shellword_write(f, words[i]);
		fputs("; ", f);
	}
	ck_assert_int_eq(fclose(f), 0);
	argv[2] = script;
	ck_assert_msg(child_capture(argv, 10000, 4096, &out, &wstatus, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_str_eq(out, "[plain][it's][two words][$HOME `x` \\ \"q\"][]");
	free(out);
	free(script);
}
END_TEST

/* Host helpers */

START_TEST(test_child_bounds)
{
	const char *sleeper[] = { "sleep", "10", NULL };
	const char *missing[] = { "closeprobe-no-such-program", NULL };
	const char *echo[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	int64_t start = child_now_ms();
	char *out, err[256], how[64];
	int wstatus;
	pid_t pid;

	ck_assert_int_eq(child_capture(sleeper, 200, 64, &out, &wstatus, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "killed"));
	ck_assert_int_lt(child_now_ms() - start, 5000);
	ck_assert_int_eq(child_start(missing, CHILD_NULL_FD, CHILD_NULL_FD, CHILD_NULL_FD, &pid,
	    err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot run closeprobe-no-such-program"));
	ck_assert_int_eq(child_capture(echo, 10000, 64, &out, &wstatus, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "out\nerr\n");
	child_describe_status(wstatus, how, sizeof(how));
	ck_assert_str_eq(how, "exit 3");
	free(out);
	/* Output past the limit is read and dropped. */
	echo[2] = "yes | head -c 100000";
	ck_assert_int_eq(child_capture(echo, 10000, 10, &out, &wstatus, err, sizeof(err)), 0);
	ck_assert_str_eq(out, "y\ny\ny\ny\ny\n");
	free(out);
}
END_TEST

START_TEST(test_hostfile)
{
	char path[4200], found[4096], err[256], *data;
	size_t len;

	work_path(path, sizeof(path), "a/b/c");
	ck_assert_msg(hostfile_mkdirs(path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(hostfile_mkdirs(path, err, sizeof(err)) == 0, "%s", err);
	work_path(path, sizeof(path), "a/b/c/f");
	ck_assert_int_eq(hostfile_write(path, "1234", 4, err, sizeof(err)), 0);
	ck_assert_int_eq(hostfile_read(path, 3, &data, &len, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "larger than 3 bytes"));
	ck_assert_int_eq(hostfile_read(path, 4, &data, &len, err, sizeof(err)), 0);
	ck_assert_uint_eq(len, 4);
	free(data);
	work_path(path, sizeof(path), "a");
	ck_assert_msg(hostfile_remove_tree(path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(hostfile_remove_tree(path, err, sizeof(err)), 0);

	ck_assert_int_eq(hostfile_find_program("sh", NULL, found, sizeof(found)), 0);
	ck_assert_int_eq(found[0], '/');
	ck_assert_int_eq(hostfile_find_program("closeprobe-no-such", "/bin", found, sizeof(found)),
	    -1);
	put_file("tool", "#!/bin/sh\n", 0755);
	ck_assert_int_eq(hostfile_find_program("tool", work, found, sizeof(found)), 0);
	work_path(path, sizeof(path), "tool");
	ck_assert_str_eq(found, path);
}
END_TEST

START_TEST(test_guest_names)
{
	enum guest_accel accel = GUEST_ACCEL_AUTO;
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CACHE_HOME");
	char dir[4096], saved_home[4096], saved_xdg[4096];

	snprintf(saved_home, sizeof(saved_home), "%s", home != NULL ? home : "");
	snprintf(saved_xdg, sizeof(saved_xdg), "%s", xdg != NULL ? xdg : "");

	ck_assert_int_eq(guest_accel_parse("tcg", &accel), 0);
	ck_assert_int_eq(accel, GUEST_ACCEL_TCG);
	ck_assert_int_eq(guest_accel_parse("kvm", &accel), 0);
	ck_assert_str_eq(guest_accel_name(accel), "kvm");
	ck_assert_int_eq(guest_accel_parse("xen", &accel), -1);
	ck_assert_int_eq(setenv("XDG_CACHE_HOME", "/x/cache", 1), 0);
	ck_assert_int_eq(guest_default_cache_dir(dir, sizeof(dir)), 0);
	ck_assert_str_eq(dir, "/x/cache/closeprobe");
	ck_assert_int_eq(unsetenv("XDG_CACHE_HOME"), 0);
	ck_assert_int_eq(setenv("HOME", "/home/u", 1), 0);
	ck_assert_int_eq(guest_default_cache_dir(dir, sizeof(dir)), 0);
	ck_assert_str_eq(dir, "/home/u/.cache/closeprobe");
	ck_assert_int_eq(unsetenv("HOME"), 0);
	ck_assert_int_eq(guest_default_cache_dir(dir, sizeof(dir)), -1);
	if (home != NULL)
		setenv("HOME", saved_home, 1);
	if (xdg != NULL)
		setenv("XDG_CACHE_HOME", saved_xdg, 1);
}
END_TEST

/* The image and its cache */

static const char *const image_modules[] = { "nft_numgen", "veth", "af_packet", "netem_gone" };

/* A fake host: busybox and closeprobe are scripts (ldd: no libraries),
 * a modules directory with modules.dep and files. */
static void
fake_host(void)
{
	char path[4200], err[256];

	put_file("busybox", "#!/bin/sh\necho busybox\n", 0755);
	put_file("closeprobe", "#!/bin/sh\necho closeprobe\n", 0755);
	work_path(path, sizeof(path), "modules/kernel/net/netfilter");
	ck_assert_int_eq(hostfile_mkdirs(path, err, sizeof(err)), 0);
	work_path(path, sizeof(path), "modules/kernel/lib");
	ck_assert_int_eq(hostfile_mkdirs(path, err, sizeof(err)), 0);
	work_path(path, sizeof(path), "modules/kernel/drivers/net");
	ck_assert_int_eq(hostfile_mkdirs(path, err, sizeof(err)), 0);
	put_file("modules/modules.dep", sample_dep, 0644);
	put_file("modules/modules.builtin", sample_builtin, 0644);
	put_file("modules/kernel/net/netfilter/nft_numgen.ko", "numgen", 0644);
	put_file("modules/kernel/net/netfilter/nf_tables.ko", "tables", 0644);
	put_file("modules/kernel/net/netfilter/nfnetlink.ko", "nfnetlink", 0644);
	put_file("modules/kernel/lib/libcrc32c.ko", "crc", 0644);
	put_file("modules/kernel/drivers/net/veth.ko", "veth", 0644);
	work_path(path, sizeof(path), "cache");
	ck_assert_int_eq(hostfile_mkdirs(path, err, sizeof(err)), 0);
}

static void
fake_inputs(struct image_inputs *in, char paths[3][4200])
{
	work_path(paths[0], sizeof(paths[0]), "modules");
	work_path(paths[1], sizeof(paths[1]), "busybox");
	work_path(paths[2], sizeof(paths[2]), "closeprobe");
	memset(in, 0, sizeof(*in));
	in->release = "6.1.0-test";
	in->modules_dir = paths[0];
	in->modules = image_modules;
	in->nmodules = sizeof(image_modules) / sizeof(image_modules[0]);
	in->busybox = paths[1];
	in->closeprobe = paths[2];
	in->init_script = "#!/bin/busybox sh\n";
}

/* Does the archive at path hold an entry called name? */
static int
archive_has(const char *path, const char *name)
{
	struct cpio_header h;
	unsigned char *buf;
	size_t len, off = 0;
	int found = 0;

	buf = read_whole(path, &len);
	do {
		cpio_read(buf, len, &off, &h);
		if (strcmp(h.name, name) == 0)
			found = 1;
	} while (strcmp(h.name, CPIO_TRAILER) != 0);
	free(buf);
	return found;
}

START_TEST(test_image_cache)
{
	struct image_inputs in;
	struct image first, second, third;
	char paths[3][4200], cache[4200], err[512], key[SHA256_HEX_SIZE];

	fake_host();
	fake_inputs(&in, paths);
	work_path(cache, sizeof(cache), "cache");
	ck_assert_msg(image_prepare(&in, cache, work, &first, err, sizeof(err)) == 0, "%s", err);
	ck_assert(!first.cached);
	ck_assert_str_eq(first.cache_error, "");
	ck_assert_ptr_nonnull(strstr(first.path, cache));
	ck_assert_uint_eq(first.module_files.count, 5);
	ck_assert_str_eq(first.module_files.items[0], "kernel/lib/libcrc32c.ko");
	ck_assert_str_eq(first.module_files.items[4], "kernel/drivers/net/veth.ko");
	ck_assert_uint_eq(first.missing_modules.count, 1);
	ck_assert_str_eq(first.missing_modules.items[0], "netem_gone");
	ck_assert(archive_has(first.path, "lib/modules/6.1.0-test/kernel/net/netfilter/nf_tables.ko"));
	ck_assert(archive_has(first.path, "bin/closeprobe"));
	ck_assert(archive_has(first.path, "dev/console"));
	ck_assert(archive_has(first.path, IMAGE_CONF));
	ck_assert(archive_has(first.path, "init"));

	ck_assert_msg(image_prepare(&in, cache, work, &second, err, sizeof(err)) == 0, "%s", err);
	ck_assert(second.cached);
	ck_assert_str_eq(second.key, first.key);
	snprintf(key, sizeof(key), "%s", first.key);

	/* One byte of one module: another image. */
	put_file("modules/kernel/lib/libcrc32c.ko", "CRC", 0644);
	ck_assert_msg(image_prepare(&in, cache, work, &third, err, sizeof(err)) == 0, "%s", err);
	ck_assert(!third.cached);
	ck_assert_str_ne(third.key, key);
	ck_assert_int_eq(access(first.path, F_OK), 0);
	image_free(&first);
	image_free(&second);
	image_free(&third);
}
END_TEST

START_TEST(test_image_cache_pruned)
{
	struct image_inputs in;
	struct image img;
	char paths[3][4200], cache[4200], err[512], script[64];
	const char *kept[IMAGE_CACHE_KEEP + 2];
	size_t i;

	fake_host();
	fake_inputs(&in, paths);
	work_path(cache, sizeof(cache), "cache");
	for (i = 0; i < IMAGE_CACHE_KEEP + 2; i++) {
		snprintf(script, sizeof(script), "#!/bin/busybox sh\n# %zu\n", i);
		in.init_script = script;
		ck_assert_msg(image_prepare(&in, cache, work, &img, err, sizeof(err)) == 0, "%s", err);
		kept[i] = strdup(img.path);
		image_free(&img);
		usleep(10000);	/* distinct modification times */
	}
	for (i = 0; i < IMAGE_CACHE_KEEP + 2; i++) {
		ck_assert_int_eq(access(kept[i], F_OK), i < 2 ? -1 : 0);
		free((void *)kept[i]);
	}
}
END_TEST

START_TEST(test_image_fallback_and_compose)
{
	struct image_inputs in;
	struct image img;
	struct image_extra extras[2] = {
		{ "/work/dir/cases/a.case", NULL, NULL, 0, 0 },
		{ "/closeprobe/run.conf", NULL, "set -- a\n", 9, 0644 },
	};
	char paths[3][4200], blocked[4200], err[512], out[4200], host_case[4200];
	unsigned char *base, *whole;
	size_t base_len, whole_len, off;
	struct cpio_header h;

	fake_host();
	fake_inputs(&in, paths);
	/* A cache that cannot be made (a file in the way): the image goes to
	 * the fallback directory, and says why. */
	put_file("blocker", "", 0644);
	work_path(blocked, sizeof(blocked), "blocker/cache");
	ck_assert_msg(image_prepare(&in, blocked, work, &img, err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(img.cache_error, "blocker"));
	ck_assert_int_eq(strncmp(img.path, work, strlen(work)), 0);

	put_file("a.case", "case a\n", 0644);
	work_path(host_case, sizeof(host_case), "a.case");
	extras[0].host_path = host_case;
	work_path(out, sizeof(out), "initrd.cpio");
	ck_assert_msg(image_compose(img.path, extras, 2, out, err, sizeof(err)) == 0, "%s", err);
	base = read_whole(img.path, &base_len);
	whole = read_whole(out, &whole_len);
	ck_assert_uint_gt(whole_len, base_len);
	ck_assert_int_eq(memcmp(base, whole, base_len), 0);
	off = base_len;
	cpio_read(whole, whole_len, &off, &h);
	ck_assert_str_eq(h.name, "work");
	cpio_read(whole, whole_len, &off, &h);
	ck_assert_str_eq(h.name, "work/dir");
	cpio_read(whole, whole_len, &off, &h);
	cpio_read(whole, whole_len, &off, &h);
	ck_assert_str_eq(h.name, "work/dir/cases/a.case");
	ck_assert_int_eq(memcmp(h.data, "case a\n", 7), 0);
	cpio_read(whole, whole_len, &off, &h);
	cpio_read(whole, whole_len, &off, &h);
	ck_assert_str_eq(h.name, "closeprobe/run.conf");
	ck_assert_uint_eq(h.mode, S_IFREG | 0644);
	/* Never over an existing file. */
	ck_assert_int_eq(image_compose(img.path, extras, 2, out, err, sizeof(err)), -1);
	extras[0].path = "relative/a.case";
	work_path(out, sizeof(out), "other.cpio");
	ck_assert_int_eq(image_compose(img.path, extras, 2, out, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a clean absolute path"));
	free(base);
	free(whole);
	image_free(&img);
}
END_TEST

START_TEST(test_guest_refuses_early)
{
	const char *cases[] = { "x.case" };
	struct guest_options opt = { .case_paths = cases, .ncases = 1, .closeprobe_binary = "/bin/sh" };
	struct guest_result r;
	char path[4200], err[512];

	work_path(path, sizeof(path), "missing-vmlinuz");
	opt.kernel = path;
	ck_assert_int_eq(guest_run(&opt, work, &r, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot read") != NULL && strstr(err, "No such file") != NULL,
	    "%s", err);
	guest_result_free(&r);
	put_file("vmlinuz", "not a kernel", 0644);
	work_path(path, sizeof(path), "vmlinuz");
	ck_assert_int_eq(guest_run(&opt, work, &r, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "not an x86 Linux bzImage") != NULL, "%s", err);
	ck_assert_int_eq(r.status, -1);
	guest_result_free(&r);
	opt.ncases = 0;
	ck_assert_int_eq(guest_run(&opt, work, &r, err, sizeof(err)), -1);
	guest_result_free(&r);
}
END_TEST

static Suite *
guest_suite(void)
{
	Suite *s = suite_create("guest");
	TCase *pure = tcase_create("pure");
	TCase *files = tcase_create("files");

	tcase_add_loop_test(pure, test_sha256_vectors, 0,
	    sizeof(sha_vectors) / sizeof(sha_vectors[0]));
	tcase_add_test(pure, test_sha256_million_a_in_pieces);
	tcase_add_test(pure, test_cpio_refuses);
	tcase_add_test(pure, test_moddep_order);
	tcase_add_loop_test(pure, test_moddep_bad, 0, sizeof(bad_deps) / sizeof(bad_deps[0]));
	tcase_add_test(pure, test_moddep_name_of);
	tcase_add_test(pure, test_bzimage_release);
	tcase_add_test(pure, test_ldd_parse);
	tcase_add_loop_test(pure, test_archive_bad, 0, sizeof(bad_frames) / sizeof(bad_frames[0]));
	tcase_add_test(pure, test_archive_empty);
	tcase_add_test(pure, test_shellword_round_trip);
	tcase_add_test(pure, test_child_bounds);
	tcase_add_test(pure, test_guest_names);
	suite_add_tcase(s, pure);

	tcase_add_checked_fixture(files, work_setup, work_teardown);
	tcase_set_timeout(files, 30);
	tcase_add_test(files, test_cpio_entries);
	tcase_add_test(files, test_cpio_same_bytes);
	tcase_add_test(files, test_ldd_runs);
	tcase_add_test(files, test_archive_round_trip);
	tcase_add_test(files, test_hostfile);
	tcase_add_test(files, test_image_cache);
	tcase_add_test(files, test_image_cache_pruned);
	tcase_add_test(files, test_image_fallback_and_compose);
	tcase_add_test(files, test_guest_refuses_early);
	suite_add_tcase(s, files);
	return s;
}

int
main(void)
{
	return test_run_suite(guest_suite());
}
