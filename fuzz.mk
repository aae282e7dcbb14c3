# fuzz.mk: the libFuzzer targets of tests/fuzz (see tests/fuzz/README.md),
# included from the Makefile (it also works alone: make -f fuzz.mk fuzz).
#
#   make fuzz-build          build every target into $(FUZZ_BUILD)/
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="card gguf"]
#                            run each target for FUZZ_SECONDS seconds, one
#                            after the other; fails when any of them crashed
#   make fuzz-clean          remove $(FUZZ_BUILD)/
#
# The library objects (src/*.c but main.c and cmd_*.c) are compiled again
# with clang, coverage instrumentation, AddressSanitizer and UBSan (every
# UBSan report is fatal) into $(FUZZ_BUILD)/obj/.  Seeds are generated at
# run time into $(FUZZ_BUILD)/seeds/<target>/ from the source tree and, when
# present, ../shared; what a run finds stays in $(FUZZ_BUILD)/corpus/<target>/
# for the next run, and a crashing input is written to
# $(FUZZ_BUILD)/artifacts/<target>/: copy it to tests/fuzz/regressions/<target>/
# so that `make check` replays it (tests/unit/test_fuzz_regressions.c).

FUZZ_MK      := $(lastword $(MAKEFILE_LIST))
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= card gguf safetensors match rules
FUZZ_NICE    ?= nice -n 10
FUZZ_FLAGS   ?=	# more libFuzzer options, e.g. -jobs=2 or -only_ascii=1
FUZZ_SHARED  ?= $(or $(MC_SHARED),$(CURDIR)/../shared)

# Largest input per target: a README, a header, a LICENSE file, a rule file.
FUZZ_MAX_LEN_card        := 65536
FUZZ_MAX_LEN_gguf        := 1048576
FUZZ_MAX_LEN_safetensors := 262144
FUZZ_MAX_LEN_match       := 65536
FUZZ_MAX_LEN_rules       := 16384

FUZZ_PKGS     := libgit2 yaml-0.1 sqlite3 libpcre2-8 jansson
FUZZ_SANITIZE := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
# -Wno-format-nonliteral: clang's -Wformat=2 flags the v*printf wrappers of
# src/util.c, which gcc (the Makefile's compiler) accepts.
FUZZ_CFLAGS    = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wformat=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	-Wno-format-nonliteral -O1 -g \
	$(FUZZ_SANITIZE) -Iinclude $(shell pkg-config --cflags $(FUZZ_PKGS) 2>/dev/null) \
	-DMC_VERSION='"fuzz"' -DMC_RULES_SRC='"$(CURDIR)/rules"' \
	-DMC_RULES_INSTALLED='"$(or $(PREFIX),/usr/local)/share/modelcensus/rules"'
FUZZ_LIBS      = $(shell pkg-config --libs $(FUZZ_PKGS) 2>/dev/null) -lpthread

