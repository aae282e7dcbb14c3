/* cmd_scan.c: placeholder while the scanner is written (replaced shortly). */
#include "modelcensus/cmd.h"
int cmd_scan(int argc, char **argv) { return cmd_fail(EXIT_CANNOT_RUN, "scan: not built yet"); }
