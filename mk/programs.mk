# mk/programs.mk: Wasm programs: programs/userboot, programs/shell,
# programs/examples and tests/programs,
# in C (clang-19, sdk/include/coral.h) and Rust (Debian's rustc 1.63, the
# crate in sdk/rust), into build/programs/*.wasm. Programs that embed other
# programs (parent embeds child, twoinst embeds its two instances) get
# them as C arrays made with xxd in build/programs/gen/.
# tests/steps/50-programs checks that each one validates and imports only
# from `coral` (and from its sibling instances, where that is the point).

PROG_CC      ?= clang-19
PROG_RUSTC   ?= /usr/bin/rustc
PROG_CFLAGS  := --target=wasm32 -O2 -ffreestanding -nostdlib -mbulk-memory -mreference-types \
                -Wall -Wextra -Werror -Isdk/include -I$(BUILD)/programs/gen
PROG_LD      ?= wasm-ld-19
PROG_LDFLAGS := --no-entry --export-if-defined=_start
PROG_RSFLAGS := --edition 2021 --target wasm32-unknown-unknown -C opt-level=s -C panic=abort \
                -C strip=debuginfo

PROG_DIR     := $(BUILD)/programs
PROG_C_NAMES := hello trap child parent twoinst twoinst_main twoinst_lib cpu sleeper
# IPC examples
PROG_C_NAMES += pingpong pingpong_child
PROG_WASMS   := $(PROG_C_NAMES:%=$(PROG_DIR)/%.wasm) $(PROG_DIR)/userboot.wasm $(PROG_DIR)/shell.wasm \
                $(PROG_DIR)/hello_rust.wasm $(PROG_DIR)/parent_rust.wasm $(PROG_DIR)/badcalls.wasm $(PROG_DIR)/costs.wasm \
                $(PROG_DIR)/forever.wasm $(PROG_DIR)/killer.wasm $(PROG_DIR)/spin.wasm \
                $(PROG_DIR)/killspin.wasm $(PROG_DIR)/startfn.wasm $(PROG_DIR)/conin.wasm \
                $(PROG_DIR)/killread.wasm $(PROG_DIR)/channel_rust.wasm

# Compile, then link with wasm-ld directly: clang's driver, when it
# optimizes, runs binaryen's wasm-opt after linking if it finds one, which
# inlines away the functions a trap report should name and drops the name
# section.
$(PROG_DIR)/obj/%.o: programs/examples/%.c sdk/include/coral.h
	@mkdir -p $(dir $@)
	$(PROG_CC) $(PROG_CFLAGS) -c $< -o $@

$(PROG_DIR)/obj/userboot.o: programs/userboot/userboot.c sdk/include/coral.h
	@mkdir -p $(dir $@)
	$(PROG_CC) $(PROG_CFLAGS) -c $< -o $@

$(PROG_DIR)/obj/shell.o: programs/shell/shell.c sdk/include/coral.h
	@mkdir -p $(dir $@)
	$(PROG_CC) $(PROG_CFLAGS) -c $< -o $@

