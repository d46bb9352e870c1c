LDLIBS_plc-preflight := -ljansson -lyajl
