# mk/server.mk: the district's program, posyandu-server (server/main.c),
# and the libFuzzer targets of tests/fuzz.
#
# This fragment is included before the Makefile's own rules, so it names the
# libraries by path (the Makefile's $(ALL_LIBS) is not defined yet).

.DEFAULT_GOAL := all

SERVER_BIN = posyandu-server
ifdef SANITIZE
SERVER_BIN = $(BUILD)/posyandu-server
endif
EXTRA_BINS += $(SERVER_BIN)

SERVER_LIBS = $(BUILD)/libapp.a $(BUILD)/libsync.a $(BUILD)/libstorage.a $(BUILD)/libcore.a

# The server has no terminal: it links no curses.
$(SERVER_BIN): $(patsubst %.c,$(BUILD)/%.o,$(wildcard server/*.c)) $(SERVER_LIBS)
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_NOTTY)

.PHONY: server
server: $(SERVER_BIN)

# ---- fuzzing (SECURITY.md §5.3): clang's libFuzzer under ASan + UBSan ----
# The libraries are built again in build-fuzz with clang and
# -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (sync/ then skips the Ed25519
# and AEAD checks so inputs reach the decoders; never ship that build).
#   make fuzz       every target for FUZZ_TIME s (600) or FUZZ_RUNS runs (10 M)
#   make fuzz-ci    every target for FUZZ_CI_TIME s (20): what CI runs
FUZZ_BUILD    = build-fuzz
FUZZ_CC      ?= clang
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_FLAGS    = -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
		-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_TARGETS  = fuzz_bundle_outer fuzz_bundle_import fuzz_receipt fuzz_frame
FUZZ_BINS     = $(addprefix $(FUZZ_BUILD)/fuzz/,$(FUZZ_TARGETS))
FUZZ_LIBS     = $(FUZZ_BUILD)/libsync.a $(FUZZ_BUILD)/libstorage.a $(FUZZ_BUILD)/libcore.a
FUZZ_TIME    ?= 600
FUZZ_RUNS    ?= 10000000
FUZZ_CI_TIME ?= 20

.PHONY: fuzz fuzz-ci fuzz-build fuzz-libs
fuzz-libs:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		WARN="$(filter-out -Wno-format-truncation,$(WARN))" \
		CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" LDFLAGS="$(FUZZ_SAN)" $(FUZZ_LIBS)

$(FUZZ_BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_seeds.c tests/fuzz/fuzz_seeds.h \
		tests/fuzz/fuzz_common.h fuzz-libs
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -std=c11 -I. $(DEFS) $(CFLAGS_tests) \
		-o $@ $< tests/fuzz/fuzz_seeds.c $(FUZZ_LIBS) $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TIME) $(FUZZ_RUNS) $(FUZZ_TARGETS)

fuzz-ci: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_CI_TIME) $(FUZZ_RUNS) $(FUZZ_TARGETS)

.PHONY: clean-fuzz
clean: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_BUILD)
