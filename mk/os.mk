# mk/os.mk: kernel objects and the `coral` module (kernel/coral/), built
# for the host now (HOST_OS_OBJS: with host/sys.c, the Linux side of
# kernel/coral/sys.h; linked into the unit tests) and compiled for the
# kernel as a check that they stay freestanding (KERNEL_OS_OBJS; the kernel
# links them once it implements kernel/coral/sys.h).

OS_SRCS        := $(wildcard kernel/coral/*.c)
HOST_OS_OBJS   := $(OS_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/host/sys.o
KERNEL_OS_OBJS := $(OS_SRCS:%.c=$(BUILD)/kernel/%.o)
HOST_OS_LIBS   := -pthread

# sys.h in the kernel (kernel/coral/kernel/sys_kernel.c) needs the kernel's
# threads: compiled (as a check, not yet linked) once they exist.
ifneq ($(wildcard kernel/thread.h),)
KERNEL_OS_OBJS += $(BUILD)/kernel/kernel/coral/kernel/sys_kernel.o
endif

# With the engine in the kernel (kernel/kwasm.h), the kernel links all of
# it and starts userboot from its Multiboot modules
# (kernel/coral/kernel/userboot_kernel.c, called from kmain).
ifneq ($(wildcard kernel/kwasm.h),)
KERNEL_OS_OBJS += $(BUILD)/kernel/kernel/coral/kernel/userboot_kernel.o
KERNEL_OBJS    += $(KERNEL_OS_OBJS)
$(BUILD)/kernel/coral.stage1.elf $(KERNEL_ELF): $(KERNEL_OS_OBJS)
endif

-include $(HOST_OS_OBJS:.o=.d) $(KERNEL_OS_OBJS:.o=.d)

ALL        += $(HOST_OS_OBJS) $(KERNEL_OS_OBJS)
TEST_BUILD += $(HOST_OS_OBJS) $(KERNEL_OS_OBJS)

# The same unit tests again under AddressSanitizer and UBSan (leaks,
# use-after-free, overflows): every object they link is built once more
# into build/os-asan/; tests/steps/15-os-asan runs the binaries.
OS_ASAN_CFLAGS := $(filter-out -O2,$(HOST_CFLAGS)) -O1 -fno-omit-frame-pointer \
                  -fsanitize=address,undefined -fno-sanitize-recover=undefined
OS_ASAN_OBJS   := $(patsubst $(BUILD)/host/%,$(BUILD)/os-asan/%,$(HOST_LIB_OBJS) $(HOST_WASM_OBJS) \
                    $(HOST_OS_OBJS))
OS_UNIT_SRCS   := $(wildcard tests/unit/test_os_*.c)
OS_ASAN_BINS   := $(OS_UNIT_SRCS:tests/unit/%.c=$(BUILD)/os-asan/tests/%)

$(BUILD)/os-asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(OS_ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/os-asan/%.o: %.S
	@mkdir -p $(dir $@)
	$(HOST_CC) $(OS_ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/os-asan/tests/%: tests/unit/%.c $(OS_ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(OS_ASAN_CFLAGS) -MMD -MP $< $(OS_ASAN_OBJS) -lcmocka -pthread -o $@

-include $(OS_ASAN_OBJS:.o=.d) $(OS_ASAN_BINS:=.d)
TEST_BUILD += $(OS_ASAN_BINS)

# `coral run FILE.wasm` (without --invoke) runs FILE with the real coral
# module (host/os_run.c, called from host/cli_run.c).
$(BUILD)/coral: $(HOST_OS_OBJS) $(BUILD)/host/host/os_run.o

# build/coral under ASan+UBSan too: tests/steps/15-os-asan runs userboot and
# the examples with it (real threads, real traps, leaks checked at exit).
ifneq ($(CORAL_OBJS),)
OS_ASAN_CORAL_OBJS := $(patsubst $(BUILD)/host/%,$(BUILD)/os-asan/%,$(CORAL_OBJS) \
                        $(BUILD)/host/host/os_run.o)

$(BUILD)/os-asan/coral: $(OS_ASAN_CORAL_OBJS) $(OS_ASAN_OBJS)
	$(HOST_CC) $(OS_ASAN_CFLAGS) $^ -pthread -o $@

-include $(OS_ASAN_CORAL_OBJS:.o=.d)
TEST_BUILD += $(BUILD)/os-asan/coral
endif

# tests/fuzz/fuzz_coral.c: the libFuzzer target for the coral calls (`make
# fuzz FUZZ_TARGET=coral`). It needs kernel/coral/ and host/sys.c built
# the way mk/host.mk builds the engine for the other fuzz targets.
ifneq ($(FUZZ_ENGINE_OBJS),)
FUZZ_OS_OBJS := $(patsubst $(BUILD)/host/%,$(BUILD)/fuzz/obj/%,$(HOST_OS_OBJS))

$(BUILD)/fuzz/fuzz_coral: tests/fuzz/fuzz_coral.c $(FUZZ_ENGINE_OBJS) $(FUZZ_OS_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP $< $(FUZZ_ENGINE_OBJS) $(FUZZ_OS_OBJS) \
	    $(HOST_LIBS) -pthread -o $@

-include $(FUZZ_OS_OBJS:.o=.d)
endif
