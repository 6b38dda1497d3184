# mk/os.mk: kernel objects and the `coral` module (kernel/coral/), built
# for the host now (HOST_OS_OBJS: with host/sys.c, the Linux side of
# kernel/coral/sys.h; linked into the unit tests) and compiled for the
# kernel as a check that they stay freestanding (KERNEL_OS_OBJS; the kernel
# links them once it implements kernel/coral/sys.h).

OS_SRCS        := $(wildcard kernel/coral/*.c)
HOST_OS_OBJS   := $(OS_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/host/sys.o
KERNEL_OS_OBJS := $(OS_SRCS:%.c=$(BUILD)/kernel/%.o)
HOST_OS_LIBS   := -pthread

-include $(HOST_OS_OBJS:.o=.d) $(KERNEL_OS_OBJS:.o=.d)

ALL        += $(HOST_OS_OBJS) $(KERNEL_OS_OBJS)
TEST_BUILD += $(HOST_OS_OBJS) $(KERNEL_OS_OBJS)

# The same unit tests again under AddressSanitizer and UBSan (leaks,
# use-after-free, overflows): every object they use is built once more into
# build/asan/; tests/steps/15-os-asan runs the binaries.
ASAN_CFLAGS := $(filter-out -O2,$(HOST_CFLAGS)) -O1 -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_OBJS   := $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS) $(WASM_SRCS) $(OS_SRCS) \
                 host/platform.c host/sys.c)
OS_UNIT_SRCS := $(wildcard tests/unit/test_os_*.c)
ASAN_BINS    := $(OS_UNIT_SRCS:tests/unit/%.c=$(BUILD)/asan/tests/%)

$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/tests/%: tests/unit/%.c $(ASAN_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(ASAN_CFLAGS) -MMD -MP $< $(ASAN_OBJS) -lcmocka -pthread -o $@

-include $(ASAN_OBJS:.o=.d) $(ASAN_BINS:=.d)
TEST_BUILD += $(ASAN_BINS)
