# mk/host.mk: the host tools and the harnesses around the engine.
#   build/coral          the CLI (`coral validate FILE.wasm`; run/compile to come)
#   build/spec-runner    runs wast2json scripts against the engine
#   make spec            converts ../shared/testsuite/*.wast into build/spec/
#                        and runs them all: one line per file, then the totals
#   make spec-baseline   raises tests/spec/expected to the current counts
#   make fuzz            the libFuzzer decode+validate target, FUZZ_SECONDS long
# See docs/testing.md.

HOST_LIBS ?=

HOST_TOOL_OBJS := $(BUILD)/host/host/file.o
CORAL_OBJS     := $(BUILD)/host/host/coral.o $(BUILD)/host/host/cli_run.o $(HOST_TOOL_OBJS)
SPEC_OBJS      := $(addprefix $(BUILD)/host/host/,spec.o spec_run.o spec_value.o spectest.o) \
                  $(HOST_TOOL_OBJS)

$(BUILD)/coral: $(CORAL_OBJS) $(HOST_LIB_OBJS) $(HOST_WASM_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@

$(BUILD)/spec-runner: $(SPEC_OBJS) $(HOST_LIB_OBJS) $(HOST_WASM_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -ljansson -o $@

-include $(CORAL_OBJS:.o=.d) $(SPEC_OBJS:.o=.d)

# build/fuzz-diff-run and `make fuzz-diff N=... SEED=...`: differential
# fuzzing against binaryen's interpreter (scripts/fuzz-diff).
$(BUILD)/fuzz-diff-run: $(BUILD)/host/host/fuzz_diff.o $(HOST_TOOL_OBJS) $(HOST_LIB_OBJS) $(HOST_WASM_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) $^ $(HOST_LIBS) -o $@

-include $(BUILD)/host/host/fuzz_diff.d
ALL += $(BUILD)/fuzz-diff-run
N    ?= 100
SEED ?= 1
fuzz-diff: $(BUILD)/fuzz-diff-run
	@scripts/fuzz-diff $(N) $(SEED)
.PHONY: fuzz-diff

ALL        += $(BUILD)/coral $(BUILD)/spec-runner
TEST_BUILD += $(BUILD)/coral $(BUILD)/spec-runner

# ---- the spec suite ----
# The suite stays outside the repository; each .wast is converted once (and
# again when it is newer than its JSON). wabt 1.0.32's defaults cover all of
# WebAssembly 2.0, SIMD included: no --enable-* flag is needed.
SPEC_SUITE  ?= ../shared/testsuite
SPEC_BOUNDS ?= both
SPEC_JOBS   ?= 2
SPEC_FLAGS  ?=
SPEC_WAST   := $(wildcard $(SPEC_SUITE)/*.wast)
SPEC_JSON   := $(SPEC_WAST:$(SPEC_SUITE)/%.wast=$(BUILD)/spec/%.json)

$(BUILD)/spec/%.json: $(SPEC_SUITE)/%.wast
	@mkdir -p $(dir $@)
	@wast2json $< -o $@ || { rm -f $@; exit 1; }

spec-check-suite:
	@test -n "$(SPEC_JSON)" || { echo "make spec: no .wast files in $(SPEC_SUITE) (set SPEC_SUITE=DIR)"; exit 1; }

# Raw counts; exits non-zero while anything fails.
spec: spec-check-suite $(BUILD)/spec-runner $(SPEC_JSON)
	@{ $(BUILD)/spec-runner -j $(SPEC_JOBS) -b $(SPEC_BOUNDS) $(SPEC_FLAGS) $(SPEC_JSON); \
	   echo $$? >$(BUILD)/spec/spec.rc; } | tee $(BUILD)/spec/spec.log; \
	exit $$(cat $(BUILD)/spec/spec.rc)

spec-baseline: spec-check-suite $(BUILD)/spec-runner $(SPEC_JSON)
	@$(BUILD)/spec-runner -j $(SPEC_JOBS) -b both $(SPEC_JSON) >$(BUILD)/spec/baseline.log || true
	@grep '^spec: ' $(BUILD)/spec/baseline.log
	@tests/spec/baseline raise $(BUILD)/spec/baseline.log

.PHONY: spec-check-suite spec-baseline
TEST_BUILD += $(SPEC_JSON)

# ---- fuzzing ----
# Targets: tests/fuzz/fuzz_NAME.c (decode: decode+validate; compile: the
# whole of wasm_module_new). The engine, lib/ and the host platform are
# compiled again with clang and the sanitizers into build/fuzz/obj/.
# `make fuzz [FUZZ_TARGET=decode] [FUZZ_SECONDS=N]` runs one target for N
# seconds on one core over its kept corpus (build/fuzz/corpus for decode,
# build/fuzz/corpus-NAME for the others), so runs add up; it is seeded with
# every binary module of the converted suite and tests/fuzz/seeds/*.wat.
# Crashing inputs land in tests/fuzz/crashes/ (decode's unprefixed, others'
# as NAME-crash-...), which tests/steps/40-fuzz-replay replays through every
# target. Each run's figures are appended to build/fuzz/history.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGET  ?= decode
FUZZ_FLAGS   ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=c11 -O1 -g -I. -D_GNU_SOURCE -fno-omit-frame-pointer $(FUZZ_SAN)
# The same objects as the host build (lib/, the engine, its platform), so that
# whatever the engine's fragment adds to HOST_WASM_OBJS is here too.
FUZZ_ENGINE_OBJS := $(patsubst $(BUILD)/host/%,$(BUILD)/fuzz/obj/%,$(HOST_LIB_OBJS) $(HOST_WASM_OBJS))
FUZZ_BINS        := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SEED_WATS   := $(wildcard tests/fuzz/seeds/*.wat)
FUZZ_SEED_WASMS  := $(FUZZ_SEED_WATS:tests/fuzz/seeds/%.wat=$(BUILD)/fuzz/seeds/%.wasm)
FUZZ_CORPUS      := $(BUILD)/fuzz/corpus$(if $(filter-out decode,$(FUZZ_TARGET)),-$(FUZZ_TARGET))
FUZZ_PREFIX      := tests/fuzz/crashes/$(if $(filter-out decode,$(FUZZ_TARGET)),$(FUZZ_TARGET)-)
FUZZ_LOG         := $(BUILD)/fuzz/last-$(FUZZ_TARGET).log

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(BUILD)/fuzz/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP $< $(FUZZ_ENGINE_OBJS) $(HOST_LIBS) -o $@

$(BUILD)/fuzz/seeds/%.wasm: tests/fuzz/seeds/%.wat
	@mkdir -p $(dir $@)
	wat2wasm --enable-all $< -o $@

-include $(FUZZ_ENGINE_OBJS:.o=.d) $(FUZZ_BINS:=.d)

# The suite's binary modules as seeds (copied once the suite is converted).
$(BUILD)/fuzz/suite-seeds.stamp: $(SPEC_JSON)
	@mkdir -p $(BUILD)/fuzz/suite-seeds
	@cp $(BUILD)/spec/*.wasm $(BUILD)/fuzz/suite-seeds/ 2>/dev/null || true
	@touch $@

# fuzz_compile reads a mode byte before the module (tests/fuzz/fuzz_compile.c):
# its seeds are the same modules with 0 and 1 in front.
$(BUILD)/fuzz/seeds-compile.stamp: $(BUILD)/fuzz/suite-seeds.stamp $(FUZZ_SEED_WASMS)
	@rm -rf $(BUILD)/fuzz/seeds-compile && mkdir -p $(BUILD)/fuzz/seeds-compile
	@for f in $(BUILD)/fuzz/suite-seeds/*.wasm $(BUILD)/fuzz/seeds/*.wasm; do \
	    b=$$(basename $$f); \
	    { printf '\000'; cat $$f; } >$(BUILD)/fuzz/seeds-compile/0-$$b; \
	    { printf '\001'; cat $$f; } >$(BUILD)/fuzz/seeds-compile/1-$$b; \
	  done
	@touch $@

# Seed directories per target: plain modules unless the target says otherwise.
FUZZ_SEEDS_compile := $(BUILD)/fuzz/seeds-compile
FUZZ_SEEDS := $(or $(FUZZ_SEEDS_$(FUZZ_TARGET)),$(BUILD)/fuzz/suite-seeds $(BUILD)/fuzz/seeds)

fuzz: $(BUILD)/fuzz/fuzz_$(FUZZ_TARGET) $(BUILD)/fuzz/suite-seeds.stamp $(FUZZ_SEED_WASMS) \
      $(if $(FUZZ_SEEDS_$(FUZZ_TARGET)),$(BUILD)/fuzz/seeds-$(FUZZ_TARGET).stamp)
	@mkdir -p $(FUZZ_CORPUS) tests/fuzz/crashes
	@echo "fuzz: fuzz_$(FUZZ_TARGET) for $(FUZZ_SECONDS) s, log in $(FUZZ_LOG)"
	@start=$$(date +%s); \
	  $(BUILD)/fuzz/fuzz_$(FUZZ_TARGET) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(FUZZ_PREFIX) $(FUZZ_FLAGS) \
	    $(FUZZ_CORPUS) $(FUZZ_SEEDS) \
	    >$(FUZZ_LOG) 2>&1; rc=$$?; \
	  tests/fuzz/stats $(FUZZ_LOG) $$rc $(FUZZ_TARGET) $$(( $$(date +%s) - start )) >>$(BUILD)/fuzz/history; \
	  tail -n 1 $(BUILD)/fuzz/history; tests/fuzz/stats --total $(BUILD)/fuzz/history; \
	  ls tests/fuzz/crashes/ | grep -v '^README' | sed 's|^|fuzz: kept tests/fuzz/crashes/|'; exit $$rc

.PHONY: fuzz
TEST_BUILD += $(FUZZ_BINS) $(FUZZ_SEED_WASMS)

# ---- unit tests of the host tools ----
# tests/host/test_NAME.c are linked with the host tool objects they test (and
# jansson) into build/tests/unit/, where tests/steps/10-unit runs them.
HOST_UNIT_SRCS := $(wildcard tests/host/test_*.c)
HOST_UNIT_BINS := $(HOST_UNIT_SRCS:tests/host/%.c=$(BUILD)/tests/unit/%)

$(BUILD)/tests/unit/test_spec_value: $(BUILD)/host/host/spec_value.o

$(HOST_UNIT_BINS): $(BUILD)/tests/unit/%: tests/host/%.c $(HOST_LIB_OBJS) $(HOST_WASM_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -MMD -MP $< $(filter %.o,$(filter-out $<,$^)) $(HOST_LIBS) -lcmocka -ljansson -o $@

-include $(HOST_UNIT_BINS:=.d)
TEST_BUILD += $(HOST_UNIT_BINS)

# ---- the spec runner under ASan+UBSan: make spec-asan ----
# The runner and the engine built with clang's address and undefined-behaviour
# sanitizers (any report is fatal) into build/asan/. A sanitizer report or a
# leak makes that script's child exit non-zero or crash, which its line shows
# ("exited with status 1", "crashed: Aborted") and which counts as a failure.
ASAN_CFLAGS := -std=c11 -O1 -g -I. -D_GNU_SOURCE -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_OBJS   := $(patsubst $(BUILD)/host/%,$(BUILD)/asan/obj/%,$(SPEC_OBJS) $(HOST_LIB_OBJS) $(HOST_WASM_OBJS))

$(BUILD)/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/spec-runner: $(ASAN_OBJS)
	$(FUZZ_CC) $(ASAN_CFLAGS) $^ $(HOST_LIBS) -ljansson -o $@

-include $(ASAN_OBJS:.o=.d)

spec-asan: spec-check-suite $(BUILD)/asan/spec-runner $(SPEC_JSON)
	@$(BUILD)/asan/spec-runner -j $(SPEC_JOBS) -b $(SPEC_BOUNDS) $(SPEC_FLAGS) $(SPEC_JSON)

.PHONY: spec-asan
TEST_BUILD += $(BUILD)/asan/spec-runner

# The runner's own test script (tests/steps/22-spec-selftest).
$(BUILD)/spec-selftest/selftest.json: tests/spec/selftest.wast
	@mkdir -p $(dir $@)
	@wast2json $< -o $@ || { rm -f $@; exit 1; }

TEST_BUILD += $(BUILD)/spec-selftest/selftest.json

# The back end's own script (tests/steps/23-codegen-wast): its peepholes
# against their unfused forms (tests/spec/codegen.py writes the .wast).
$(BUILD)/spec-codegen/codegen.json: tests/spec/codegen.wast
	@mkdir -p $(dir $@)
	@wast2json $< -o $@ || { rm -f $@; exit 1; }

TEST_BUILD += $(BUILD)/spec-codegen/codegen.json
