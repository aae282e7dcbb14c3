/* cmd_report.c: placeholder while the scanner is written (replaced shortly). */
#include "modelcensus/cmd.h"
int cmd_report(int argc, char **argv) { return cmd_fail(EXIT_CANNOT_RUN, "report: not built yet"); }
