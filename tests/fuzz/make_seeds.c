/*
 * make_seeds.c: writes small, valid checkpoint headers for the fuzz targets
 * to start from (tests/fuzz/README.md): `make_seeds gguf DIR` writes GGUF
 * files (versions 2 and 3, every value type, nested arrays, base models,
 * source URLs, license keys), `make_seeds safetensors DIR` writes
 * safetensors files (metadata of strings, non-strings, no metadata) and an
 * LFS pointer.  A host tool built by fuzz.mk; nothing of the library is
 * linked, so the seeds do not depend on the code under test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_U8, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STRING,
       T_ARRAY, T_U64, T_I64, T_F64 };

struct buf {
	unsigned char *p;
	size_t n, alloc;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (b->n + n > b->alloc) {
		b->alloc = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->alloc);
		if (!b->p) {
			perror("make_seeds");
			exit(1);
		}
	}
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

static void put_le(struct buf *b, uint64_t v, int bytes)
{
	unsigned char x[8];

	for (int i = 0; i < bytes; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	put(b, x, (size_t)bytes);
}

static void put_str(struct buf *b, const char *s)
{
	put_le(b, strlen(s), 8);
	put(b, s, strlen(s));
}

static void kv_str(struct buf *b, const char *key, const char *val)
{
	put_str(b, key);
	put_le(b, T_STRING, 4);
	put_str(b, val);
}

static void kv_u32(struct buf *b, const char *key, uint32_t v)
{
	put_str(b, key);
	put_le(b, T_U32, 4);
	put_le(b, v, 4);
}

static void gguf_head(struct buf *b, uint32_t version, uint64_t tensors, uint64_t kvs)
{
	put(b, "GGUF", 4);
	put_le(b, version, 4);
	put_le(b, tensors, 8);
	put_le(b, kvs, 8);
}

static void save(const char *dir, const char *name, const struct buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->n, f) != b->n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void gguf_seeds(const char *dir)
{
	struct buf b = { 0 };

	/* a llama.cpp-style header: license, names, base models, source */
	gguf_head(&b, 3, 0, 12);
	kv_str(&b, "general.architecture", "llama");
	kv_str(&b, "general.name", "Meta Llama 3.1 8B Instruct");
	kv_str(&b, "general.license", "llama3.1");
	kv_str(&b, "general.license.name", "Llama 3.1 Community License");
	kv_str(&b, "general.license.link", "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/LICENSE");
	kv_u32(&b, "general.base_model.count", 2);
	kv_str(&b, "general.base_model.0.repo_url", "https://huggingface.co/meta-llama/Llama-3.1-8B");
	kv_str(&b, "general.base_model.1.organization", "Qwen");
	kv_str(&b, "general.base_model.1.name", "Qwen2.5-7B");
	kv_str(&b, "general.source.huggingface.repository", "unsloth/Llama-3.1-8B-Instruct");
	kv_str(&b, "general.repo_url", "https://huggingface.co/unsloth/Llama-3.1-8B-Instruct");
	kv_str(&b, "tokenizer.ggml.license", "apache-2.0");
	save(dir, "llama-v3.gguf", &b);

	/* version 2, every fixed type, arrays of strings and of arrays */
	b.n = 0;
	gguf_head(&b, 2, 1, 16);
	for (int t = T_U8; t <= T_F64; t++) {
		static const int sizes[] = { 1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8 };
		char key[32];

		if (t == T_STRING || t == T_ARRAY)
			continue;
		snprintf(key, sizeof(key), "test.type%d", t);
		put_str(&b, key);
		put_le(&b, (uint64_t)t, 4);
		put_le(&b, 1, sizes[t]);
	}
	put_str(&b, "tokenizer.ggml.tokens");
	put_le(&b, T_ARRAY, 4);
	put_le(&b, T_STRING, 4);
	put_le(&b, 3, 8);
	put_str(&b, "<s>");
	put_str(&b, "</s>");
	put_str(&b, "license");
	put_str(&b, "test.nested");
	put_le(&b, T_ARRAY, 4);
	put_le(&b, T_ARRAY, 4);
	put_le(&b, 2, 8);
	for (int i = 0; i < 2; i++) {
		put_le(&b, T_U16, 4);
		put_le(&b, 2, 8);
		put_le(&b, 7, 2);
		put_le(&b, 9, 2);
	}
	kv_str(&b, "general.source.url", "https://github.com/example/model");
	kv_str(&b, "general.source.repo_url", "https://hf.co/org/name");
	kv_u32(&b, "general.license", 7);	/* not a string: skipped */
	/* one tensor info, never read */
	put_str(&b, "token_embd.weight");
	put_le(&b, 2, 4);
	put_le(&b, 4, 8);
	put_le(&b, 4, 8);
	put_le(&b, 0, 4);
	put_le(&b, 0, 8);
	save(dir, "types-v2.gguf", &b);

	/*
	 * A vocabulary of 9,000 tokens (about 150 KiB) before the license
	 * keys, so that reads cross the reader's 64 KiB window (a token
	 * straddles its first edge).
	 */
	b.n = 0;
	gguf_head(&b, 3, 0, 5);
	kv_str(&b, "general.architecture", "llama");
	put_str(&b, "tokenizer.ggml.tokens");
	put_le(&b, T_ARRAY, 4);
	put_le(&b, T_STRING, 4);
	put_le(&b, 9000, 8);
	for (int i = 0; i < 9000; i++) {
		char tok[16];

		snprintf(tok, sizeof(tok), "tok%05d", i);
		put_str(&b, tok);
	}
	kv_str(&b, "general.license.link", "https://huggingface.co/org/name/blob/main/LICENSE");
	kv_str(&b, "general.license", "other");
	kv_str(&b, "general.license.name", "a license named in a long vocabulary file");
	save(dir, "vocab.gguf", &b);

	/* version 1 and a big-endian magic: rejected with a reason */
	b.n = 0;
	gguf_head(&b, 1, 0, 0);
	save(dir, "v1.gguf", &b);
	b.n = 0;
	put(&b, "GGUF", 4);
	put(&b, "\0\0\0\3", 4);
	put_le(&b, 0, 8);
	put_le(&b, 0, 8);
	save(dir, "big-endian.gguf", &b);
	free(b.p);
}

