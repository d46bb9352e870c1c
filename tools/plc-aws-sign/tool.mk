LDLIBS_plc-aws-sign := -lcurl -ljansson -lexpat -lcrypto -lm
