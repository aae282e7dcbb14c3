/*
 * hub_id.h: Hugging Face Hub model ids from the ways they are written: an
 * id ("org/name"), a Hub URL, a git remote, a cache folder name.
 *
 * hub_id.c owns: the one reading of a Hub model URL (scheme, host, models/
 * prefix, /tree|/blob|/resolve suffixes, .git, query, fragment, pages that
 * are not models), the characters a Hub name may hold, and the generic git
 * remote fallback (the last two path components).  It never does I/O and
 * never maps ids through rules.
 */
#ifndef MODELCENSUS_HUB_ID_H
#define MODELCENSUS_HUB_ID_H

#include <stddef.h>

#define HUB_PART_MAX 96		/* bytes of an organisation or repository name */

/*
 * The model id a value names, as a new string the caller frees, or NULL.
 * Leading and trailing white space is ignored; anything with white space
 * inside is no id.
 *
 *  - "org/name": itself, when both parts are Hub names (hub_id_part_ok);
 *    a one-part word ("gpt2") is not recognised as an id on its own.
 *  - a Hub URL: an optional scheme ("https://", "http://", "ssh://"... with
 *    an optional "user@" and ":port"), then the host huggingface.co or
 *    hf.co (any case, optional "www."), then "/": the path's first two
 *    parts after an optional "models/", without a query, fragment, trailing
 *    slash or ".git".  A second part "tree", "blob" or "resolve", or none,
 *    leaves a one-part id ("https://huggingface.co/gpt2/tree/main" is
 *    "gpt2").  Pages that are not models (datasets/, spaces/, docs/, api/,
 *    papers/ ...) give NULL.
 */
char *hub_id_parse(const char *s);

/*
 * The model id of a git remote URL: a Hub URL as hub_id_parse() reads it
 * (NULL for one that names no model), anything else (git@host:org/name.git,
 * https://gitlab.example.com/group/org/name, /srv/mirror/org/name.git,
 * file://...) its last two path components, without trailing slashes and
 * ".git".  NULL when there are not two.
 */
char *hub_id_from_remote(const char *url);

/* "org/name" from a cache folder name "models--org--name" (the last path
 * component of folder), "name" from "models--name", or NULL. */
char *hub_id_from_cache(const char *folder);

/* Is s[0..n) an organisation or repository name the Hub allows: 1 to
 * HUB_PART_MAX of [A-Za-z0-9._-], not "." or ".."? */
int hub_id_part_ok(const char *s, size_t n);

#endif
