LDLIBS_plc-tfvars := -lyaml -ljansson -lm
