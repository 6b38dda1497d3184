# mk/bench.mk: the benchmark programs of bench/programs/, each built three
# ways from the same C file, and `make bench` (bench/harness.js) that runs
# them on every runner and writes build/bench.json. docs/performance.md says
# how to read the table.
#
#   build/bench/gcc/NAME        gcc -O2, x86-64, timed by bench/native_main.c
#   build/bench/clang/NAME      clang-14 -O2, x86-64, same main
#   build/bench/wasm/NAME.wasm  clang-14 --target=wasm32 -O2, imports nothing
#
# Rust programs (bench/rust/NAME.rs, no_std) are built by Debian's rustc 1.63
# (/usr/bin/rustc: the rustup one on PATH has no wasm32 target) at
# opt-level=2: natively into build/bench/gcc/NAME (the native column; there
# is no clang column for them) and to build/bench/wasm/NAME.wasm.

BENCH_NAMES := $(basename $(notdir $(wildcard bench/programs/*.c)))
BENCH_RUST  := $(basename $(notdir $(wildcard bench/rust/*.rs)))
BENCH_GCC   := $(BENCH_NAMES:%=$(BUILD)/bench/gcc/%) $(BENCH_RUST:%=$(BUILD)/bench/gcc/%)
BENCH_CLANG := $(BENCH_NAMES:%=$(BUILD)/bench/clang/%)
BENCH_WASM  := $(BENCH_NAMES:%=$(BUILD)/bench/wasm/%.wasm) $(BENCH_RUST:%=$(BUILD)/bench/wasm/%.wasm)

# Native: plain -O2 for the default x86-64 target (SSE2, no -march), as a
# distribution would build it. -fno-math-errno lets sqrt be one instruction
# (Wasm's f64.sqrt has no errno either).
BENCH_NATIVE_CFLAGS := -std=c11 -O2 -fno-math-errno -Wall -Wno-unused-function
# Wasm: WebAssembly 2.0 features that clang-14 can use for plain C (bulk
# memory, so memcpy/memset become memory.copy/memory.fill and nothing is
# imported; sign extension; non-trapping float-to-int). No SIMD.
BENCH_WASM_CC     := clang-14
BENCH_WASM_CFLAGS := --target=wasm32 -std=c11 -O2 -nostdlib -Wall -Wno-unused-function \
                     -mbulk-memory -msign-ext -mnontrapping-fptoint \
                     -Wl,--no-entry -Wl,-z,stack-size=1048576

$(BUILD)/bench/gcc/%: bench/programs/%.c bench/bench.h bench/native_main.c
	@mkdir -p $(dir $@)
	gcc $(BENCH_NATIVE_CFLAGS) $< bench/native_main.c -o $@

$(BUILD)/bench/clang/%: bench/programs/%.c bench/bench.h bench/native_main.c
	@mkdir -p $(dir $@)
	clang-14 $(BENCH_NATIVE_CFLAGS) $< bench/native_main.c -o $@

$(BUILD)/bench/wasm/%.wasm: bench/programs/%.c bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_WASM_CC) $(BENCH_WASM_CFLAGS) $< -o $@

BENCH_RUSTC      := /usr/bin/rustc
BENCH_RUST_FLAGS := --edition 2021 -C opt-level=2 -C panic=abort

$(BUILD)/bench/rust/lib%.a: bench/rust/%.rs
	@mkdir -p $(dir $@)
	$(BENCH_RUSTC) $(BENCH_RUST_FLAGS) --crate-type staticlib $< -o $@

$(BUILD)/bench/gcc/%: $(BUILD)/bench/rust/lib%.a bench/native_main.c
	@mkdir -p $(dir $@)
	gcc -O2 bench/native_main.c $< -o $@

$(BUILD)/bench/wasm/%.wasm: bench/rust/%.rs
	@mkdir -p $(dir $@)
	$(BENCH_RUSTC) $(BENCH_RUST_FLAGS) --crate-type cdylib --target wasm32-unknown-unknown $< -o $@

# bench/cputime: the CPU time of a whole command (for the coral runner).
$(BUILD)/bench/cputime: bench/cputime.c
	@mkdir -p $(dir $@)
	gcc -std=c11 -O2 -Wall $< -o $@

.PHONY: bench-build
bench-build: $(BENCH_GCC) $(BENCH_CLANG) $(BENCH_WASM) $(BUILD)/bench/cputime

# The smoke step (tests/steps/50-bench-smoke) needs the gcc and Wasm builds.
TEST_BUILD += $(BENCH_GCC) $(BENCH_WASM)

# `make bench-real`: only the large real modules, into build/real/ (for
# anyone measuring decode or compile throughput).
.PHONY: bench-real
bench-real:
	bench/real-modules

# `make bench`: build what exists (the coral CLI too, when its rules are in),
# fetch the large real modules once, then run the harness.
# build/coral, when mk/host.mk (included before this file) puts it in ALL.
BENCH_CORAL := $(filter %/coral,$(ALL))
# The kernel and userboot, hello and costs (mk/kernel.mk, mk/programs.mk,
# read after this file) give the kernel figures under QEMU and the host
# figures of a coral call; built here when their rules exist.
BENCH_KERNEL_DEPS := $(BUILD)/kernel/coral.elf $(BUILD)/programs/userboot.wasm \
                     $(BUILD)/programs/hello.wasm $(BUILD)/programs/costs.wasm
bench: bench-build $(BENCH_CORAL)
	@$(MAKE) --no-print-directory -s $(BENCH_KERNEL_DEPS) 2>/dev/null || true
	bench/real-modules
	node bench/harness.js
