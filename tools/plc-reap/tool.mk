PLCLIBS_plc-reap := $(AWS_LIB)
LDLIBS_plc-reap := -lcurl -ljansson -lyajl -lexpat -lcrypto -lm
