/*
 * test_util.c: read_file_capped() at the sizes where its buffer logic
 * turns: empty, one byte, the stat() size exactly, around the cap, and a
 * file that says it is empty but is not (as /proc files do); and the
 * change detector behind the rules digest and the watch fingerprints,
 * which must tell apart inputs that differ in one byte or in length only;
 * and the path map's own copies of its keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "modelcensus/strmap.h"
#include "modelcensus/util.h"

/* Writes n bytes of a repeating pattern to a new file; returns its path. */
static char *make_file(size_t n)
{
	char *path = xstrdup("/tmp/mc-test-util-XXXXXX");
	int fd = mkstemp(path);
	char block[4096];

	assert_true(fd >= 0);
	for (size_t i = 0; i < sizeof(block); i++)
		block[i] = (char)('a' + i % 26);
	for (size_t done = 0; done < n;) {
		size_t k = n - done < sizeof(block) ? n - done : sizeof(block);

		assert_int_equal(write(fd, block, k), (ssize_t)k);
		done += k;
	}
	close(fd);
	return path;
}

static void expect_read(size_t size, size_t cap, size_t want_len, int want_truncated)
{
	char *path = make_file(size), *data;
	size_t len;
	int truncated;
	struct mc_error err;

	assert_int_equal(read_file_capped(path, cap, &data, &len, &truncated, &err), 0);
	if (len != want_len || truncated != want_truncated)
		fail_msg("%zu bytes, cap %zu: read %zu (truncated %d), expected %zu (%d)",
			 size, cap, len, truncated, want_len, want_truncated);
	assert_int_equal(data[len], '\0');
	for (size_t i = 0; i < len; i++)
		if (data[i] != (char)('a' + i % 4096 % 26))
			fail_msg("%zu bytes: byte %zu differs", size, i);
	free(data);
	unlink(path);
	free(path);
}

static const struct read_case {
	size_t size, cap, want_len;
	int want_truncated;
} sizes[] = {
	{ 0, 1000, 0, 0 },		/* empty: an empty string */
	{ 1, 1000, 1, 0 },
	{ 4095, 100000, 4095, 0 },	/* around the default buffer */
	{ 4096, 100000, 4096, 0 },
	{ 65537, 1 << 20, 65537, 0 },	/* past one 64 KB read */
	{ 300000, 1 << 20, 300000, 0 },
}, caps[] = {
	{ 999, 1000, 999, 0 },		/* just under, at and over the cap */
	{ 1000, 1000, 1000, 0 },
	{ 1001, 1000, 1000, 1 },
	{ 200000, 70000, 70000, 1 },	/* the cap past one 64 KB read */
};

static void expect_reads(const struct read_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect_read(c[i].size, c[i].cap, c[i].want_len, c[i].want_truncated);
}

static void test_sizes(void **state)
{
	(void)state;
	expect_reads(sizes, sizeof(sizes) / sizeof(*sizes));
}

static void test_cap(void **state)
{
	(void)state;
	expect_reads(caps, sizeof(caps) / sizeof(*caps));
}

/* stat() says 0 bytes; the content is there all the same */
static void test_proc_file(void **state)
{
	char *data;
	size_t len;
	int truncated;
	struct mc_error err;

	(void)state;
	if (access("/proc/self/status", R_OK) < 0) {
		skip();
		return;
	}
	assert_int_equal(read_file_capped("/proc/self/status", 1 << 20, &data, &len,
					  &truncated, &err), 0);
	assert_true(len > 0);
	assert_non_null(strstr(data, "Name:"));
	assert_int_equal(truncated, 0);
	free(data);
}

static void test_not_regular(void **state)
{
	char *data;
	size_t len;
	int truncated;
	struct mc_error err;

	(void)state;
	assert_int_equal(read_file_capped("/tmp", 100, &data, &len, &truncated, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

static void test_hash_tells_apart(void **state)
{
	unsigned char a[40], b[40];

	(void)state;
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (unsigned char)(i * 7 + 1);
	for (size_t len = 1; len <= sizeof(a); len++) {
		uint64_t h = hash_bytes(HASH_SEED, a, len);

		for (size_t i = 0; i < len; i++) {
			for (int bit = 0; bit < 8; bit++) {
				memcpy(b, a, len);
				b[i] ^= (unsigned char)(1u << bit);
				if (hash_bytes(HASH_SEED, b, len) == h)
					fail_msg("length %zu: flipping bit %d of byte %zu left the hash", len, bit, i);
			}
		}
	}
	/* a trailing zero byte is not nothing */
	memset(b, 0, sizeof(b));
	for (size_t len = 0; len + 1 < sizeof(b); len++)
		assert_true(hash_bytes(HASH_SEED, b, len) != hash_bytes(HASH_SEED, b, len + 1));
	/* one word differs: the steps after it keep the difference */
	assert_true(hash_word(hash_word(HASH_SEED, 1), 5) != hash_word(hash_word(HASH_SEED, 2), 5));
}

/* the i-th test string, 8 to 207 bytes: the room a block has left varies */
static const char *nth(char *buf, size_t i)
{
	int n = snprintf(buf, 256, "m%06zu-", i);

	memset(buf + n, 'x', i % 200);
	buf[n + i % 200] = '\0';
	return buf;
}

/* a map copies its keys: found by value, not by the caller's buffer */
static void test_strmap_copies_keys(void **state)
{
	struct strmap m;
	char buf[256];
	uint64_t v;

	(void)state;
	strmap_init(&m, 0);
	for (size_t i = 0; i < 5000; i++) {
		assert_int_equal(strmap_put(&m, nth(buf, i), i, 1), 0);
		memset(buf, '#', sizeof(buf) - 1);
	}
	assert_int_equal(strmap_put(&m, nth(buf, 42), 7, 1), 1);
	for (size_t i = 0; i < 5000; i++) {
		assert_true(strmap_get(&m, nth(buf, i), &v));
		assert_int_equal(v, i);
	}
	assert_false(strmap_get(&m, "m000042-", &v));
	strmap_clear(&m);	/* frees every key: ASan would see a leak */
	assert_int_equal(m.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_proc_file),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_hash_tells_apart),
		cmocka_unit_test(test_strmap_copies_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
