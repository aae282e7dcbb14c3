/*
 * cmd_scan.c: `modelcensus scan`: parses the options, runs the pipeline
 * (scan.c) and prints its progress line and summary.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modelcensus/checkpoint.h"
#include "modelcensus/cmd.h"
#include "modelcensus/scan.h"
#include "modelcensus/banned.h"

#define SCAN_MAX_JOBS 256

static const char scan_usage[] =
"usage: modelcensus scan [options] PATH...\n"
"\n"
"Finds every model under each PATH (git work trees, bare repositories,\n"
"Hugging Face cache folders, checkpoint folders, GGUF files) and records it\n"
"in the inventory database.  A PATH is a folder or a .gguf file; each is\n"
"checked before the scan starts (missing, unreadable, or a file that is\n"
"not a .gguf model: exit 2, nothing scanned).  A PATH inside another PATH,\n"
"or given twice, is walked once, as part of the other.\n"
"\n"
"  --db FILE      the inventory database (default: inventory.db)\n"
"  --jobs N       worker threads (default: the number of cores)\n"
"  --rules DIR    load rules from DIR too; a rule with an existing id\n"
"                 replaces it (repeatable)\n"
"  --shard K/N    scan only the K-th (0 <= K < N) of N partitions of the\n"
"                 models, by a stable hash of each model's absolute path\n"
"                 (so give every machine the same paths)\n"
"  --full         re-read every model, even unchanged ones\n"
"  --model-id-from-path\n"
"                 a git repository without a remote (a copied mirror)\n"
"                 takes its model id, org/name, from the last two\n"
"                 components of its path (a trailing .git dropped)\n"
"  --history      also record each git, bare and cache model's license\n"
"                 history: its own verdict at every commit of HEAD's\n"
"                 first-parent history that changed its card or license\n"
"                 files (a rescan reads only newer commits), and at each\n"
"                 cache snapshot (explain --history shows it)\n"
"  --quiet        no progress line\n"
"  -h, --help     this help\n"
"\n"
"A model that cannot be read gets a row with its error; the scan goes on\n"
"and exits 0.  Exit 2: usage error; 3: database or rules unusable.\n";

/*
 * A root inside another given root, or given twice, is walked once, as
 * part of the other (the first of equal ones): walked again, its models
 * would be found, and counted, twice.  Roots are compared as the file
 * system resolves them.
 */
static void drop_nested_roots(struct strlist *roots)
{
	char **real = xcalloc(roots->n, sizeof(*real));
	size_t kept = 0;

	for (size_t i = 0; i < roots->n; i++)
		real[i] = realpath(roots->v[i], NULL);
	for (size_t i = 0; i < roots->n; i++) {
		size_t j;

		for (j = 0; j < roots->n; j++)
			if (j != i && real[i] && real[j] && path_within(real[i], real[j]) &&
			    (strcmp(real[i], real[j]) || j < i))
				break;
		if (j < roots->n) {
			if (strcmp(real[i], real[j]))
				fprintf(stderr, "modelcensus: warning: '%s' is inside '%s': walked once, as part of it\n",
					roots->v[i], roots->v[j]);
			else
				fprintf(stderr, "modelcensus: warning: '%s' is given twice: walked once\n",
					roots->v[i]);
			free(roots->v[i]);
		} else {
			roots->v[kept++] = roots->v[i];
		}
	}
	for (size_t i = 0; i < roots->n; i++)
		free(real[i]);
	free(real);
	roots->n = kept;
}

/*
 * Every PATH is checked before any work, so a scan never runs only to
 * say afterwards that a PATH was not one: it must be a readable folder or
 * a readable .gguf file (the walker's file root).  Says why not, -1.
 */
static int check_root(const char *path)
{
	struct stat st;
	const char *fmt;

	if (stat(path, &st) < 0 || access(path, R_OK) < 0)
		return cmd_fail(-1, "cannot read '%s': %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (access(path, X_OK) < 0)
			return cmd_fail(-1, "cannot read '%s': %s", path, strerror(errno));
		return 0;
	}
	fmt = S_ISREG(st.st_mode) ? weight_format(path) : NULL;
	if (!fmt || strcmp(fmt, "gguf"))
		return cmd_fail(-1, "'%s' is neither a folder nor a .gguf file: give the folder that holds the model", path);
	return 0;
}

