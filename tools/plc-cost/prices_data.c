/*
 * The shipped price table (prices.json beside this file), built into the
 * program so that an installed plc-cost needs no data directory.
 */
__asm__(
    "	.pushsection .rodata\n"
    "	.globl plc_cost_prices_json\n"
    "	.type plc_cost_prices_json, @object\n"
    "plc_cost_prices_json:\n"
    "	.incbin \"tools/plc-cost/prices.json\"\n"
    "	.byte 0\n"
    "	.size plc_cost_prices_json, . - plc_cost_prices_json\n"
    "	.popsection\n");
