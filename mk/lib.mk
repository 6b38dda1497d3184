# mk/lib.mk: lib/, built twice from the same sources: for host tools and
# tests (HOST_LIB_OBJS) and for the kernel (KERNEL_LIB_OBJS).

LIB_SRCS        := $(wildcard lib/*.c)
HOST_LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/host/%.o)
KERNEL_LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/kernel/%.o)

# Generic rules for every freestanding or host source, with header deps.
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

-include $(HOST_LIB_OBJS:.o=.d) $(KERNEL_LIB_OBJS:.o=.d)
