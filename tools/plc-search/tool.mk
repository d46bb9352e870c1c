LDLIBS_plc-search := -ljansson -lyajl -lm
