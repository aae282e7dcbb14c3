#!/bin/sh
# git2-soname.sh: prints the file name (SONAME, e.g. libgit2.so.1.5) of the
# libgit2 whose headers pkg-config gives, the name src/repo_git.c passes to
# dlopen().  Prints nothing when libgit2's development files are missing.
set -eu
dir=$(pkg-config --variable=libdir libgit2)
objdump -p "$dir/libgit2.so" | sed -n 's/^ *SONAME *//p'
