# mk/wasm.mk: the engine, freestanding, built for the host (HOST_WASM_OBJS,
# with the Linux platform in host/platform.c) and for the kernel
# (KERNEL_WASM_OBJS). Every .c under wasm/ is part of it.

WASM_SRCS        := $(wildcard wasm/*.c wasm/*/*.c)
HOST_WASM_OBJS   := $(WASM_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/host/platform.o
KERNEL_WASM_OBJS := $(WASM_SRCS:%.c=$(BUILD)/kernel/%.o)

-include $(HOST_WASM_OBJS:.o=.d) $(KERNEL_WASM_OBJS:.o=.d)