static int parse_shard(const char *arg, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	errno = 0;
	a = strtoul(arg, &end, 10);
	if (end == arg || *end != '/' || errno)
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || errno || b == 0 || b > 1000000 || a >= b)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

/* scan_options.progress: the line on a terminal, rewritten in place */
static void show_progress(void *ctx, size_t found, size_t done, double secs,
			  int final)
{
	(void)ctx;
	fprintf(stderr, "\rscan: %zu found, %zu scanned, %.0f models/s, %.1fs%s",
		found, done, secs > 0 ? (double)done / secs : 0.0, secs,
		final ? "\n" : "");
}

/* scan_options.history_progress: a long walk's line on a terminal */
static void show_history_progress(void *ctx, const char *path, size_t commits,
				  int final)
{
	(void)ctx;
	fprintf(stderr, "\rhistory: %zu commits of '%s'%s", commits, path,
		final ? "\n" : "");
}

/* ": a, b, c and 4 more" for the first names of n */
static void print_names(const struct strlist *names, size_t n)
{
	for (size_t i = 0; i < names->n; i++)
		printf("%s%s", i ? ", " : ": ", names->v[i]);
	if (n > names->n)
		printf(" and %zu more", n - names->n);
}

/* What the scan changed: the models whose commercial use changed and
 * those gone, by name (the first few), and where the rest is. */
static void print_changes(const struct change_summary *ch, size_t gone, const char *db)
{
	if (gone) {
		printf("  gone:           %zu models no longer found", gone);
		if (ch->recorded)
			print_names(&ch->gone_paths, ch->gone);
		putchar('\n');
	}
	if (!ch->recorded) {
		printf("  changes:        none listed: the database's first scan, so every model is new\n");
		return;
	}
	if (ch->commercial) {
		printf("  commercial use changed: %zu models", ch->commercial);
		for (size_t i = 0; i < ch->commercial_paths.n; i++)
			printf("%s%s (%s -> %s)", i ? ", " : ": ", ch->commercial_paths.v[i],
			       commercial_name(ch->commercial_from[i]),
			       commercial_name(ch->commercial_to[i]));
		if (ch->commercial > ch->commercial_paths.n)
			printf(" and %zu more", ch->commercial - ch->commercial_paths.n);
		putchar('\n');
	}
	if (!ch->added && !ch->changed && !ch->gone)
		printf("  changes:        none since the last scan\n");
	else
		printf("  changes:        %zu new, %zu changed, %zu gone since the last scan (modelcensus diff%s%s%s)\n",
		       ch->added, ch->changed, ch->gone, strcmp(db, "inventory.db") ? " --db '" : "",
		       strcmp(db, "inventory.db") ? db : "", strcmp(db, "inventory.db") ? "'" : "");
}

