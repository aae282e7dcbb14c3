/*
 * fuzz_safetensors.c: libFuzzer target for the safetensors header reader
 * and the Git LFS pointer parser (checkpoint.h): the input is a whole
 * .safetensors file served from memory through a ckpt_read_fn, read with
 * ckpt_read_safetensors() once as it is and once with a reader that fails
 * at its last call; the same bytes go to lfs_pointer_parse() (the check
 * ckpt_read_path() makes before either header reader).
 *
 * Besides what the sanitizers catch, it checks what checkpoint.h promises:
 * a failure says why, a success is a safetensors header, a read error is
 * never taken for a good header, and a pointer that parses has an oid of 64
 * lower-case hex digits.
 */
#include "fuzz.h"

#include "modelcensus/checkpoint.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

static int fuzz_safetensors_init(void)
{
	return 0;
}

static void fuzz_safetensors_check_meta(const struct ckpt_meta *m)
{
	const char *const fields[] = { m->license, m->license_name, m->license_link,
				       m->name, m->architecture, m->source_model_id };

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i])
			(void)strlen(fields[i]);
	FUZZ_CHECK(m->base_models.n <= CKPT_MAX_BASE_MODELS);
	FUZZ_CHECK(m->extra.n <= CKPT_MAX_EXTRA);
}

static int fuzz_safetensors_one(const uint8_t *data, size_t size)
{
	struct fuzz_mem mem = { data, size, 0, 0, 0 };
	struct ckpt_meta meta;
	struct mc_error err;
	unsigned long calls;
	char *oid = NULL;
	uint64_t lfs_size = 0;
	int rc;

	err.msg[0] = '\0';
	rc = ckpt_read_safetensors(fuzz_mem_read, &mem, size, &meta, &err);
	if (rc)
		FUZZ_CHECK(rc == -1 && err.msg[0]);
	else
		FUZZ_CHECK(meta.format == CKPT_SAFETENSORS);
	fuzz_safetensors_check_meta(&meta);
	ckpt_meta_release(&meta);

	calls = mem.calls;
	if (calls >= 1) {
		mem.calls = 0;
		mem.fail_at = calls;
		err.msg[0] = '\0';
		rc = ckpt_read_safetensors(fuzz_mem_read, &mem, size, &meta, &err);
		FUZZ_CHECK(!mem.failed || (rc == -1 && err.msg[0]));
		fuzz_safetensors_check_meta(&meta);
		ckpt_meta_release(&meta);
	}

	if (lfs_pointer_parse((const char *)data, size, &oid, &lfs_size)) {
		FUZZ_CHECK(oid && strlen(oid) == 64);
		for (size_t i = 0; i < 64; i++)
			FUZZ_CHECK((oid[i] >= '0' && oid[i] <= '9') ||
				   (oid[i] >= 'a' && oid[i] <= 'f'));
		FUZZ_CHECK(size < LFS_POINTER_MAX);
		free(oid);
	} else {
		FUZZ_CHECK(oid == NULL && lfs_size == 0);
	}
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return fuzz_safetensors_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_safetensors_one(data, size);
}
#endif
