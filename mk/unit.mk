# mk/unit.mk: host unit tests (cmocka). Each tests/unit/test_NAME.c becomes
# build/tests/unit/test_NAME, linked with every host object of lib/ and of the
# engine (HOST_WASM_OBJS, when the engine is built) and of the kernel objects
# (HOST_OS_OBJS, mk/os.mk). tests/steps/10-unit runs them.

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)

$(BUILD)/tests/unit/%: tests/unit/%.c $(HOST_LIB_OBJS) $(HOST_WASM_OBJS) $(HOST_OS_OBJS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -MMD -MP $< $(HOST_LIB_OBJS) $(HOST_WASM_OBJS) $(HOST_OS_OBJS) \
	    -lcmocka $(HOST_OS_LIBS) -o $@

-include $(UNIT_BINS:=.d)

TEST_BUILD += $(UNIT_BINS)