# Test programs (tests/programs/): bad arguments to every call, costs, kill.
TEST_PROG_OBJS := $(patsubst tests/programs/%.c,$(PROG_DIR)/obj/%.o,$(wildcard tests/programs/*.c))
$(TEST_PROG_OBJS): $(PROG_DIR)/obj/%.o: tests/programs/%.c sdk/include/coral.h
	@mkdir -p $(dir $@)
	$(PROG_CC) $(PROG_CFLAGS) -c $< -o $@

$(PROG_DIR)/%.wasm: $(PROG_DIR)/obj/%.o
	$(PROG_LD) $(PROG_LDFLAGS) $< -o $@

# Test modules written in the text format (what C cannot say, such as a
# start function): tests/programs/NAME.wat, names kept for trap reports.
TEST_PROG_WATS := $(patsubst tests/programs/%.wat,$(PROG_DIR)/%.wasm,$(wildcard tests/programs/*.wat))
$(TEST_PROG_WATS): $(PROG_DIR)/%.wasm: tests/programs/%.wat
	@mkdir -p $(dir $@)
	wat2wasm --debug-names $< -o $@

# Embedding: build/programs/gen/NAME_wasm.h holds NAME.wasm as NAME_wasm[].
$(PROG_DIR)/gen/%_wasm.h: $(PROG_DIR)/%.wasm
	@mkdir -p $(dir $@)
	xxd -i -n $*_wasm $< > $@.tmp && mv $@.tmp $@

$(PROG_DIR)/obj/parent.o: $(PROG_DIR)/gen/child_wasm.h
$(PROG_DIR)/obj/killer.o: $(PROG_DIR)/gen/forever_wasm.h
$(PROG_DIR)/obj/killread.o: $(PROG_DIR)/gen/reader_wasm.h
$(PROG_DIR)/obj/killspin.o: $(PROG_DIR)/gen/spin_wasm.h
$(PROG_DIR)/obj/startfn.o: $(patsubst $(PROG_DIR)/%.wasm,$(PROG_DIR)/gen/%_wasm.h,$(TEST_PROG_WATS))
$(PROG_DIR)/obj/twoinst.o: $(PROG_DIR)/gen/twoinst_lib_wasm.h $(PROG_DIR)/gen/twoinst_main_wasm.h
$(PROG_DIR)/obj/pingpong.o $(PROG_DIR)/obj/costs.o: $(PROG_DIR)/gen/pingpong_child_wasm.h

# Rust: the SDK crate as an rlib, then each program as a cdylib.
$(PROG_DIR)/rust/libcoral.rlib: sdk/rust/src/lib.rs
	@mkdir -p $(dir $@)
	$(PROG_RUSTC) $(PROG_RSFLAGS) --crate-type rlib --crate-name coral \
	    --cfg 'feature="panic-handler"' $< -o $@

$(PROG_DIR)/hello_rust.wasm: programs/examples/hello_rust/src/lib.rs $(PROG_DIR)/rust/libcoral.rlib
	$(PROG_RUSTC) $(PROG_RSFLAGS) --crate-type cdylib --crate-name hello_rust \
	    --extern coral=$(PROG_DIR)/rust/libcoral.rlib -L $(PROG_DIR)/rust $< -o $@

# IPC: channels from Rust.
$(PROG_DIR)/channel_rust.wasm: programs/examples/channel_rust/src/lib.rs $(PROG_DIR)/rust/libcoral.rlib
	$(PROG_RUSTC) $(PROG_RSFLAGS) --crate-type cdylib --crate-name channel_rust \
	    --extern coral=$(PROG_DIR)/rust/libcoral.rlib -L $(PROG_DIR)/rust $< -o $@

# It embeds child.wasm with include_bytes!(env!("CHILD_WASM")).
$(PROG_DIR)/parent_rust.wasm: programs/examples/parent_rust/src/lib.rs $(PROG_DIR)/rust/libcoral.rlib \
                              $(PROG_DIR)/child.wasm
	CHILD_WASM=$(abspath $(PROG_DIR)/child.wasm) \
	$(PROG_RUSTC) $(PROG_RSFLAGS) --crate-type cdylib --crate-name parent_rust \
	    --extern coral=$(PROG_DIR)/rust/libcoral.rlib -L $(PROG_DIR)/rust $< -o $@

programs: $(PROG_WASMS)
.PHONY: programs

ALL        += $(PROG_WASMS)
TEST_BUILD += $(PROG_WASMS)

# `make run` boots the kernel with userboot and the examples as Multiboot
# modules (userboot first; the arguments after a module's file are its
# boot arguments, here what userboot expects of it).
CORAL_RUN_MODULES = -m $(PROG_DIR)/userboot.wasm -m $(PROG_DIR)/hello.wasm \
    -m $(PROG_DIR)/hello_rust.wasm -m "$(PROG_DIR)/trap.wasm expect=trap" \
    -m $(PROG_DIR)/parent.wasm -m $(PROG_DIR)/parent_rust.wasm -m $(PROG_DIR)/twoinst.wasm \
    -m $(PROG_DIR)/cpu.wasm -m $(PROG_DIR)/sleeper.wasm -m $(PROG_DIR)/pingpong.wasm \
    -m $(PROG_DIR)/channel_rust.wasm -m "$(PROG_DIR)/rtc.wasm iocap" -m "$(PROG_DIR)/hpet.wasm iocap"
RUN_ARGS += $(CORAL_RUN_MODULES)
run: $(PROG_WASMS)

# `make shell`: the same kernel with the shell as the first program and the
# examples as boot modules it can list and run; type in the terminal (exit
# or Ctrl-D to leave).
SHELL_RUN_MODULES = -m $(PROG_DIR)/shell.wasm -m $(PROG_DIR)/hello.wasm \
    -m $(PROG_DIR)/hello_rust.wasm -m $(PROG_DIR)/trap.wasm -m $(PROG_DIR)/parent.wasm \
    -m $(PROG_DIR)/parent_rust.wasm -m $(PROG_DIR)/twoinst.wasm -m $(PROG_DIR)/cpu.wasm \
    -m $(PROG_DIR)/sleeper.wasm -m $(PROG_DIR)/pingpong.wasm -m $(PROG_DIR)/channel_rust.wasm
shell: deps $(PROG_WASMS)
	@$(MAKE) --no-print-directory -s $(KERNEL_ELF)
	@scripts/qemu-run -t 86400 $(SHELL_RUN_MODULES) $(KERNEL_ELF)

# ---- devices: drivers (programs/drivers/) and their tests ----
# Drivers get the root I/O capability from userboot (boot argument
# `iocap`); tests/steps/60-kernel-programs runs them in QEMU.
DRV_C_NAMES := rtc hpet
DRV_WASMS   := $(DRV_C_NAMES:%=$(PROG_DIR)/%.wasm) $(PROG_DIR)/devbad.wasm \
               $(PROG_DIR)/irqwait.wasm $(PROG_DIR)/irqkill.wasm

$(DRV_C_NAMES:%=$(PROG_DIR)/obj/%.o): $(PROG_DIR)/obj/%.o: programs/drivers/%.c \
                                      programs/drivers/line.h sdk/include/coral.h
	@mkdir -p $(dir $@)
	$(PROG_CC) $(PROG_CFLAGS) -c $< -o $@

$(PROG_DIR)/obj/devbad.o $(PROG_DIR)/obj/conin.o: programs/drivers/line.h
$(PROG_DIR)/obj/irqkill.o: $(PROG_DIR)/gen/irqwait_wasm.h

programs: $(DRV_WASMS)
ALL        += $(DRV_WASMS)
TEST_BUILD += $(DRV_WASMS)
