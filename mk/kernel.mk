# mk/kernel.mk: the kernel image, the GRUB ISO and `make run`.
#
# build/kernel/coral.elf is one ELF64 file that QEMU's -kernel and GRUB both
# boot (its Multiboot header carries the a.out kludge) and that keeps every
# symbol. It is linked twice: the second link embeds the symbol table of the
# first (scripts/ksyms-gen) for the panic backtraces; the build then checks
# that no function moved between the two links.

# Every caller keeps its frame, so that backtraces miss no function (a
# tail call would replace the caller's frame with the callee's).
KERNEL_CFLAGS  += -fno-optimize-sibling-calls

KERNEL_LD      ?= ld
KERNEL_ASFLAGS := -I. -D__ASSEMBLER__
KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
                  -T kernel/arch/x86_64/kernel.ld

KERNEL_SRCS := $(wildcard kernel/*.c kernel/arch/x86_64/*.c tests/kernel/*.c)
KERNEL_ASMS := $(wildcard kernel/arch/x86_64/*.S)
include mk/kwasm.mk
KERNEL_OBJS := $(KERNEL_SRCS:%.c=$(BUILD)/kernel/%.o) $(KERNEL_ASMS:%.S=$(BUILD)/kernel/%.o) \
               $(KERNEL_LIB_OBJS) $(KERNEL_WASM_OBJS) $(KWASM_GEN_OBJS)
KERNEL_ELF  := $(BUILD)/kernel/coral.elf
KERNEL_ISO  := $(BUILD)/coral.iso

$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(dir $@)
	$(KERNEL_CC) $(KERNEL_ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/ksyms-empty.o $(BUILD)/kernel/ksyms.o: %.o: %.S
	$(KERNEL_CC) $(KERNEL_ASFLAGS) -c $< -o $@

# First link: an empty symbol table.
$(BUILD)/kernel/ksyms-empty.S: scripts/ksyms-gen
	@mkdir -p $(dir $@)
	scripts/ksyms-gen > $@

$(BUILD)/kernel/coral.stage1.elf: $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o kernel/arch/x86_64/kernel.ld
	$(KERNEL_LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms-empty.o

# Second link: the first link's functions, embedded.
$(BUILD)/kernel/ksyms.S: $(BUILD)/kernel/coral.stage1.elf scripts/ksyms-gen
	scripts/ksyms-gen $< > $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o kernel/arch/x86_64/kernel.ld scripts/check-flat-image
	$(KERNEL_LD) $(KERNEL_LDFLAGS) -o $@.tmp $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o
	@scripts/ksyms-gen $@.tmp | cmp -s - $(BUILD)/kernel/ksyms.S || \
	  { echo "kernel: functions moved between the two links"; exit 1; }
	@scripts/check-flat-image $@.tmp
	mv $@.tmp $@

$(KERNEL_ISO): $(KERNEL_ELF) kernel/arch/x86_64/grub.cfg
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(KERNEL_ELF) $(BUILD)/iso/boot/coral.elf
	cp kernel/arch/x86_64/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2> $(BUILD)/iso.log || { cat $(BUILD)/iso.log; exit 1; }

iso: $(KERNEL_ISO)

# `make run`: boot with the QEMU wrapper, serial on stdout; exits with the
# kernel's status (0 on success). RUN_ARGS adds wrapper options.
run: deps
	@$(MAKE) --no-print-directory -s $(KERNEL_ELF)
	@scripts/qemu-run $(RUN_ARGS) $(KERNEL_ELF)

-include $(KERNEL_OBJS:.o=.d)

ALL        += $(KERNEL_ELF)
TEST_BUILD += $(KERNEL_ISO)
