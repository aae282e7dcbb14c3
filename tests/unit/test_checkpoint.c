/*
 * test_checkpoint.c: the GGUF and safetensors header readers, LFS pointers
 * and weight_format() (checkpoint.h).  Every fixture is written here, byte
 * by byte, into a temporary directory or served from memory by a reader
 * that counts what it is asked for; nothing is read from ../shared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modelcensus/checkpoint.h"
#include "modelcensus/banned.h"

#define assert_has(s, sub)                                                  \
	do {                                                                \
		const char *s_ = (s);                                       \
		if (!s_ || !strstr(s_, (sub)))                              \
			fail_msg("\"%s\" does not contain \"%s\"",          \
				 s_ ? s_ : "(null)", (sub));                \
	} while (0)

enum { T_U8, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STRING,
       T_ARRAY, T_U64, T_I64, T_F64 };

/* ---- fixtures: temporary files ----------------------------------------- */

static char tmpdir[256];
static struct strlist created = STRLIST_INIT;

static int group_setup(void **state)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/mc-ckpt-XXXXXX",
		 base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	for (size_t i = 0; i < created.n; i++)
		remove(created.v[i]);
	strlist_clear(&created);
	return rmdir(tmpdir);
}

/* Writes a file in the temporary directory; returns its path (static list). */
static const char *write_file(const char *name, const void *data, size_t len)
{
	char *path = xstrfmt("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	strlist_add_nodup(&created, path);
	return path;
}

/* ---- fixtures: GGUF bytes ---------------------------------------------- */

struct gg {
	struct strbuf b;
	uint64_t nkv;
};

static void put_u8(struct strbuf *b, uint8_t v)
{
	strbuf_add(b, &v, 1);
}

static void put_u32(struct strbuf *b, uint32_t v)
{
	unsigned char x[4];

	for (int i = 0; i < 4; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(b, x, 4);
}

static void put_u64(struct strbuf *b, uint64_t v)
{
	unsigned char x[8];

	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(b, x, 8);
}

static void put_str(struct strbuf *b, const char *s)
{
	put_u64(b, strlen(s));
	strbuf_adds(b, s);
}

/* Header with a placeholder kv count that gg_end() fills in. */
static void gg_begin(struct gg *g, uint32_t version)
{
	memset(g, 0, sizeof(*g));
	strbuf_adds(&g->b, "GGUF");
	put_u32(&g->b, version);
	put_u64(&g->b, 1);	/* one tensor, appended by gg_end() */
	put_u64(&g->b, 0);
}

/* Starts a pair: key and value type; the caller writes the value. */
static void gg_key(struct gg *g, const char *key, uint32_t type)
{
	put_str(&g->b, key);
	put_u32(&g->b, type);
	g->nkv++;
}

static void gg_str(struct gg *g, const char *key, const char *val)
{
	gg_key(g, key, T_STRING);
	put_str(&g->b, val);
}

static void gg_u32(struct gg *g, const char *key, uint32_t v)
{
	gg_key(g, key, T_U32);
	put_u32(&g->b, v);
}

/* A vocabulary-like array of n strings. */
static void gg_str_array(struct gg *g, const char *key, unsigned n)
{
	gg_key(g, key, T_ARRAY);
	put_u32(&g->b, T_STRING);
	put_u64(&g->b, n);
	for (unsigned i = 0; i < n; i++) {
		char tok[32];

		snprintf(tok, sizeof(tok), "tok%u", i);
		put_str(&g->b, tok);
	}
}

/* Patches the kv count, appends one tensor info and its data. */
static void gg_end(struct gg *g)
{
	for (int i = 0; i < 8; i++)
		g->b.buf[16 + i] = (char)(unsigned char)(g->nkv >> (8 * i));
	put_str(&g->b, "t");
	put_u32(&g->b, 1);
	put_u64(&g->b, 4);
	put_u32(&g->b, 0);
	put_u64(&g->b, 0);
	for (int i = 0; i < 32; i++)
		put_u8(&g->b, 0);
}

/* ---- fixtures: readers --------------------------------------------------- */

struct mem {
	const unsigned char *p;
	size_t n;
	unsigned calls;
	uint64_t bytes;
	int fail;		/* answer -1 */
};

static long mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct mem *m = ctx;

	m->calls++;
	if (m->fail)
		return -1;
	if (off >= m->n)
		return 0;
	if (len > m->n - off)
		len = (size_t)(m->n - off);
	memcpy(buf, m->p + off, len);
	m->bytes += len;
	return (long)len;
}

static int gguf_mem(const struct strbuf *b, struct ckpt_meta *meta,
		    struct mc_error *err, struct mem *m)
{
	m->p = (const unsigned char *)b->buf;
	m->n = b->len;
	return ckpt_read_gguf(mem_read, m, b->len, meta, err);
}

/*
 * A large file that is mostly a hole: `head`, then `gap` zero bytes, then
 * `tail`.  It stands for multi-gigabyte checkpoints without writing them.
 */
struct vfile {
	struct strbuf head, tail;
	uint64_t gap;
	uint64_t bytes;
	unsigned calls;
};

static uint64_t vfile_size(const struct vfile *v)
{
	return v->head.len + v->gap + v->tail.len;
}

static long vfile_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct vfile *v = ctx;
	uint64_t size = vfile_size(v);
	unsigned char *out = buf;
	size_t done = 0;

	v->calls++;
	if (off >= size)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	while (done < len) {
		uint64_t at = off + done;
		size_t take = len - done;

		if (at < v->head.len) {
			if (take > v->head.len - at)
				take = (size_t)(v->head.len - at);
			memcpy(out + done, v->head.buf + at, take);
		} else if (at < v->head.len + v->gap) {
			uint64_t rest = v->head.len + v->gap - at;

			if (take > rest)
				take = (size_t)rest;
			memset(out + done, 0, take);
		} else {
			uint64_t t = at - v->head.len - v->gap;

			memcpy(out + done, v->tail.buf + t, take);
		}
		done += take;
	}
	v->bytes += len;
	return (long)len;
}

