/*
 * hub_id.c: Hub model ids from ids, Hub URLs, git remotes and cache folder
 * names (hub_id.h).  Every place that reads a Hub id (cards' base_model,
 * GGUF source and base-model keys, remotes, cache folders) goes through
 * here, so that one value always reads as the same id.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "modelcensus/hub_id.h"
#include "modelcensus/util.h"
#include "modelcensus/banned.h"

int hub_id_part_ok(const char *s, size_t n)
{
	if (!n || n > HUB_PART_MAX || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.'))
			return 0;
	}
	return 1;
}

/* Is s[0..n) exactly word? */
static int is_word(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

/* Is host[0..n) the Hub's (any case, optional "www.")? */
static int is_hub_host(const char *host, size_t n)
{
	if (n > 4 && !strncasecmp(host, "www.", 4)) {
		host += 4;
		n -= 4;
	}
	return (n == 14 && !strncasecmp(host, "huggingface.co", 14)) ||
	       (n == 5 && !strncasecmp(host, "hf.co", 5));
}

/* The path after a Hub URL's host and its "/", or NULL when s is not a
 * Hub URL. */
static const char *hub_url_path(const char *s)
{
	const char *p = strstr(s, "://"), *slash, *at, *colon;

	if (p) {
		for (const char *q = s; q < p; q++)
			if (!strchr("abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.", *q))
				return NULL;
		p += 3;
	} else {
		p = s;
	}
	slash = strchr(p, '/');
	if (!slash)
		return NULL;
	at = memchr(p, '@', (size_t)(slash - p));
	if (at && p != s)	/* user info only after a scheme */
		p = at + 1;
	colon = memchr(p, ':', (size_t)(slash - p));
	if (!is_hub_host(p, (size_t)((colon ? colon : slash) - p)))
		return NULL;
	return slash + 1;
}

/* The id a Hub URL's path names (see hub_id_parse()), or NULL. */
static char *hub_path_id(const char *path)
{
	static const char *const not_models[] = {
		"datasets", "spaces", "api", "docs", "models", "papers",
		"collections", "organizations", "blog", "settings",
	};
	const char *org = path, *name;
	size_t org_n, name_n, end = strcspn(path, "?#");

	if (end > 7 && !strncasecmp(org, "models/", 7))
		org += 7;
	org_n = strcspn(org, "/?#");
	for (size_t i = 0; i < sizeof(not_models) / sizeof(*not_models); i++)
		if (strlen(not_models[i]) == org_n &&
		    !strncasecmp(org, not_models[i], org_n))
			return NULL;	/* any case: the Hub reserves them */
	name = org + org_n;
	name_n = 0;
	if (*name == '/') {
		name++;
		name_n = strcspn(name, "/?#");
		if (is_word(name, name_n, "tree") ||
		    is_word(name, name_n, "blob") ||
		    is_word(name, name_n, "resolve"))
			name_n = 0;
	}
	if (name_n) {
		if (name_n > 4 && !memcmp(name + name_n - 4, ".git", 4))
			name_n -= 4;
	} else if (org_n > 4 && !memcmp(org + org_n - 4, ".git", 4)) {
		org_n -= 4;	/* a one-part id's own clone URL */
	}
	if (!hub_id_part_ok(org, org_n) ||
	    (name_n && !hub_id_part_ok(name, name_n)))
		return NULL;
	if (!name_n)
		return xstrndup(org, org_n);
	return xstrfmt("%.*s/%.*s", (int)org_n, org, (int)name_n, name);
}

char *hub_id_parse(const char *s)
{
	char *t = str_trim(xstrdup(s ? s : "")), *id = NULL;
	const char *path, *slash;

	for (const char *p = t; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			goto done;	/* white space or a control inside */
	path = hub_url_path(t);
	if (path) {
		id = hub_path_id(path);
		goto done;
	}
	slash = strchr(t, '/');
	if (slash && hub_id_part_ok(t, (size_t)(slash - t)) &&
	    hub_id_part_ok(slash + 1, strlen(slash + 1)))
		id = xstrdup(t);
done:
	free(t);
	return id;
}

char *hub_id_from_remote(const char *url)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *name, *org;
	char *id = NULL;

	if (!url || !*url)
		return NULL;
	if (hub_url_path(url))
		return hub_id_parse(url);
	/* the path: after "scheme://host/", after scp-like "[user@]host:"
	 * (a colon before any slash), else all of it */
	p = strstr(url, "://");
	if (p) {
		p = strchr(p + 3, '/');
		if (!p)
			return NULL;
		p++;
	} else {
		p = strchr(url, ':');
		if (p && (!strchr(url, '/') || p < strchr(url, '/')))
			p++;
		else
			p = url;
	}
	strbuf_adds(&sb, p);
	while (sb.len && sb.buf[sb.len - 1] == '/')
		sb.buf[--sb.len] = '\0';
	if (str_has_suffix(sb.buf, ".git"))
		sb.buf[sb.len -= 4] = '\0';
	while (sb.len && sb.buf[sb.len - 1] == '/')
		sb.buf[--sb.len] = '\0';
	name = strrchr(sb.buf, '/');
	if (!name || name == sb.buf || !name[1])
		goto done;
	org = name - 1;
	while (org > sb.buf && org[-1] != '/' && org[-1] != ':')
		org--;
	if (name - org == 1 && *org == '.')
		goto done;
	id = xstrfmt("%.*s/%s", (int)(name - org), org, name + 1);
done:
	strbuf_release(&sb);
	return id;
}

char *hub_id_from_cache(const char *folder)
{
	const char *base = strrchr(folder, '/');
	const char *sep;

	base = base ? base + 1 : folder;
	if (!str_has_prefix(base, "models--") || !base[8])
		return NULL;
	base += 8;
	sep = strstr(base, "--");
	if (!sep)
		return xstrdup(base);
	if (sep == base || !sep[2])
		return NULL;
	return xstrfmt("%.*s/%s", (int)(sep - base), base, sep + 2);
}
