LDLIBS_plc-prom := -ljansson -lyajl -lm
