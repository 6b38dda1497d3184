# Coral: one non-recursive build. Every area adds its rules in mk/<area>.mk;
# all outputs go to build/. `make help` lists the entry points.

BUILD   := build
HOST_CC ?= gcc

# Flags for host tools and tests (Linux, libc available).
HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -I. -D_GNU_SOURCE

# Flags for freestanding code in the kernel (lib/, wasm/, kernel/).
KERNEL_CC     ?= gcc
KERNEL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -I. \
                 -ffreestanding -fno-pie -fno-stack-protector -fno-builtin \
                 -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
                 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -nostdinc \
                 -isystem $(shell $(KERNEL_CC) -print-file-name=include)

.PHONY: all deps test test-build run shell spec iso fuzz bench clean help
all:

# Keep intermediate objects (make would delete them otherwise).
.SECONDARY:

# Each fragment appends to ALL (things `make all` builds) and TEST_BUILD
# (things the test steps in tests/steps/ need).
ALL        :=
TEST_BUILD :=
include mk/lib.mk mk/wasm.mk
-include mk/host.mk mk/kernel.mk mk/bench.mk
-include mk/os.mk mk/programs.mk
include mk/unit.mk

all: $(ALL)

deps:
	@scripts/install-deps

# `make test`: install what is missing, build, then run every step in
# tests/steps/ through one runner that prints `N passed, N failed, N skipped`.
test: deps
	@$(MAKE) --no-print-directory test-build
	@scripts/run-tests

test-build: $(ALL) $(TEST_BUILD)

clean:
	rm -rf $(BUILD)

help:
	@echo "make run    build and boot the kernel in QEMU (serial on stdout)"
	@echo "make shell  boot into the Coral shell (type help; exit to leave)"
	@echo "make test   every test; ends with 'N passed, N failed'"
	@echo "make spec   the WebAssembly spec suite, raw counts"
	@echo "make iso    a GRUB rescue ISO for real machines"
	@echo "make fuzz   libFuzzer targets for a while"
	@echo "make bench  the benchmark table and build/bench.json"
