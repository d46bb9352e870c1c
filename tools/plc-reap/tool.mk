LDLIBS_plc-reap := -lcurl -ljansson -lyajl -lexpat -lcrypto -lm