static void print_summary(const struct scan_summary *c, const char *db,
			  int history)
{
	double secs = c->secs;

	printf("scanned %zu models in %.2fs (%.0f models/s)\n", c->done, secs,
	       secs > 0 ? (double)c->done / secs : 0.0);
	if (c->unchanged)
		printf("  unchanged:      %zu models not re-read (--full re-reads them)\n",
		       c->unchanged);
	printf("  by layout:      git %zu, bare %zu, hf-cache %zu, dir %zu, file %zu\n",
	       c->by_layout[LAYOUT_GIT], c->by_layout[LAYOUT_BARE],
	       c->by_layout[LAYOUT_HF_CACHE], c->by_layout[LAYOUT_DIR],
	       c->by_layout[LAYOUT_FILE]);
	printf("  commercial use: allowed %zu, conditional %zu, not-allowed %zu, unknown %zu\n",
	       c->by_commercial[CU_ALLOWED], c->by_commercial[CU_CONDITIONAL],
	       c->by_commercial[CU_NOT_ALLOWED], c->by_commercial[CU_UNKNOWN]);
	printf("  skipped:        %zu datasets, %zu spaces\n", c->datasets, c->spaces);
	if (c->repos_without_model)
		printf("  repositories without a model: %zu\n", c->repos_without_model);
	printf("  errors:         %zu models%s\n", c->errors,
	       c->errors ? " (modelcensus report --where 'error IS NOT NULL')" : "");
	print_changes(&c->changes, c->gone, db);
	if (history) {
		printf("  history:        %zu models walked, %zu commits read, %zu revisions recorded",
		       c->history_models, c->history_commits, c->history_revisions);
		if (c->history_errors)
			printf(", %zu with errors", c->history_errors);
		if (c->history_shallow)
			printf(", %zu shallow clones (history ends early)", c->history_shallow);
		printf(" (modelcensus explain --history MODEL)\n");
	}
	printf("inventory: %s\n", db);
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "rules", required_argument, NULL, 'r' },
		{ "shard", required_argument, NULL, 's' },
		{ "full", no_argument, NULL, 'f' },
		{ "model-id-from-path", no_argument, NULL, 'M' },
		{ "history", no_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cmd_options opts = { "scan", scan_usage, "", longopts };
	const char *db = "inventory.db";
	struct strlist rule_dirs = STRLIST_INIT, roots = STRLIST_INIT;
	struct scan_options s;
	struct scan_summary sum;
	struct mc_error err;
	unsigned long jobs = 0;
	int quiet = 0, full = 0, opt, rc = EXIT_DONE;
	char shard[64] = "";

	memset(&s, 0, sizeof(s));
	memset(&sum, 0, sizeof(sum));
	while ((opt = cmd_getopt(argc, argv, &opts, &rc)) != -1) {
		switch (opt) {
		case 'd': db = optarg; break;
		case 'j': {
			char *end;

			jobs = strtoul(optarg, &end, 10);
			if (*end || !jobs || jobs > SCAN_MAX_JOBS) {
				rc = cmd_usage_error("scan", "--jobs takes a number from 1 to %d, not '%s'",
						     SCAN_MAX_JOBS, optarg);
				goto out;
			}
			break;
		}
		case 'r': strlist_add(&rule_dirs, optarg); break;
		case 's':
			if (parse_shard(optarg, &s.shard_k, &s.shard_n) < 0) {
				rc = cmd_usage_error("scan", "--shard takes K/N with 0 <= K < N, not '%s'",
						     optarg);
				goto out;
			}
			snprintf(shard, sizeof(shard), "%u/%u", s.shard_k, s.shard_n);
			break;
		case 'f': full = 1; break;
		case 'M': s.model_id_from_path = 1; break;
		case 'H': s.history = 1; break;
		case 'q': quiet = 1; break;
		default: goto out;	/* CMD_OPT_STOP: help printed or usage error said */
		}
	}
	if (optind >= argc) {
		rc = cmd_usage_error("scan", "needs at least one PATH");
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		/* roots are recorded absolute, as model paths are: a model
		 * is under its root, whatever the directory the scan ran in */
		char *abs;

		if (check_root(argv[i]) < 0) {
			rc = EXIT_USAGE;
			goto out;
		}
		abs = path_absolute(argv[i]);
		if (!abs) {
			rc = cmd_fail(EXIT_USAGE, "cannot read '%s': %s", argv[i], strerror(errno));
			goto out;
		}
		strlist_add_nodup(&roots, abs);
	}
	drop_nested_roots(&roots);
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = n > 0 ? (unsigned long)(n < SCAN_MAX_JOBS ? n : SCAN_MAX_JOBS) : 1;
	}

	s.db = db;
	s.roots = (const char *const *)roots.v;
	s.nroots = roots.n;
	s.rule_dirs = (const char *const *)rule_dirs.v;
	s.nrule_dirs = rule_dirs.n;
	s.jobs = jobs;
	s.full = full;
	if (!quiet && isatty(STDERR_FILENO))
		s.progress = show_progress;
	if (!quiet && isatty(STDERR_FILENO))
		s.history_progress = show_history_progress;

	rc = scan_run(&s, &sum, &err);
	for (size_t i = 0; i < sum.walk_errors.n; i++)
		cmd_fail(0, "%s", sum.walk_errors.v[i]);
	if (rc < 0) {
		rc = cmd_fail(EXIT_CANNOT_RUN, "%s", err.msg);
		goto out;
	}
	for (size_t i = 0; i < sum.problems.n; i++)
		fprintf(stderr, "modelcensus: warning: %s\n", sum.problems.v[i]);
	if (sum.errors)
		fprintf(stderr, "modelcensus: %zu models could not be read completely; their rows say why\n",
			sum.errors);
	print_summary(&sum, db, s.history);
	rc = sum.walk_errors.n ? EXIT_USAGE : EXIT_DONE;

out:
	scan_summary_release(&sum);
	strlist_clear(&rule_dirs);
	strlist_clear(&roots);
	return rc;
}
