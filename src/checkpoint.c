/*
 * checkpoint.c: what the checkpoint readers share (checkpoint.h): the
 * result's release, reading through a ckpt_read_fn, which keys speak of a
 * license, which file names are weights, and reading a file on disk by its
 * name's format.
 *
 * The formats themselves live one a file: gguf.c, safetensors.c, and lfs.c
 * for LFS pointers.  Nothing here reads more of a file than the format
 * reader asks for, plus at most LFS_POINTER_MAX bytes of a small file to
 * see whether it is an LFS pointer.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modelcensus/checkpoint.h"
#include "modelcensus/banned.h"

void ckpt_meta_release(struct ckpt_meta *m)
{
	if (!m)
		return;
	free(m->license);
	free(m->license_name);
	free(m->license_link);
	free(m->name);
	free(m->architecture);
	free(m->source_model_id);
	strlist_clear(&m->base_models);
	strlist_clear(&m->extra);
	memset(m, 0, sizeof(*m));
}

int64_t ckpt_read_upto(ckpt_read_fn rd, void *ctx, uint64_t off, void *buf,
		       size_t n)
{
	size_t got = 0;

	while (got < n) {
		long r = rd(ctx, off + got, (char *)buf + got, n - got);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (int64_t)got;
}

int ckpt_license_like(const char *key)
{
	for (const char *p = key; *p; p++) {
		static const char word[] = "licen";
		size_t i = 0;

		while (i < 5 && (p[i] | 0x20) == word[i])
			i++;
		if (i == 5 && ((p[5] | 0x20) == 's' || (p[5] | 0x20) == 'c') &&
		    (p[6] | 0x20) == 'e')
			return 1;
	}
	return 0;
}

const char *weight_format(const char *name)
{
	static const struct {
		const char *ext, *format;
	} table[] = {
		{ ".safetensors", "safetensors" },
		{ ".gguf", "gguf" },
		{ ".bin", "pytorch" },	/* the spec's discovery rule: any *.bin */
		{ ".onnx", "onnx" },
		{ ".ckpt", "ckpt" },
		{ ".pt", "pt" },
		{ ".pth", "pt" },
	};
	const char *base;

	if (!name)
		return NULL;
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (strlen(base) > strlen(table[i].ext) &&
		    str_has_isuffix(base, table[i].ext))
			return table[i].format;
	return NULL;
}

/* ---- files on disk -------------------------------------------------------- */

static long pread_reader(void *ctx, uint64_t off, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	ssize_t r;

	if (off > (uint64_t)INT64_MAX)
		return -1;
	if (len > (size_t)LONG_MAX)
		len = (size_t)LONG_MAX;
	do
		r = pread(fd, buf, len, (off_t)off);
	while (r < 0 && errno == EINTR);
	return (long)r;
}

int ckpt_read_path(const char *path, struct ckpt_meta *out,
		   struct mc_error *err)
{
	const char *format = weight_format(path);
	struct mc_error inner;
	struct stat st;
	char small[LFS_POINTER_MAX];
	int fd = -1, ret = -1;

	memset(out, 0, sizeof(*out));
	inner.msg[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mc_error_set(err, "'%s': cannot open: %s", path,
			     strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		mc_error_set(err, "'%s': cannot stat: %s", path,
			     strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		mc_error_set(err, "'%s': not a regular file", path);
		goto done;
	}
	if ((uint64_t)st.st_size < LFS_POINTER_MAX) {
		int64_t got = ckpt_read_upto(pread_reader, &fd, 0, small,
					(size_t)st.st_size);

		if (got < 0) {
			mc_error_set(err, "'%s': cannot read: %s", path,
				     strerror(errno));
			goto done;
		}
		if (lfs_pointer_parse(small, (size_t)got, NULL, NULL)) {
			ret = 0;	/* a pointer has no header */
			goto done;
		}
	}
	if (format && !strcmp(format, "gguf"))
		ret = ckpt_read_gguf(pread_reader, &fd, (uint64_t)st.st_size,
				     out, &inner);
	else if (format && !strcmp(format, "safetensors"))
		ret = ckpt_read_safetensors(pread_reader, &fd,
					    (uint64_t)st.st_size, out, &inner);
	else
		ret = 0;	/* no header we read */
	if (ret < 0)
		mc_error_set(err, "'%s': %s", path, inner.msg);
done:
	if (fd >= 0)
		close(fd);
	return ret;
}
