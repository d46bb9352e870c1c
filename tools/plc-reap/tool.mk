LDLIBS_plc-reap := -lcurl -ljansson -lexpat -lcrypto -lm
