LDLIBS_plc-aws-sign := -lcurl -ljansson -lyajl -lexpat -lcrypto -lm
