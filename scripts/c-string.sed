# c-string.sed: turns a text file into the lines of one C string literal
# (the Makefile compiles src/report.html into the program with it): each
# line quoted, with its newline; backslashes and quotes escaped, and every
# question mark too, so that no "??x" of the text is read as a trigraph.
s/\\/\\\\/g
s/"/\\"/g
s/?/\\?/g
s/^/"/
s/$/\\n"/
