# mk/kwasm.mk: the engine in the kernel. Included by mk/kernel.mk, which
# links KERNEL_WASM_OBJS (the engine, built freestanding) and KWASM_GEN_OBJS
# into the kernel.
#
# Wasm modules that the kernel embeds (its tests in tests/kernel/wasm/, the
# demo of `make run` in kernel/demo/) are written as .wat and built with
# wat2wasm at build time, then turned into C arrays by scripts/bin2c: FILE.wat
# becomes `kwasm_mod_FILE` and `kwasm_mod_FILE_len` (dashes become
# underscores). --debug-names keeps the function names for trap messages.

KWASM_WATS     := $(wildcard tests/kernel/wasm/*.wat kernel/demo/*.wat)
KWASM_GEN_OBJS := $(KWASM_WATS:%.wat=$(BUILD)/kernel/gen/%.wasm.o)

$(BUILD)/gen/%.wasm: %.wat
	@mkdir -p $(dir $@)
	wat2wasm --debug-names $< -o $@

$(BUILD)/gen/%.wasm.c: $(BUILD)/gen/%.wasm scripts/bin2c
	scripts/bin2c kwasm_mod_$(subst -,_,$(notdir $*)) $< > $@

$(BUILD)/kernel/gen/%.wasm.o: $(BUILD)/gen/%.wasm.c
	@mkdir -p $(dir $@)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -c $< -o $@
