# posyandu: plain GNU make, no configure step.
#   make            build posyandu
#   make run        install missing Debian packages, build, make a demo store, open the app
#   make check      every test (layers, unit, CLI, end-to-end, crash)
#   make asan       make check under AddressSanitizer + UBSan (same as SANITIZE=address,undefined)
#   make stress     the long crash runs
#   make bench      benchmark figures
#   make install    PREFIX=/usr/local DESTDIR=
#   V=1             show full commands;  WERROR=1  turn warnings into errors

.DEFAULT_GOAL := all
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
LOCALEDIR  ?= $(PREFIX)/share/locale
DATADIR    ?= $(PREFIX)/share/posyandu
INSTALL    ?= install
# Cross builds: make CROSS=aarch64-linux-gnu- (objects in build-aarch64-linux-gnu).
CROSS      ?=
HOSTCC     ?= cc
PKG_CONFIG ?= pkg-config
CC         ?= cc

PKGS_TUI     = ncursesw formw menuw
PKGS_STORAGE = sqlite3 libsodium jansson
PKGS_SYNC    = libcurl libmicrohttpd
# Debian's libiniparser-dev ships no .pc file: one knob for it.
INIPARSER_CFLAGS ?= -I/usr/include/iniparser
INIPARSER_LIBS   ?= -liniparser

CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wwrite-strings -Wno-format-nonliteral \
           -Wno-format-truncation
ifeq ($(WERROR),1)
WARN    += -Werror
endif
BUILD   ?= build
ifneq ($(CROSS),)
CC         = $(CROSS)gcc
AR         = $(CROSS)ar
BUILD      = build-$(patsubst %-,%,$(CROSS))
PKG_CONFIG = PKG_CONFIG_LIBDIR=/usr/lib/$(patsubst %-,%,$(CROSS))/pkgconfig:/usr/share/pkgconfig pkg-config
endif
ifdef SANITIZE
BUILD    = build-san
CFLAGS  += -O1 -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0)
DEFS     = -D_GNU_SOURCE -DPOSYANDU_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(LOCALEDIR)"' \
           -DPOSYANDU_SRCDIR='"$(CURDIR)"'
override CPPFLAGS += -I. -I$(BUILD)/gen -MMD -MP $(DEFS)

ifeq ($(V),1)
Q =
QUIET_CC =
QUIET_AR =
QUIET_LINK =
QUIET_GEN =
else
Q = @
QUIET_CC   = @echo '   CC   ' $@;
QUIET_AR   = @echo '   AR   ' $@;
QUIET_LINK = @echo '   LINK ' $@;
QUIET_GEN  = @echo '   GEN  ' $@;
endif

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# Each layer's flags: core gets no library flags at all.
CFLAGS_core    =
# libpq: its header only; the library is opened at run time (storage/db_pg.c).
# A cross build without libpq-dev:arm64 finds the same header here.
PQ_CFLAGS ?= $(or $(call pc_cflags,libpq),-I/usr/include/postgresql)
CFLAGS_storage = $(call pc_cflags,$(PKGS_STORAGE)) $(INIPARSER_CFLAGS) $(PQ_CFLAGS)
CFLAGS_sync    = $(call pc_cflags,$(PKGS_STORAGE) $(PKGS_SYNC))
CFLAGS_app     = $(call pc_cflags,$(PKGS_STORAGE) $(PKGS_SYNC)) $(INIPARSER_CFLAGS)
CFLAGS_cli     = $(CFLAGS_app)
CFLAGS_server  = $(CFLAGS_app)
CFLAGS_tui     = $(call pc_cflags,$(PKGS_TUI) $(PKGS_STORAGE) $(PKGS_SYNC)) $(INIPARSER_CFLAGS)
CFLAGS_tests   = $(CFLAGS_tui) $(call pc_cflags,cmocka)
CFLAGS_bench   = $(CFLAGS_tui)
CFLAGS_tools   =
LIBS_NOTTY = $(call pc_libs,$(PKGS_STORAGE) $(PKGS_SYNC)) $(INIPARSER_LIBS) -lm
LIBS = $(call pc_libs,$(PKGS_TUI)) $(LIBS_NOTTY)

