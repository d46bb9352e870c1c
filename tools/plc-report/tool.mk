LDLIBS_plc-report := -ljansson -lyajl -lm
