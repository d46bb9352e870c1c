PLCLIBS_plc-cost := $(AWS_LIB)
LDLIBS_plc-cost := -lcurl -ljansson -lyajl -lexpat -lcrypto -lm
# The shipped price table is built into the program (prices_data.c).
$(B)/tools/plc-cost/prices_data.o: tools/plc-cost/prices.json