FUZZ_LIB_SRCS := $(filter-out src/main.c src/cmd_%.c,$(wildcard src/*.c))
FUZZ_OBJS     := $(FUZZ_LIB_SRCS:src/%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/report_template.o
FUZZ_HEADERS  := $(wildcard include/modelcensus/*.h src/*.h)
FUZZ_BINS      = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-deps fuzz-seeds fuzz-clean
.SECONDARY: $(FUZZ_OBJS)

fuzz-deps:
	@WITH_FUZZ=1 sh scripts/install-deps.sh

# after fuzz-deps, so that clang and pkg-config are there when flags are read
fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory -f $(FUZZ_MK) $(FUZZ_BINS) $(FUZZ_BUILD)/make_seeds

$(FUZZ_BUILD)/obj/%.o: src/%.c $(FUZZ_HEADERS) $(FUZZ_MK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# the report page as a C string, as the Makefile makes it
$(FUZZ_BUILD)/obj/report_template.c: src/report.html scripts/c-string.sed
	@mkdir -p $(@D)
	{ echo '#include "modelcensus/report_html.h"'; echo 'const char report_template[] ='; \
	  sed -f scripts/c-string.sed src/report.html; echo ';'; } >$@
$(FUZZ_BUILD)/obj/report_template.o: $(FUZZ_BUILD)/obj/report_template.c $(FUZZ_HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_OBJS) $(FUZZ_LIBS)

$(FUZZ_BUILD)/make_seeds: tests/fuzz/make_seeds.c
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -Wall -Wextra -O1 -o $@ $<

# Seeds of the targets in FUZZ_TARGETS, made afresh each run (cheap):
# headers from make_seeds, README cards, license texts, rule files.
fuzz-seeds: $(FUZZ_BUILD)/make_seeds
	@for t in $(FUZZ_TARGETS); do \
		d=$(FUZZ_BUILD)/seeds/$$t; rm -rf $$d; mkdir -p $$d; \
		case $$t in \
		gguf|safetensors) $(FUZZ_BUILD)/make_seeds $$t $$d ;; \
		card) cp README.md $$d/; \
			if [ -d "$(FUZZ_SHARED)/corpus/cards-dev" ]; then \
				cp "$(FUZZ_SHARED)"/corpus/cards-dev/*.md $$d/; \
			else echo "fuzz: no $(FUZZ_SHARED)/corpus: card seeds are README.md only"; fi ;; \
		match) cp LICENSE $$d/; \
			if [ -d "$(FUZZ_SHARED)/licenses" ]; then \
				i=0; for f in "$(FUZZ_SHARED)"/licenses/*/*; do \
					i=$$((i + 1)); [ -f "$$f" ] && cp "$$f" $$d/$$i; done; \
			else echo "fuzz: no $(FUZZ_SHARED)/licenses: match seeds are LICENSE only"; fi ;; \
		rules) i=0; for f in rules/*.yaml tests/fixtures/*/*.yaml; do \
				i=$$((i + 1)); cp "$$f" $$d/$$i.yaml; done ;; \
		esac; \
	done

# One target: $(1).  $(FUZZ_BUILD)/$(1).failed marks a crash.
define FUZZ_RUN
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) $(FUZZ_BUILD)/artifacts/$(1)
	@rm -f $(FUZZ_BUILD)/$(1).failed
	@echo "fuzz: $(1) for $(FUZZ_SECONDS) s (log: $(FUZZ_BUILD)/$(1).log)"
	@if $(FUZZ_NICE) $(FUZZ_BUILD)/fuzz_$(1) -max_total_time=$(FUZZ_SECONDS) \
		-max_len=$(FUZZ_MAX_LEN_$(1)) -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/$(1).dict -artifact_prefix=$(FUZZ_BUILD)/artifacts/$(1)/ \
		-print_final_stats=1 $(FUZZ_FLAGS) $(FUZZ_BUILD)/corpus/$(1) \
		$(FUZZ_BUILD)/seeds/$(1) $(wildcard tests/fuzz/regressions/$(1)) \
		>$(FUZZ_BUILD)/$(1).log 2>&1; then \
		grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' $(FUZZ_BUILD)/$(1).log | tail -n 1; \
		echo "fuzz: $(1) ok"; \
	else \
		grep -E '^(==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|.*broken invariant)' \
			$(FUZZ_BUILD)/$(1).log | head -n 20; \
		echo "fuzz: $(1) FAILED: see $(FUZZ_BUILD)/$(1).log and $(FUZZ_BUILD)/artifacts/$(1)/"; \
		touch $(FUZZ_BUILD)/$(1).failed; \
	fi

endef

fuzz: fuzz-build
	@$(MAKE) --no-print-directory -f $(FUZZ_MK) fuzz-seeds
	$(foreach t,$(FUZZ_TARGETS),$(call FUZZ_RUN,$(t)))
	@failed=""; for t in $(FUZZ_TARGETS); do \
		[ -e $(FUZZ_BUILD)/$$t.failed ] && failed="$$failed $$t"; done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashed:$$failed"; exit 1; fi
	@echo "fuzz: $(words $(FUZZ_TARGETS)) targets ran $(FUZZ_SECONDS) s each, no crash"

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

# The regression test includes the target files: rebuild it when they change
# (the Makefile's rule for unit tests knows only tests/unit/test_*.c).
$(or $(BUILD),build)/tests/test_fuzz_regressions: $(filter-out tests/fuzz/make_seeds.c,\
	$(wildcard tests/fuzz/*.c)) tests/fuzz/fuzz.h
