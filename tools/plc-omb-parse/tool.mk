LDLIBS_plc-omb-parse := -lyajl -ljansson -lm
# The objects, named here because the pattern rule's second expansion sees
# the stem substituted into its own patsubst pattern and lists no objects.
bin/plc-omb-parse: $(patsubst tools/%.c,$(B)/tools/%.o,$(wildcard tools/plc-omb-parse/*.c))
