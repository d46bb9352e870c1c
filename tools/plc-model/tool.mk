LDLIBS_plc-model := -ljansson -lyajl -lm
