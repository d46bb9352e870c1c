PLCLIBS_plc-aws-sign := $(AWS_LIB)
LDLIBS_plc-aws-sign := -lcurl -ljansson -lyajl -lexpat -lcrypto -lm
