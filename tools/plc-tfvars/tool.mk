LDLIBS_plc-tfvars := -lyaml -ljansson -lm
# The objects, named here because the root pattern rule's second expansion
# sees the stem substituted into its own patsubst pattern and lists none.
bin/plc-tfvars: $(patsubst tools/%.c,$(B)/tools/%.o,$(wildcard tools/plc-tfvars/*.c))
