/*
 * fuzz_gguf.c: libFuzzer target for the GGUF header reader (checkpoint.h):
 * the input is a whole .gguf file served from memory through a
 * ckpt_read_fn, read with ckpt_read_gguf() once as it is and once more with
 * a reader that fails half-way (an I/O error in the middle of the header).
 *
 * Besides what the sanitizers catch, it checks what checkpoint.h promises:
 * a failure says why, a success is a GGUF of version 2 or 3, the result
 * stays within CKPT_MAX_BASE_MODELS and CKPT_MAX_EXTRA, and a read error is
 * never taken for a good header.  Allocations above -malloc_limit_mb (the
 * rss limit by default) are reported by libFuzzer, which is what a count
 * trusted before checking against the file size looks like here.
 */
#include "fuzz.h"

#include "modelcensus/checkpoint.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

static int fuzz_gguf_init(void)
{
	return 0;
}

/* What every ckpt_meta must look like, whatever the reader returned. */
static void fuzz_ckpt_check_meta(const struct ckpt_meta *m)
{
	const char *const fields[] = { m->license, m->license_name, m->license_link,
				       m->name, m->architecture, m->source_model_id };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i])
			(void)strlen(fields[i]);
	FUZZ_CHECK(m->base_models.n <= CKPT_MAX_BASE_MODELS);
	FUZZ_CHECK(m->extra.n <= CKPT_MAX_EXTRA);
	for (size_t i = 0; i < m->base_models.n; i++)
		FUZZ_CHECK(m->base_models.v[i] && *m->base_models.v[i]);
	for (size_t i = 0; i < m->extra.n; i++)
		FUZZ_CHECK(m->extra.v[i] && strchr(m->extra.v[i], '='));
}

static int fuzz_gguf_one(const uint8_t *data, size_t size)
{
	struct fuzz_mem mem = { data, size, 0, 0, 0 };
	struct ckpt_meta meta;
	struct mc_error err;
	unsigned long calls;
	int rc;

	err.msg[0] = '\0';
	rc = ckpt_read_gguf(fuzz_mem_read, &mem, size, &meta, &err);
	if (rc) {
		FUZZ_CHECK(rc == -1 && err.msg[0]);
	} else {
		FUZZ_CHECK(meta.format == CKPT_GGUF);
		FUZZ_CHECK(meta.version == 2 || meta.version == 3);
	}
	fuzz_ckpt_check_meta(&meta);
	ckpt_meta_release(&meta);

	/* again, with the reader failing at the middle call */
	calls = mem.calls;
	if (calls < 1)
		return 0;
	mem.calls = 0;
	mem.fail_at = calls / 2 + 1;
	err.msg[0] = '\0';
	rc = ckpt_read_gguf(fuzz_mem_read, &mem, size, &meta, &err);
	FUZZ_CHECK(!mem.failed || (rc == -1 && err.msg[0]));
	fuzz_ckpt_check_meta(&meta);
	ckpt_meta_release(&meta);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return fuzz_gguf_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_gguf_one(data, size);
}
#endif
