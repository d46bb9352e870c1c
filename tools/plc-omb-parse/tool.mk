LDLIBS_plc-omb-parse := -lyajl -ljansson -lm
