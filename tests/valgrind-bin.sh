#!/bin/sh
# tests/valgrind-bin.sh: stands in for the modelcensus binary in the
# end-to-end tests (make check-valgrind): runs it under valgrind memcheck,
# failing with exit 99 on any memory error or definite leak, and logging
# each run to $MC_VALGRIND_LOG.  PCRE2 runs without JIT there: valgrind
# cannot follow JIT-generated code.
MODELCENSUS_NO_JIT=1 exec valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--log-file="${MC_VALGRIND_LOG:-/dev/stderr}" \
	"$MC_REAL_BIN" "$@"
