# modelcensus: offline license scanner for machine-learning model repositories.
#
#   make              build ./modelcensus
#   make scan [ROOT=DIR]  install what is missing, build, scan ROOT into ./inventory.db
#   make check        install what is missing, build, run every test
#   make check-asan   the same tests on a build with AddressSanitizer + UBSan
#   make fuzz         run every libFuzzer target for FUZZ_SECONDS each
#   make install [PREFIX=/usr/local] [DESTDIR=DIR]   program, rules, man page, completion
#   make uninstall [PREFIX=/usr/local] [DESTDIR=DIR] removes what install put there

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := libgit2 yaml-0.1 sqlite3 libpcre2-8 jansson
BUILD   ?= build

RULES_DIR_SRC := $(CURDIR)/rules
RULES_DIR_INSTALLED := $(PREFIX)/share/modelcensus/rules
BINDIR  := $(PREFIX)/bin
MAN1DIR := $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

WARN    := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS  ?= -O2 -g
WERROR  ?=		# CI sets -Werror: warnings are errors there
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) $(CFLAGS) $(EXTRA_CFLAGS) -Iinclude $(PKG_CFLAGS) \
	-DMC_VERSION='"$(VERSION)"' -DMC_RULES_SRC='"$(RULES_DIR_SRC)"' \
	-DMC_RULES_INSTALLED='"$(RULES_DIR_INSTALLED)"'
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_CFLAGS)
LIBS    = $(PKG_LIBS) -lpthread

SRCS    := $(wildcard src/*.c)
LIB_SRCS := $(filter-out src/main.c src/cmd_%.c,$(SRCS))
CMD_SRCS := $(filter src/main.c src/cmd_%.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
CMD_OBJS := $(CMD_SRCS:src/%.c=$(BUILD)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
HEADERS := $(wildcard include/modelcensus/*.h src/*.h)

BIN ?= modelcensus

.PHONY: all deps test-deps scan check check-asan check-valgrind unit install uninstall clean
all: $(BIN)

deps:
	@sh scripts/install-deps.sh

# what make check needs besides: cmocka, the sqlite3 shell, git ...
test-deps:
	@sh scripts/install-deps.sh --test

$(BIN): $(LIB_OBJS) $(CMD_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: src/%.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS)

# The scan the README promises: the Hugging Face cache unless ROOT is given.
# A default root that is not there is said before anything is built, with
# how to choose another (home spelled ~, as a user would type it).
HF_ROOT = $(or $(HF_HUB_CACHE),$(if $(HF_HOME),$(HF_HOME)/hub),$(HOME)/.cache/huggingface/hub)
scan:
	@if [ -z "$(ROOT)" ] && [ ! -d "$(HF_ROOT)" ]; then \
		root="$(HF_ROOT)"; case $$root in "$$HOME"/*) root="~$${root#"$$HOME"}" ;; esac; \
		echo "modelcensus: no Hugging Face cache at '$$root' (the default root of make scan); scan another folder with make scan ROOT=DIR, or set HF_HUB_CACHE or HF_HOME" >&2; \
		exit 2; \
	fi
	@sh scripts/install-deps.sh
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) scan --db inventory.db "$(or $(ROOT),$(HF_ROOT))"

check: test-deps
	@$(MAKE) --no-print-directory WERROR="$(WERROR)" $(BIN) unit
	MC_BIN=$(CURDIR)/$(BIN) MC_UNIT_DIR=$(CURDIR)/$(BUILD)/tests sh tests/run.sh

check-asan: test-deps
	@$(MAKE) --no-print-directory BUILD=build-asan BIN=build-asan/modelcensus \
		WERROR="$(WERROR)" EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		CFLAGS="-O1 -g" build-asan/modelcensus unit
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	MC_BIN=$(CURDIR)/build-asan/modelcensus MC_UNIT_DIR=$(CURDIR)/build-asan/tests sh tests/run.sh

# The end-to-end suites that exercise reading and writing, with the binary
# under valgrind memcheck (slow: not part of make check).
VALGRIND_SUITES ?= t_scan t_rescan t_checkpoints t_hostile t_explain_check t_shard
check-valgrind: test-deps $(BIN)
	@command -v valgrind >/dev/null || { echo "check-valgrind: valgrind is not installed"; exit 1; }
	@rm -f build/valgrind.*.log; \
	for t in $(VALGRIND_SUITES); do \
		MC_REAL_BIN=$(CURDIR)/$(BIN) MC_BIN=$(CURDIR)/tests/valgrind-bin.sh \
		MC_VALGRIND_LOG=$(CURDIR)/build/valgrind.%p.log \
		MC_SHARED=$${MC_SHARED:-$(CURDIR)/../shared} sh tests/e2e/$$t.sh >build/$$t.vg.out 2>&1; \
		echo "$$t: $$(grep -c '^ok' build/$$t.vg.out) ok, $$(grep -c '^not ok' build/$$t.vg.out) not ok"; \
	done; \
	runs=$$(ls build/valgrind.*.log 2>/dev/null | wc -l); \
	errs=$$(find build -name 'valgrind.*.log' -size +0 | wc -l); \
	find build -name 'valgrind.*.log' -size +0 -exec cat {} +; \
	echo "valgrind: $$runs runs of modelcensus, $$errs with memory errors or definite leaks"; \
	test "$$errs" -eq 0

# rules.o compiles in where the rules are (MC_RULES_SRC, MC_RULES_INSTALLED):
# it is rebuilt when PREFIX or the source tree's place changes (a stamp in
# build/, as git does with GIT-CFLAGS), so `make install PREFIX=DIR` never
# installs a program that looks for its rules elsewhere.
$(BUILD)/rules.o: $(BUILD)/RULES-DIRS
$(BUILD)/RULES-DIRS: FORCE
	@mkdir -p $(@D)
	@echo '$(RULES_DIR_SRC) $(RULES_DIR_INSTALLED)' | cmp -s - $@ || \
		echo '$(RULES_DIR_SRC) $(RULES_DIR_INSTALLED)' >$@
.PHONY: FORCE

# The installed catalog is replaced whole: a rule file gone from rules/ must
# not stay in force.
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(RULES_DIR_INSTALLED) \
		$(DESTDIR)$(MAN1DIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/modelcensus
	rm -f $(DESTDIR)$(RULES_DIR_INSTALLED)/*.yaml
	install -m 644 rules/*.yaml $(DESTDIR)$(RULES_DIR_INSTALLED)
	install -m 644 docs/modelcensus.1 $(DESTDIR)$(MAN1DIR)/modelcensus.1
	install -m 644 scripts/modelcensus.bash-completion $(DESTDIR)$(BASHCOMPDIR)/modelcensus

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/modelcensus $(DESTDIR)$(MAN1DIR)/modelcensus.1 \
		$(DESTDIR)$(BASHCOMPDIR)/modelcensus $(DESTDIR)$(RULES_DIR_INSTALLED)/*.yaml
	-rmdir $(DESTDIR)$(RULES_DIR_INSTALLED) $(DESTDIR)$(PREFIX)/share/modelcensus 2>/dev/null

clean:
	rm -rf build build-asan build-fuzz $(BIN)

# make fuzz / fuzz-build: libFuzzer targets (tests/fuzz/README.md)
-include fuzz.mk