static void vfile_release(struct vfile *v)
{
	strbuf_release(&v->head);
	strbuf_release(&v->tail);
}

/* ---- GGUF: good files ---------------------------------------------------- */

static void test_gguf_v3_license_after_vocab(void **state)
{
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	const char *path;

	gg_begin(&g, 3);
	gg_str(&g, "general.architecture", "llama");
	gg_str(&g, "general.name", "Tiny Llama");
	gg_str_array(&g, "tokenizer.ggml.tokens", 2000);
	gg_str(&g, "general.license", "apache-2.0");
	gg_str(&g, "general.license.name", "tiny-license");
	gg_str(&g, "general.license.link", "https://example.com/LICENSE");
	gg_u32(&g, "llama.block_count", 22);
	gg_end(&g);
	path = write_file("v3.gguf", g.b.buf, g.b.len);

	assert_int_equal(ckpt_read_path(path, &m, &err), 0);
	assert_int_equal(m.format, CKPT_GGUF);
	assert_int_equal(m.version, 3);
	assert_int_equal(m.tensor_count, 1);
	assert_string_equal(m.license, "apache-2.0");
	assert_string_equal(m.license_name, "tiny-license");
	assert_string_equal(m.license_link, "https://example.com/LICENSE");
	assert_string_equal(m.name, "Tiny Llama");
	assert_string_equal(m.architecture, "llama");
	assert_null(m.source_model_id);
	assert_int_equal(m.base_models.n, 0);
	assert_int_equal(m.extra.n, 0);
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

static void test_gguf_v2_license_before_vocab(void **state)
{
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	const char *path;

	gg_begin(&g, 2);
	gg_str(&g, "general.license", "mit");
	gg_str_array(&g, "tokenizer.ggml.tokens", 2000);
	gg_str(&g, "general.name", "after the vocabulary");
	gg_end(&g);
	path = write_file("v2.GGUF", g.b.buf, g.b.len);

	assert_int_equal(ckpt_read_path(path, &m, &err), 0);
	assert_int_equal(m.version, 2);
	assert_string_equal(m.license, "mit");
	assert_string_equal(m.name, "after the vocabulary");
	assert_null(m.license_name);
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

/* Nested arrays are skipped element by element, up to the depth cap. */
static void test_gguf_nested_arrays(void **state)
{
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	gg_begin(&g, 3);
	/* [["a", "bb"], [], ["ccc"]] */
	gg_key(&g, "x.strings2", T_ARRAY);
	put_u32(&g.b, T_ARRAY);
	put_u64(&g.b, 3);
	put_u32(&g.b, T_STRING);
	put_u64(&g.b, 2);
	put_str(&g.b, "a");
	put_str(&g.b, "bb");
	put_u32(&g.b, T_STRING);
	put_u64(&g.b, 0);
	put_u32(&g.b, T_STRING);
	put_u64(&g.b, 1);
	put_str(&g.b, "ccc");
	/* [[[1, 2, 3]], [[4], []]] of u16 */
	gg_key(&g, "x.u16s3", T_ARRAY);
	put_u32(&g.b, T_ARRAY);
	put_u64(&g.b, 2);
	put_u32(&g.b, T_ARRAY);
	put_u64(&g.b, 1);
	put_u32(&g.b, T_U16);
	put_u64(&g.b, 3);
	for (int i = 1; i <= 3; i++)
		strbuf_add(&g.b, "\1\0", 2);
	put_u32(&g.b, T_ARRAY);
	put_u64(&g.b, 2);
	put_u32(&g.b, T_U16);
	put_u64(&g.b, 1);
	strbuf_add(&g.b, "\4\0", 2);
	put_u32(&g.b, T_U16);
	put_u64(&g.b, 0);
	/* exactly CKPT_MAX_ARRAY_DEPTH levels: allowed */
	gg_key(&g, "x.deep", T_ARRAY);
	for (int d = 1; d < CKPT_MAX_ARRAY_DEPTH; d++) {
		put_u32(&g.b, T_ARRAY);
		put_u64(&g.b, 1);
	}
	put_u32(&g.b, T_STRING);
	put_u64(&g.b, 1);
	put_str(&g.b, "bottom");
	gg_str(&g, "general.license", "cc-by-4.0");
	gg_end(&g);

	assert_int_equal(gguf_mem(&g.b, &m, &err, &mm), 0);
	assert_string_equal(m.license, "cc-by-4.0");
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

static void test_gguf_array_depth_cap(void **state)
{
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	gg_begin(&g, 3);
	gg_key(&g, "x.too_deep", T_ARRAY);
	for (int d = 0; d < CKPT_MAX_ARRAY_DEPTH; d++) {
		put_u32(&g.b, T_ARRAY);
		put_u64(&g.b, 1);
	}
	put_u32(&g.b, T_U8);
	put_u64(&g.b, 1);
	put_u8(&g.b, 7);
	gg_str(&g, "general.license", "mit");
	gg_end(&g);

	assert_int_equal(gguf_mem(&g.b, &m, &err, &mm), -1);
	assert_has(err.msg, "arrays nested deeper than 8");
	assert_has(err.msg, "x.too_deep");
	assert_null(m.license);
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

static void test_gguf_all_scalar_types(void **state)
{
	static const struct {
		uint32_t type;
		unsigned size;
	} scalars[] = {
		{ T_U8, 1 }, { T_I8, 1 }, { T_U16, 2 }, { T_I16, 2 },
		{ T_U32, 4 }, { T_I32, 4 }, { T_F32, 4 }, { T_BOOL, 1 },
		{ T_U64, 8 }, { T_I64, 8 }, { T_F64, 8 },
	};
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	gg_begin(&g, 3);
	/* a key of interest with a non-string value is skipped */
	gg_u32(&g, "general.architecture", 7);
	for (size_t i = 0; i < sizeof(scalars) / sizeof(*scalars); i++) {
		char key[32];

		snprintf(key, sizeof(key), "x.scalar%zu", i);
		gg_key(&g, key, scalars[i].type);
		for (unsigned k = 0; k < scalars[i].size; k++)
			put_u8(&g.b, 0xA5);
		/* and an array of three of them */
		snprintf(key, sizeof(key), "x.array%zu", i);
		gg_key(&g, key, T_ARRAY);
		put_u32(&g.b, scalars[i].type);
		put_u64(&g.b, 3);
		for (unsigned k = 0; k < 3 * scalars[i].size; k++)
			put_u8(&g.b, 0x5A);
	}
	gg_str(&g, "general.architecture", "gemma");
	gg_str(&g, "general.license", "gemma");
	gg_end(&g);

	assert_int_equal(gguf_mem(&g.b, &m, &err, &mm), 0);
	assert_string_equal(m.architecture, "gemma");
	assert_string_equal(m.license, "gemma");
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

static void test_gguf_without_license(void **state)
{
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	gg_begin(&g, 3);
	gg_str(&g, "general.name", "No License");
	gg_str_array(&g, "tokenizer.ggml.merges", 50);
	gg_end(&g);

	assert_int_equal(gguf_mem(&g.b, &m, &err, &mm), 0);
	assert_int_equal(m.format, CKPT_GGUF);
	assert_null(m.license);
	assert_null(m.license_name);
	assert_null(m.license_link);
	assert_string_equal(m.name, "No License");
	assert_int_equal(m.extra.n, 0);
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

/* A GGUF with no pairs at all is a valid (if bare) header. */
static void test_gguf_no_pairs(void **state)
{
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	gg_begin(&g, 3);
	gg_end(&g);
	assert_int_equal(gguf_mem(&g.b, &m, &err, &mm), 0);
	assert_int_equal(m.format, CKPT_GGUF);
	assert_null(m.name);
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

static void test_gguf_base_models_and_source(void **state)
{
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	gg_begin(&g, 3);
	gg_u32(&g, "general.base_model.count", 5);
	/* what llama.cpp writes: display titles, and the URL */
	gg_str(&g, "general.base_model.0.name", "Meta Llama 3 8B");
	gg_str(&g, "general.base_model.0.organization", "Meta Llama");
	gg_str(&g, "general.base_model.0.repo_url",
	       "https://huggingface.co/meta-llama/Meta-Llama-3-8B");
	/* ids in organization and name, no URL */
	gg_str(&g, "general.base_model.1.name", "Mistral-7B-v0.1");
	gg_str(&g, "general.base_model.1.organization", "mistralai");
	/* titles only: not an id */
	gg_str(&g, "general.base_model.2.organization", "Some Org");
	gg_str(&g, "general.base_model.2.name", "Title Case Model");
	/* a URL elsewhere: no Hub id, even if the parts look like one */
	gg_str(&g, "general.base_model.3.repo_url", "https://github.com/a/b");
	gg_str(&g, "general.base_model.3.organization", "a");
	gg_str(&g, "general.base_model.3.name", "b");
	/* the same base twice is listed once */
	gg_str(&g, "general.base_model.4.repo_url",
	       "https://huggingface.co/meta-llama/Meta-Llama-3-8B/tree/main");
	/* sources: GitHub is not a Hub model; the HF repository key wins
	 * over general.repo_url whatever the order */
	gg_str(&g, "general.source.url", "https://github.com/meta-llama/llama3");
	gg_str(&g, "general.repo_url",
	       "https://huggingface.co/someone/Llama-3-8B-GGUF");
	gg_str(&g, "general.source.huggingface.repository",
	       "meta-llama/Meta-Llama-3-8B-Instruct");
	gg_str(&g, "general.source.repo_url",
	       "https://huggingface.co/not/this-one");
	gg_str(&g, "general.license.custom_note", "see LICENSE");
	gg_end(&g);

	assert_int_equal(gguf_mem(&g.b, &m, &err, &mm), 0);
	assert_int_equal(m.base_models.n, 2);
	assert_string_equal(m.base_models.v[0], "meta-llama/Meta-Llama-3-8B");
	assert_string_equal(m.base_models.v[1], "mistralai/Mistral-7B-v0.1");
	assert_string_equal(m.source_model_id,
			    "meta-llama/Meta-Llama-3-8B-Instruct");
	assert_int_equal(m.extra.n, 1);
	assert_string_equal(m.extra.v[0],
			    "general.license.custom_note=see LICENSE");
	ckpt_meta_release(&m);
	strbuf_release(&g.b);
}

/* Which source strings name a Hub model, and as what. */
static void test_gguf_source_forms(void **state)
{
	static const struct {
		const char *key, *value, *want;
	} cases[] = {
		{ "general.repo_url", "https://huggingface.co/a/b/tree/main", "a/b" },
		{ "general.repo_url", "https://huggingface.co/a/b", "a/b" },
		{ "general.source.url", "https://hf.co/Org-1/m.v2.git", "Org-1/m.v2" },
		{ "general.source.url", "huggingface.co/org/name?x=1", "org/name" },
		{ "general.source.url", "http://www.huggingface.co/o/n#r", "o/n" },
		{ "general.source.huggingface.repository", "org/name", "org/name" },
		{ "general.source.hugginface.repository", " org/name ", "org/name" },
		{ "general.source.url", "https://huggingface.co/datasets/o/n", NULL },
		{ "general.source.url", "https://huggingface.co/spaces/o/n", NULL },
		{ "general.source.url", "https://huggingface.co/gpt2", NULL },
		/* one-part ids are dropped whatever follows them */
		{ "general.source.url", "https://huggingface.co/gpt2/tree/main", NULL },
		/* the Hub's old model URLs (hub_id.c reads them all alike) */
		{ "general.source.url", "https://huggingface.co/models/org/name", "org/name" },
		{ "general.source.url", "https://example.com/o/n", NULL },
		{ "general.source.huggingface.repository", "org/name/extra", NULL },
		{ "general.source.huggingface.repository", "org name/x", NULL },
		{ "general.source.huggingface.repository", "../x", NULL },
		{ "general.source.huggingface.repository", "", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct gg g;
		struct ckpt_meta m;
		struct mc_error err = { "" };
		struct mem mm = { 0 };

		gg_begin(&g, 3);
		gg_str(&g, cases[i].key, cases[i].value);
		gg_end(&g);
		assert_int_equal(gguf_mem(&g.b, &m, &err, &mm), 0);
		if (cases[i].want) {
			if (!m.source_model_id ||
			    strcmp(m.source_model_id, cases[i].want))
				fail_msg("%s=\"%s\": got %s, want %s",
					 cases[i].key, cases[i].value,
					 m.source_model_id ? m.source_model_id
							   : "NULL",
					 cases[i].want);
		} else if (m.source_model_id) {
			fail_msg("%s=\"%s\": got %s, want NULL", cases[i].key,
				 cases[i].value, m.source_model_id);
		}
		ckpt_meta_release(&m);
		strbuf_release(&g.b);
	}
}

/* A 64 MiB array of u8 is skipped in one move: its bytes are never read. */
static void test_gguf_skips_big_array_without_reading(void **state)
{
	struct vfile v = { STRBUF_INIT, STRBUF_INIT, 64u << 20, 0, 0 };
	struct gg g;
	struct ckpt_meta m;
	struct mc_error err = { "" };

	/* two pairs before the gap (the second is the array), one after */
	gg_begin(&g, 3);
	gg_str(&g, "general.name", "big");
	gg_key(&g, "x.blob", T_ARRAY);
	put_u32(&g.b, T_U8);
	put_u64(&g.b, v.gap);
	g.b.buf[16] = 3;
	v.head = g.b;
	put_str(&v.tail, "general.license");
	put_u32(&v.tail, T_STRING);
	put_str(&v.tail, "llama3.1");
	for (int i = 0; i < 64; i++)
		put_u8(&v.tail, 0);

	assert_int_equal(ckpt_read_gguf(vfile_read, &v, vfile_size(&v), &m,
					&err), 0);
	assert_string_equal(m.license, "llama3.1");
	assert_string_equal(m.name, "big");
	/* two windows at most: the head and the tail */
	assert_true(v.bytes < (256u << 10));
	assert_true(v.calls <= 4);
	ckpt_meta_release(&m);
	vfile_release(&v);
}

/* ---- GGUF: malformed ------------------------------------------------------ */

/* Reads b from memory and expects -1 with a message containing want. */
static void expect_gguf_error(const struct strbuf *b, const char *want)
{
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	assert_int_equal(gguf_mem(b, &m, &err, &mm), -1);
	assert_has(err.msg, want);
	assert_has(err.msg, "gguf header: ");
	/* nothing is read a second time: a malformed file fails fast */
	assert_true(mm.calls <= 4);
	ckpt_meta_release(&m);
}

static void test_gguf_bad_magic(void **state)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_adds(&b, "GGML");
	put_u32(&b, 3);
	put_u64(&b, 0);
	put_u64(&b, 0);
	expect_gguf_error(&b, "bad magic 47 47 4d 4c (expected \"GGUF\")");
	strbuf_release(&b);
}

static void test_gguf_versions_rejected(void **state)
{
	static const struct {
		uint32_t version;
		const char *want;
	} cases[] = {
		{ 1, "version 1 is not supported" },
		{ 0, "unsupported version 0" },
		{ 4, "unsupported version 4" },
		{ 3u << 24, "big-endian gguf (version 3) is not supported" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf b = STRBUF_INIT;

		strbuf_adds(&b, "GGUF");
		put_u32(&b, cases[i].version);
		put_u64(&b, 0);
		put_u64(&b, 0);
		expect_gguf_error(&b, cases[i].want);
		strbuf_release(&b);
	}
}

static void test_gguf_truncated_header(void **state)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_adds(&b, "GGUF");
	put_u32(&b, 3);
	put_u64(&b, 1);
	put_u32(&b, 2);		/* half a kv count */
	expect_gguf_error(&b, "truncated: tensor and key/value counts at "
			      "offset 8 needs 16 bytes, the file has 12 left");
	strbuf_release(&b);

	strbuf_adds(&b, "GGU");
	expect_gguf_error(&b, "the file is 3 bytes, too short for a header");
	strbuf_release(&b);
}

static void test_gguf_truncated_value(void **state)
{
	struct gg g;

	/* the key, then 10 bytes of a 31-byte string, then the end */
	gg_begin(&g, 3);
	gg_key(&g, "general.name", T_STRING);
	put_u64(&g.b, 31);
	strbuf_adds(&g.b, "a name tha");
	for (int i = 0; i < 8; i++)
		g.b.buf[16 + i] = (char)(i == 0 ? 1 : 0);
	expect_gguf_error(&g.b, "string length 31 at offset 48 exceeds the "
				"file (10 bytes left)");
	expect_gguf_error(&g.b, "key 'general.name' at offset 24");
	strbuf_release(&g.b);
}

/* gg_begin() without the tensor its files end with: for short fixtures. */
static void gg_begin_bare(struct gg *g)
{
	gg_begin(g, 3);
	g->b.buf[8] = 0;
}

static void test_gguf_lying_lengths(void **state)
{
	struct gg g;

	/* a key's length */
	gg_begin_bare(&g);
	put_u64(&g.b, INT64_MAX);
	put_u64(&g.b, 0);
	g.b.buf[16] = 1;
	expect_gguf_error(&g.b, "gguf header: key length 9223372036854775807 "
				"at offset 24 exceeds the file");
	strbuf_release(&g.b);

	/* a string value's length */
	gg_begin_bare(&g);
	gg_key(&g, "general.license", T_STRING);
	put_u64(&g.b, INT64_MAX);
	put_u64(&g.b, 0);
	g.b.buf[16] = 1;
	expect_gguf_error(&g.b, "gguf header: string length 9223372036854775807"
				" at offset 51 exceeds the file");
	strbuf_release(&g.b);

	/* a count of u64 that would wrap a 64-bit multiplication */
	gg_begin_bare(&g);
	gg_key(&g, "x.a", T_ARRAY);
	put_u32(&g.b, T_U64);
	put_u64(&g.b, (UINT64_C(1) << 61) + 1);
	put_u64(&g.b, 0);
	g.b.buf[16] = 1;
	expect_gguf_error(&g.b, "array length 2305843009213693953 at offset 43"
				" exceeds the file");
	strbuf_release(&g.b);

	/* an array of 2^40 strings: fails before the first one */
	gg_begin_bare(&g);
	gg_key(&g, "x.s", T_ARRAY);
	put_u32(&g.b, T_STRING);
	put_u64(&g.b, UINT64_C(1) << 40);
	put_str(&g.b, "one");
	g.b.buf[16] = 1;
	expect_gguf_error(&g.b, "array length 1099511627776 at offset 43 "
				"exceeds the file");
	strbuf_release(&g.b);
}

static void test_gguf_lying_counts(void **state)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_adds(&b, "GGUF");
	put_u32(&b, 3);
	put_u64(&b, 1);
	put_u64(&b, UINT64_C(1) << 60);
	put_str(&b, "general.name");
	expect_gguf_error(&b, "kv count 1152921504606846976 at offset 16 "
			      "exceeds the file");
	strbuf_release(&b);

	strbuf_adds(&b, "GGUF");
	put_u32(&b, 3);
	put_u64(&b, UINT64_C(1) << 60);
	put_u64(&b, 0);
	expect_gguf_error(&b, "tensor count 1152921504606846976 at offset 8 "
			      "exceeds the file");
	strbuf_release(&b);
}

static void test_gguf_unknown_types(void **state)
{
	struct gg g;

	gg_begin(&g, 3);
	gg_key(&g, "x.odd", 13);
	put_u64(&g.b, 0);
	g.b.buf[16] = 1;
	expect_gguf_error(&g.b, "unknown value type 13 at offset 37");
	expect_gguf_error(&g.b, "key 'x.odd'");
	strbuf_release(&g.b);

	gg_begin(&g, 3);
	gg_key(&g, "x.odd", T_ARRAY);
	put_u32(&g.b, 99);
	put_u64(&g.b, 1);
	g.b.buf[16] = 1;
	expect_gguf_error(&g.b, "unknown array element type 99 at offset 41");
	strbuf_release(&g.b);
}

/* Caps that a file large enough could pass: each stops the read. */
static void test_gguf_caps(void **state)
{
	struct vfile v = { STRBUF_INIT, STRBUF_INIT, 200u << 20, 0, 0 };
	struct ckpt_meta m;
	struct mc_error err = { "" };

	/* more pairs than CKPT_MAX_KV, in a file that could hold them */
	strbuf_adds(&v.head, "GGUF");
	put_u32(&v.head, 3);
	put_u64(&v.head, 0);
	put_u64(&v.head, CKPT_MAX_KV + 1);
	assert_int_equal(ckpt_read_gguf(vfile_read, &v, vfile_size(&v), &m,
					&err), -1);
	assert_has(err.msg, "kv count 1000001 at offset 16 exceeds the cap "
			    "of 1000000");
	ckpt_meta_release(&m);

	/* a string longer than CKPT_MAX_STRING */
	strbuf_reset(&v.head);
	strbuf_adds(&v.head, "GGUF");
	put_u32(&v.head, 3);
	put_u64(&v.head, 0);
	put_u64(&v.head, 1);
	put_str(&v.head, "general.license");
	put_u32(&v.head, T_STRING);
	put_u64(&v.head, CKPT_MAX_STRING + 1);
	assert_int_equal(ckpt_read_gguf(vfile_read, &v, vfile_size(&v), &m,
					&err), -1);
	assert_has(err.msg, "string length 16777217 at offset 51 exceeds the "
			    "cap of 16777216");
	ckpt_meta_release(&m);

	/* a key longer than CKPT_MAX_KEY */
	strbuf_reset(&v.head);
	strbuf_adds(&v.head, "GGUF");
	put_u32(&v.head, 3);
	put_u64(&v.head, 0);
	put_u64(&v.head, 1);
	put_u64(&v.head, CKPT_MAX_KEY + 1);
	assert_int_equal(ckpt_read_gguf(vfile_read, &v, vfile_size(&v), &m,
					&err), -1);
	assert_has(err.msg, "key length 65536 at offset 24 exceeds the cap");
	ckpt_meta_release(&m);

	/* a value that runs past CKPT_MAX_HEADER */
	strbuf_reset(&v.head);
	strbuf_adds(&v.head, "GGUF");
	put_u32(&v.head, 3);
	put_u64(&v.head, 0);
	put_u64(&v.head, 1);
	put_str(&v.head, "x.blob");
	put_u32(&v.head, T_ARRAY);
	put_u32(&v.head, T_U8);
	put_u64(&v.head, 150u << 20);
	assert_int_equal(ckpt_read_gguf(vfile_read, &v, vfile_size(&v), &m,
					&err), -1);
	assert_has(err.msg, "runs past the 104857600-byte header cap");
	assert_true(v.bytes < (1u << 20));
	ckpt_meta_release(&m);
	vfile_release(&v);
}

static void test_gguf_lfs_pointer_and_read_errors(void **state)
{
	static const char ptr[] =
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
		"size 12345\n";
	struct strbuf b = STRBUF_INIT;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	struct mem mm = { 0 };

	strbuf_adds(&b, ptr);
	expect_gguf_error(&b, "the file is a git lfs pointer, not gguf data");
	strbuf_release(&b);

	mm.fail = 1;
	assert_int_equal(ckpt_read_gguf(mem_read, &mm, 4096, &m, &err), -1);
	assert_has(err.msg, "gguf header: read failed at offset 0");
	ckpt_meta_release(&m);

	/* a reader whose file is shorter than the size it was given */
	memset(&mm, 0, sizeof(mm));
	mm.p = (const unsigned char *)"GGUF\3\0\0\0";
	mm.n = 8;
	assert_int_equal(ckpt_read_gguf(mem_read, &mm, 4096, &m, &err), -1);
	assert_has(err.msg, "file ends at offset 8, before its size of 4096");
	ckpt_meta_release(&m);
}

/* ---- safetensors ---------------------------------------------------------- */

/* A safetensors file: length, header, then `data` bytes of tensor data. */
static void st_build(struct strbuf *b, const char *json, size_t data)
{
	strbuf_reset(b);
	put_u64(b, strlen(json));
	strbuf_adds(b, json);
	for (size_t i = 0; i < data; i++)
		put_u8(b, 0);
}

static int st_mem(const struct strbuf *b, struct ckpt_meta *m,
		  struct mc_error *err)
{
	struct mem mm = { (const unsigned char *)b->buf, b->len, 0, 0, 0 };

	return ckpt_read_safetensors(mem_read, &mm, b->len, m, err);
}

static void test_safetensors_metadata(void **state)
{
	struct strbuf b = STRBUF_INIT;
	struct ckpt_meta m;
	struct mc_error err = { "" };
	const char *path;

	st_build(&b,
		 "{\"__metadata__\":{\"format\":\"pt\","
		 "\"modelspec.license\":\"CreativeML Open RAIL++-M\","
		 "\"license\":\" openrail++ \","
		 "\"modelspec.title\":\"SDXL 1.0\","
		 "\"modelspec.architecture\":\"stable-diffusion-xl-v1-base\","
		 "\"LicenceURL\":\"https://example.com/l\","
		 "\"license_steps\":5,\"nested\":{\"license\":\"x\"}},"
		 "\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
		 "\"data_offsets\":[0,4]}}   ", 4);
	path = write_file("model.safetensors", b.buf, b.len);

	assert_int_equal(ckpt_read_path(path, &m, &err), 0);
	assert_int_equal(m.format, CKPT_SAFETENSORS);
	assert_string_equal(m.license, "openrail++");
	assert_string_equal(m.name, "SDXL 1.0");
	assert_string_equal(m.architecture, "stable-diffusion-xl-v1-base");
	/* other license-like string pairs, sorted; numbers skipped */
	assert_int_equal(m.extra.n, 2);
	assert_string_equal(m.extra.v[0], "LicenceURL=https://example.com/l");
	assert_string_equal(m.extra.v[1],
			    "modelspec.license=CreativeML Open RAIL++-M");
	ckpt_meta_release(&m);
	strbuf_release(&b);
}

static void test_safetensors_license_keys(void **state)
{
	static const struct {
		const char *json, *license, *name;
	} cases[] = {
		{ "{\"__metadata__\":{\"modelspec.license\":\"mit\"}}", "mit", NULL },
		{ "{\"__metadata__\":{\"License\":\"apache-2.0\",\"name\":\"n\"}}",
		  "apache-2.0", "n" },
		{ "{\"__metadata__\":{\"licence\":\"bsd-3-clause\"}}",
		  "bsd-3-clause", NULL },
		{ "{\"__metadata__\":{\"license\":\"\",\"licence\":\"mit\"}}",
		  "mit", NULL },
		{ "{\"__metadata__\":{\"license\":7}}", NULL, NULL },
		{ "{\"__metadata__\":\"not an object\"}", NULL, NULL },
		{ "{\"w\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,0]}}",
		  NULL, NULL },
		{ "{}", NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strbuf b = STRBUF_INIT;
		struct ckpt_meta m;
		struct mc_error err = { "" };

		st_build(&b, cases[i].json, 0);
		if (st_mem(&b, &m, &err))
			fail_msg("%s: %s", cases[i].json, err.msg);
		assert_int_equal(m.format, CKPT_SAFETENSORS);
		if (cases[i].license)
			assert_string_equal(m.license, cases[i].license);
		else
			assert_null(m.license);
		if (cases[i].name)
			assert_string_equal(m.name, cases[i].name);
		else
			assert_null(m.name);
		ckpt_meta_release(&m);
		strbuf_release(&b);
	}
}

static void expect_st_error(const struct strbuf *b, const char *want)
{
	struct ckpt_meta m;
	struct mc_error err = { "" };

	assert_int_equal(st_mem(b, &m, &err), -1);
	assert_has(err.msg, "safetensors header: ");
	assert_has(err.msg, want);
	assert_null(m.license);
	ckpt_meta_release(&m);
}

static void test_safetensors_malformed(void **state)
{
	struct strbuf b = STRBUF_INIT;

	put_u64(&b, UINT64_C(1) << 63);
	strbuf_adds(&b, "{}");
	expect_st_error(&b, "header length 9223372036854775808 at offset 0 "
			    "exceeds the file (2 bytes left)");

	strbuf_reset(&b);
	put_u64(&b, 3);
	strbuf_adds(&b, "{}");
	expect_st_error(&b, "header length 3 at offset 0 exceeds the file");

	st_build(&b, "{\"__metadata__\":{\"license\":\"mit\"", 0);
	expect_st_error(&b, "invalid JSON at line 1, column 32");

	st_build(&b, "{\n  \"a\": tru\n}", 0);
	expect_st_error(&b, "invalid JSON at line 2");

	st_build(&b, "", 0);
	expect_st_error(&b, "invalid JSON");

	st_build(&b, "[{\"__metadata__\":{\"license\":\"mit\"}}]", 0);
	expect_st_error(&b, "not a JSON object");

	strbuf_reset(&b);
	strbuf_adds(&b, "{}");
	expect_st_error(&b, "the file is 2 bytes, too short");

	strbuf_reset(&b);
	strbuf_adds(&b, "version https://git-lfs.github.com/spec/v1\n");
	expect_st_error(&b, "git lfs pointer");
	strbuf_release(&b);
}

static void test_safetensors_header_cap(void **state)
{
	struct vfile v = { STRBUF_INIT, STRBUF_INIT, 200u << 20, 0, 0 };
	struct ckpt_meta m;
	struct mc_error err = { "" };

	put_u64(&v.head, (uint64_t)CKPT_MAX_HEADER + 1);
	assert_int_equal(ckpt_read_safetensors(vfile_read, &v, vfile_size(&v),
					       &m, &err), -1);
	assert_has(err.msg, "header length 104857601 at offset 0 exceeds the "
			    "cap of 104857600");
	assert_int_equal(v.bytes, 8);
	ckpt_meta_release(&m);
	vfile_release(&v);
}

/* ---- files on disk ---------------------------------------------------------- */

static const char lfs_ok[] =
	"version https://git-lfs.github.com/spec/v1\n"
	"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
	"size 4920734720\n";

static void test_path_lfs_pointer_and_others(void **state)
{
	struct ckpt_meta m;
	struct mc_error err = { "" };
	const char *path;

	/* an LFS pointer has no header: 0 and CKPT_NONE, for both formats */
	path = write_file("ptr.gguf", lfs_ok, strlen(lfs_ok));
	assert_int_equal(ckpt_read_path(path, &m, &err), 0);
	assert_int_equal(m.format, CKPT_NONE);
	assert_null(m.license);
	ckpt_meta_release(&m);
	path = write_file("ptr.safetensors", lfs_ok, strlen(lfs_ok));
	assert_int_equal(ckpt_read_path(path, &m, &err), 0);
	assert_int_equal(m.format, CKPT_NONE);
	ckpt_meta_release(&m);

	/* a format with no header we read */
	path = write_file("pytorch_model.bin", "PK\3\4 zip", 9);
	assert_int_equal(ckpt_read_path(path, &m, &err), 0);
	assert_int_equal(m.format, CKPT_NONE);
	ckpt_meta_release(&m);

	/* errors name the file */
	path = write_file("broken.gguf", "GGUF\1\0\0\0", 8);
	assert_int_equal(ckpt_read_path(path, &m, &err), -1);
	assert_has(err.msg, path);
	assert_has(err.msg, "': gguf header: version 1 is not supported");
	ckpt_meta_release(&m);

	path = write_file("empty.safetensors", "", 0);
	assert_int_equal(ckpt_read_path(path, &m, &err), -1);
	assert_has(err.msg, "empty.safetensors': safetensors header: the file "
			    "is 0 bytes");
	ckpt_meta_release(&m);

	assert_int_equal(ckpt_read_path("/nonexistent/x.gguf", &m, &err), -1);
	assert_string_equal(err.msg, "'/nonexistent/x.gguf': cannot open: "
				     "No such file or directory");
	ckpt_meta_release(&m);

	assert_int_equal(ckpt_read_path(tmpdir, &m, &err), -1);
	assert_has(err.msg, "not a regular file");
	ckpt_meta_release(&m);
}

/* ---- LFS pointers ------------------------------------------------------------- */

static void test_lfs_pointer_valid(void **state)
{
	char *oid = NULL;
	uint64_t size = 0;

	assert_int_equal(lfs_pointer_parse(lfs_ok, strlen(lfs_ok), &oid,
					   &size), 1);
	assert_string_equal(oid, "4d7a214614ab2935c943f9e0ff69d22eadbb8f32"
				 "b1258daaa5e2ca24d17e2393");
	assert_true(size == UINT64_C(4920734720));
	free(oid);

	/* extension lines, CRLF, no final newline, NULL outputs */
	{
		static const char ext[] =
			"version https://git-lfs.github.com/spec/v1\r\n"
			"ext-0-foo sha256:00\r\n"
			"oid sha256:0000000000000000000000000000000000000000000000000000000000000000\r\n"
			"size 0";

		assert_int_equal(lfs_pointer_parse(ext, strlen(ext), NULL,
						   NULL), 1);
	}
}

static void test_lfs_pointer_rejected(void **state)
{
	static const char *const bad[] = {
		/* bad oids */
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e239\n"
		"size 1\n",
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4D7A214614AB2935C943F9E0FF69D22EADBB8F32B1258DAAA5E2CA24D17E2393\n"
		"size 1\n",
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e239g\n"
		"size 1\n",
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha1:4d7a214614ab2935c943f9e0ff69d22eadbb8f32\n"
		"size 1\n",
		/* bad or missing sizes */
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n",
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
		"size -1\n",
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
		"size 18446744073709551616\n",
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
		"size 1\nsize 2\n",
		/* not pointers */
		"version https://example.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
		"size 1\n",
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
		"version https://git-lfs.github.com/spec/v1\n"
		"size 1\n",
		"version https://git-lfs.github.com/spec/v1\n",
		"---\nlicense: mit\n---\n# A model card\n",
		"{\"__metadata__\": {}}",
		"",
	};
	char big[LFS_POINTER_MAX + 64];
	char *oid = NULL;
	uint64_t size = 42;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (lfs_pointer_parse(bad[i], strlen(bad[i]), &oid, &size))
			fail_msg("taken for a pointer: \"%s\"", bad[i]);
		assert_null(oid);
		assert_true(size == 42);
	}

	/* a NUL byte inside */
	{
		char withnul[sizeof(lfs_ok)];

		memcpy(withnul, lfs_ok, sizeof(lfs_ok));
		withnul[50] = '\0';
		assert_int_equal(lfs_pointer_parse(withnul, strlen(lfs_ok),
						   &oid, &size), 0);
	}

	/* a valid pointer grown past LFS_POINTER_MAX by an extension line */
	snprintf(big, sizeof(big), "%sext-1-x %0*d\n", lfs_ok,
		 (int)(LFS_POINTER_MAX - strlen(lfs_ok)), 7);
	assert_true(strlen(big) >= LFS_POINTER_MAX);
	assert_int_equal(lfs_pointer_parse(big, strlen(big), &oid, &size), 0);
	assert_int_equal(lfs_pointer_parse(lfs_ok, strlen(lfs_ok), NULL, NULL),
			 1);
	assert_int_equal(lfs_pointer_parse(NULL, 0, NULL, NULL), 0);
}

/* ---- weight_format -------------------------------------------------------------- */

static void test_weight_format(void **state)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
		{ "model.safetensors", "safetensors" },
		{ "unet/diffusion_pytorch_model.fp16.SafeTensors", "safetensors" },
		{ "llama-3-8b.Q4_K_M.gguf", "gguf" },
		{ "X.GGUF", "gguf" },
		{ "pytorch_model-00001-of-00002.bin", "pytorch" },
		{ "training_args.bin", "pytorch" },
		{ "model.onnx", "onnx" },
		{ "v1-5-pruned.ckpt", "ckpt" },
		{ "consolidated.00.pth", "pt" },
		{ "model.PT", "pt" },
		{ "model.safetensors.index.json", NULL },
		{ "README.md", NULL },
		{ "weights.gguf/README", NULL },
		{ "model.pt.txt", NULL },
		{ ".bin", NULL },
		{ "dir/.gguf", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *got = weight_format(cases[i].name);

		if (cases[i].want ? !got || strcmp(got, cases[i].want) : !!got)
			fail_msg("weight_format(\"%s\") = %s, want %s",
				 cases[i].name, got ? got : "NULL",
				 cases[i].want ? cases[i].want : "NULL");
	}
	assert_null(weight_format(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gguf_v3_license_after_vocab),
		cmocka_unit_test(test_gguf_v2_license_before_vocab),
		cmocka_unit_test(test_gguf_nested_arrays),
		cmocka_unit_test(test_gguf_array_depth_cap),
		cmocka_unit_test(test_gguf_all_scalar_types),
		cmocka_unit_test(test_gguf_without_license),
		cmocka_unit_test(test_gguf_no_pairs),
		cmocka_unit_test(test_gguf_base_models_and_source),
		cmocka_unit_test(test_gguf_source_forms),
		cmocka_unit_test(test_gguf_skips_big_array_without_reading),
		cmocka_unit_test(test_gguf_bad_magic),
		cmocka_unit_test(test_gguf_versions_rejected),
		cmocka_unit_test(test_gguf_truncated_header),
		cmocka_unit_test(test_gguf_truncated_value),
		cmocka_unit_test(test_gguf_lying_lengths),
		cmocka_unit_test(test_gguf_lying_counts),
		cmocka_unit_test(test_gguf_unknown_types),
		cmocka_unit_test(test_gguf_caps),
		cmocka_unit_test(test_gguf_lfs_pointer_and_read_errors),
		cmocka_unit_test(test_safetensors_metadata),
		cmocka_unit_test(test_safetensors_license_keys),
		cmocka_unit_test(test_safetensors_malformed),
		cmocka_unit_test(test_safetensors_header_cap),
		cmocka_unit_test(test_path_lfs_pointer_and_others),
		cmocka_unit_test(test_lfs_pointer_valid),
		cmocka_unit_test(test_lfs_pointer_rejected),
		cmocka_unit_test(test_weight_format),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