# Sources. Fragments in mk/*.mk may add generated sources, tests and benchmarks.
CORE_SRC    = $(wildcard core/*.c)
STORAGE_SRC = $(wildcard storage/*.c)
SYNC_SRC    = $(wildcard sync/*.c)
APP_SRC     = $(wildcard app/*.c)
TUI_SRC     = $(wildcard tui/*.c)
CLI_SRC     = $(wildcard cli/*.c)
CORE_GEN    =
UNIT_TESTS  = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
TEST_HELPERS = $(wildcard tests/helpers/*.c)
BENCHES     = $(patsubst bench/%.c,%,$(wildcard bench/bench_*.c))
TEST_PROGS  = $(patsubst tests/crash/%.c,%,$(wildcard tests/crash/*.c))
# Attack programs (tests/attack/attack.h): one per area, run by tests/e2e/t08*.sh.
ATTACK_PROGS = $(patsubst tests/attack/%.c,%,$(wildcard tests/attack/atk_*.c))

include $(wildcard mk/*.mk)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
layer = $(firstword $(subst /, ,$(patsubst $(BUILD)/%,%,$(1))))

LIBCORE    = $(BUILD)/libcore.a
LIBSTORAGE = $(BUILD)/libstorage.a
LIBSYNC    = $(BUILD)/libsync.a
LIBAPP     = $(BUILD)/libapp.a
LIBTUI     = $(BUILD)/libtui.a
ALL_LIBS   = $(LIBTUI) $(LIBAPP) $(LIBSYNC) $(LIBSTORAGE) $(LIBCORE)

BIN = posyandu
ifneq ($(SANITIZE)$(CROSS),)
BIN = $(BUILD)/posyandu
endif

.PHONY: pot all run demo check check-unit asan stress bench install uninstall clean check-layers \
	unit e2e crash po lint-man deps FORCE
# Fragments (mk/*.mk) add more programs, e.g. posyandu-server, to EXTRA_BINS.
all: $(BIN) $(EXTRA_BINS) po

# Rebuild everything when the flags change (git's GIT-CFLAGS trick).
$(BUILD)/CFLAGS: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(LDFLAGS)' > $@

$(BUILD)/%.o: %.c $(BUILD)/CFLAGS
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(CFLAGS_$(call layer,$@)) -c -o $@ $<

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/CFLAGS
	$(QUIET_CC)$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) -c -o $@ $<

$(LIBCORE): $(call obj,$(CORE_SRC)) $(patsubst %.c,%.o,$(CORE_GEN))
$(LIBSTORAGE): $(call obj,$(STORAGE_SRC))
$(LIBSYNC): $(call obj,$(SYNC_SRC))
$(LIBAPP): $(call obj,$(APP_SRC))
$(LIBTUI): $(call obj,$(TUI_SRC))
$(ALL_LIBS):
	@mkdir -p $(dir $@)
	@rm -f $@
	$(QUIET_AR)$(AR) rcs $@ $^

# posyandu: cli/ holds main(); with no command it opens tui/.
$(BIN): $(call obj,$(CLI_SRC)) $(ALL_LIBS)
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Tests.
CMOCKA_LIBS = $(call pc_libs,cmocka)
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(call obj,$(TEST_HELPERS)) $(ALL_LIBS)
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CMOCKA_LIBS)
$(BUILD)/tests/crash/%: $(BUILD)/tests/crash/%.o $(call obj,$(TEST_HELPERS)) $(ALL_LIBS)
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CMOCKA_LIBS)
$(BUILD)/tests/attack/%: $(BUILD)/tests/attack/%.o $(BUILD)/tests/attack/attack.o $(ALL_LIBS)
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(ALL_LIBS)
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
# The references the benchmarks are read against (bench/ref_*.c): plain
# ncurses, none of the app's libraries. bench_desk runs them.
BENCH_REFS = $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/ref_*.c))
$(BUILD)/bench/ref_%: bench/ref_%.c $(BUILD)/CFLAGS
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS) $(call pc_cflags,ncursesw) $(LDFLAGS) \
		-o $@ $< $(call pc_libs,ncursesw)
$(BUILD)/bench/bench_desk: | $(BENCH_REFS)

UNIT_BINS  = $(addprefix $(BUILD)/tests/,$(UNIT_TESTS))
CRASH_BINS = $(addprefix $(BUILD)/tests/crash/,$(TEST_PROGS))
ATTACK_BINS = $(addprefix $(BUILD)/tests/attack/,$(ATTACK_PROGS))
BENCH_BINS = $(addprefix $(BUILD)/bench/,$(BENCHES))

check-layers:
	@sh tests/check-layers.sh

# The unit tests alone (package builds, the arm64 build under qemu-user via
# RUNNER=qemu-aarch64).
check-unit: $(UNIT_BINS)
	@BUILD=$(BUILD) RUNNER="$(RUNNER)" sh tests/run.sh unit

check: all check-layers lint-man $(UNIT_BINS) $(CRASH_BINS) $(ATTACK_BINS)
	@POSYANDU_BIN=$(CURDIR)/$(BIN) BUILD=$(BUILD) ATTACK_DIR=$(CURDIR)/$(BUILD)/tests/attack \
		PG_TESTS="$(PG_TESTS)" sh tests/run.sh

# Under the sanitizers the PostgreSQL part runs the HTTP sync and the move
# of a district (the driver's paths) rather than every server test again:
# CI's 30 minutes.
asan:
	$(MAKE) check SANITIZE=address,undefined PG_TESTS="t0610 t0680"

stress: all $(CRASH_BINS)
	@POSYANDU_BIN=$(CURDIR)/$(BIN) BUILD=$(BUILD) STRESS=1 sh tests/run.sh crash

bench: all $(BENCH_BINS) $(BENCH_REFS)
	@for b in $(BENCH_BINS); do POSYANDU_BIN=$(CURDIR)/$(BIN) $$b || exit 1; done

# Translations.
LINGUAS := $(shell cat po/LINGUAS 2>/dev/null)
MO_FILES = $(patsubst %,$(BUILD)/locale/%/LC_MESSAGES/posyandu.mo,$(LINGUAS))
po: $(MO_FILES)
$(BUILD)/locale/%/LC_MESSAGES/posyandu.mo: po/%.po
	@mkdir -p $(dir $@)
	$(QUIET_GEN)msgfmt --check -o $@ $<
# The catalogue template: tui/, cli/ and app/ hold the text, core/ tables and the
# configuration's allowed values (storage/config.c) N_() msgids.
POT_SRC = $(sort $(wildcard tui/*.c tui/*.h cli/*.c cli/*.h app/*.c app/*.h core/*.c) \
	storage/config.c)
$(BUILD)/posyandu.pot: $(POT_SRC)
	@mkdir -p $(dir $@)
	$(QUIET_GEN)xgettext --from-code=UTF-8 -k_ -kN_ --package-name=posyandu -o $@ $^
pot: $(BUILD)/posyandu.pot

# The two quick-start commands' helpers.
deps:
	@sh tools/deps.sh

run: deps
	$(MAKE) all
	@sh tools/demo-run.sh $(CURDIR)/$(BIN)

install: all
	$(INSTALL) -m 0755 -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 0755 $(BIN) $(EXTRA_BINS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 0644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	for f in $(wildcard man/*.8); do $(INSTALL) -m 0644 $$f $(DESTDIR)$(MANDIR)/man8/ || exit 1; done
	$(INSTALL) -m 0755 -d $(DESTDIR)$(DATADIR)
	$(INSTALL) -m 0644 data/posyandu.ini.example $(DESTDIR)$(DATADIR)/
	if [ -d data/quiz ]; then $(INSTALL) -m 0755 -d $(DESTDIR)$(DATADIR)/quiz && \
		$(INSTALL) -m 0644 data/quiz/*.ini $(DESTDIR)$(DATADIR)/quiz/; fi
	for l in $(LINGUAS); do \
		$(INSTALL) -m 0755 -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		$(INSTALL) -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/posyandu.mo \
			$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/posyandu $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(EXTRA_BINS)))
	for f in $(wildcard man/*.8); do rm -f $(DESTDIR)$(MANDIR)/man8/$${f#man/}; done
	for f in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${f#man/}; done
	for f in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${f#man/}; done
	for f in man/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${f#man/}; done
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/posyandu.mo; done
	rm -rf $(DESTDIR)$(DATADIR)

lint-man:
	@for m in man/*.[0-9]; do mandoc -Tlint -Wwarning $$m || exit 1; done; echo "man pages: lint clean"

clean:
	rm -rf build build-san posyandu $(EXTRA_BINS)

FORCE:

# Keep objects that only a test program links (make would delete them).
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