static void safetensors_one(const char *dir, const char *name, const char *json)
{
	struct buf b = { 0 };

	put_le(&b, strlen(json), 8);
	put(&b, json, strlen(json));
	put(&b, "\0\0\0\0\0\0\0\0", 8);	/* tensor data */
	save(dir, name, &b);
	free(b.p);
}

static void safetensors_seeds(const char *dir)
{
	struct buf b = { 0 };
	static const char lfs[] =
		"version https://git-lfs.github.com/spec/v1\n"
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
		"size 12345\n";

	safetensors_one(dir, "metadata.safetensors",
			"{\"__metadata__\":{\"format\":\"pt\",\"license\":\"apache-2.0\","
			"\"modelspec.title\":\"SDXL\",\"modelspec.architecture\":\"sdxl\","
			"\"modelspec.license\":\"openrail++\",\"license_url\":\"https://x\"},"
			"\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
	safetensors_one(dir, "non-string.safetensors",
			"{\"__metadata__\":{\"license\":1,\"name\":[\"a\"],\"Licence\":\"mit\"}}");
	safetensors_one(dir, "plain.safetensors",
			"{\"w\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}");
	safetensors_one(dir, "not-object.safetensors", "[1,2,3]");
	put(&b, lfs, sizeof(lfs) - 1);
	save(dir, "lfs-pointer", &b);
	free(b.p);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "gguf"))
		gguf_seeds(argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "safetensors"))
		safetensors_seeds(argv[2]);
	else {
		fprintf(stderr, "usage: make_seeds gguf|safetensors DIR\n");
		return 2;
	}
	return 0;
}
