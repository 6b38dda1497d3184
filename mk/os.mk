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
