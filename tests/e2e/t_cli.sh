#!/bin/sh
# t_cli.sh: the one option style of every command as a user meets it: --help
# and `help COMMAND` (complete help on stdout, exit 0), an unknown option, a
# missing or unwanted argument and a bad --format value (one line on stderr
# naming it, exit 2); the man page (docs/modelcensus.1) and each command's
# --help listing the same options, so they cannot drift; and the bash
# completion (scripts/modelcensus.bash-completion) called as bash calls it.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
root=$(cd "$here/../.." && pwd)
MAN="$root/docs/modelcensus.1"
COMPLETION="$root/scripts/modelcensus.bash-completion"

# run ARGS...: $rc, $T/out, $T/err
run() { "$MC_BIN" "$@" >"$T/out" 2>"$T/err"; rc=$?; }

commands=$("$MC_BIN" --help | sed -n 's/^  \([a-z][a-z]*\)  *.*/\1/p' | tr '\n' ' ')
expect "modelcensus --help lists the commands" "scan report explain check diff export merge identify rules " "$commands"

# global help, help, unknown commands
run --help; top=$(cat "$T/out")
expect "--help: exit 0" 0 "$rc"
run help
expect "help: exit 0" 0 "$rc"
expect "help prints the global help" "$top" "$(cat "$T/out")"
expect_match "the global help names help COMMAND" "modelcensus help \[<command>\]" "$top"
run
expect "no command: exit 2" 2 "$rc"
run frobnicate
expect "an unknown command: exit 2" 2 "$rc"
expect "an unknown command: one line" "modelcensus: 'frobnicate' is not a command; see 'modelcensus --help'" "$(cat "$T/err")"
run --frobnicate
expect "an unknown global option: one line, exit 2" \
	"2 modelcensus: unknown option '--frobnicate'; see 'modelcensus --help'" "$rc $(cat "$T/err")"
run help frobnicate
expect "help of an unknown command: exit 2" 2 "$rc"
run help scan report
expect "help of two commands: exit 2" 2 "$rc"
run --version
expect_match "--version" "^modelcensus [0-9]" "$(cat "$T/out")"

# man_section CMD: the man page's text for CMD, from ".SS CMD" to the next heading
man_section() { awk -v c="$1" '/^\.S[SH]/ { on = ($0 == ".SS " c) ; next } on' "$MAN"; }
# man_options CMD: the long options the man page lists (.TP items) for CMD
man_options() {
	man_section "$1" | awk 'prev == ".TP" { print } { prev = $0 }' |
		grep -o '\\-\\-[a-z][a-z-]*' | sed 's/\\-/-/g' | sort -u
}
# help_options: the long options a --help lists (its option lines)
help_options() {
	sed -n 's/^  *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' "$T/help" | sort -u
}

for c in $commands; do
	# --help and help COMMAND
	run "$c" --help
	cp "$T/out" "$T/help"
	expect "$c --help: exit 0, nothing on stderr" "0 " "$rc $(cat "$T/err")"
	expect_match "$c --help: a usage line" "^usage: modelcensus $c" "$(head -n 1 "$T/help")"
	expect_match "$c --help: says what the exit status means" "[Ee]xit" "$(cat "$T/help")"
	run "$c" -h
	expect "$c -h is --help" "0 $(cat "$T/help")" "$rc $(cat "$T/out")"
	run help "$c"
	expect "help $c: exit 0" 0 "$rc"
	expect "help $c prints $c --help" "$(cat "$T/help")" "$(cat "$T/out")"

	# usage errors: one line, exit 2
	run "$c" --no-such-option
	expect "$c --no-such-option: exit 2, one line, nothing on stdout" \
		"2 1 modelcensus: $c: unknown option '--no-such-option'; see 'modelcensus $c --help' " \
		"$rc $(wc -l <"$T/err") $(cat "$T/err") $(cat "$T/out")"
	run "$c" --no-such-option=1 -x
	expect "$c --no-such-option=1: names the option" \
		"2 modelcensus: $c: unknown option '--no-such-option'; see 'modelcensus $c --help'" \
		"$rc $(cat "$T/err")"
	run "$c" -x
	expect "$c -x: names the option" \
		"2 modelcensus: $c: unknown option '-x'; see 'modelcensus $c --help'" "$rc $(cat "$T/err")"
	# every option with an argument, given none; every one without, given one
	sed -n 's/^  *\(--[a-z][a-z-]*\) \([A-Za-z]\).*/\1/p' "$T/help" >"$T/with-arg"
	sed -n 's/^  *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\)  .*/\2/p' "$T/help" |
		grep -vx -- --help >"$T/no-arg"
	while read -r o; do
		run "$c" "$o"
		expect "$c $o without its argument: one line naming it, exit 2" \
			"2 modelcensus: $c: option '$o' needs an argument; see 'modelcensus $c --help'" \
			"$rc $(cat "$T/err")"
	done <"$T/with-arg"
	while read -r o; do
		run "$c" "$o=1"
		expect "$c $o=1: takes no argument, exit 2" \
			"2 modelcensus: $c: option '$o' takes no argument; see 'modelcensus $c --help'" \
			"$rc $(cat "$T/err")"
	done <"$T/no-arg"
	# after a repeatable option has kept its value (nothing leaks: check-asan)
	for o in --rules --deny; do
		grep -qx -- "$o" "$T/with-arg" || continue
		run "$c" "$o" "$T" --no-such-option
		expect "$c $o X --no-such-option: exit 2" 2 "$rc"
	done
	if grep -q -- '--format' "$T/help"; then
		run "$c" --format bogus
		expect_match "$c --format bogus: one line saying what --format takes, exit 2" \
			"^2 modelcensus: $c: --format takes [a-z, ]+ or [a-z]+, not 'bogus'; see 'modelcensus $c --help'\$" \
			"$rc $(cat "$T/err")"
	fi

	# the man page and --help list the same options
	if ! grep -qx "\.SS $c" "$MAN"; then
		nok "the man page has a section for $c"
		continue
	fi
	expect "$c: the man page lists the options --help lists" "$(help_options)" "$(man_options "$c")"
	missing=""
	for o in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
		man_section "$c" | sed 's/\\-/-/g' | grep -q -- "$o" || missing="$missing $o"
	done
	expect "$c: every option its --help names is in its man section" "" "$missing"
	expect "$c: a man SYNOPSIS line" 1 "$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$MAN" |
		grep -c "^\.B modelcensus $c")"
done

# operands: the same one line
run scan
expect "scan without PATH: one line, exit 2" \
	"2 modelcensus: scan: needs at least one PATH; see 'modelcensus scan --help'" "$rc $(cat "$T/err")"
run report extra
expect "report with an operand: one line, exit 2" \
	"2 modelcensus: report: takes no arguments, not 'extra'; see 'modelcensus report --help'" "$rc $(cat "$T/err")"
run rules list extra
expect "rules list with an operand: exit 2" 2 "$rc"
run check --d x
expect "an ambiguous abbreviation: one line, exit 2" \
	"2 modelcensus: check: ambiguous option '--d'; see 'modelcensus check --help'" "$rc $(cat "$T/err")"
run report --form=bogus
expect "an abbreviation with =: the value is checked" 2 "$rc"
# options after operands count, as before
run rules list --format json
expect "rules list --format json: options after the subcommand" 0 "$rc"

# the rest of the man page
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
	expect "the man page has $s" 1 "$(grep -c "^\.SH \"*$s\"*\$" "$MAN")"
done
for w in HF_HUB_CACHE HF_HOME MODELCENSUS_RULES share/modelcensus/rules "\.SS help"; do
	expect_match "the man page names $w" "$w" "$(cat "$MAN")"
done
if command -v man >/dev/null 2>&1; then
	out=$(MANWIDTH=80 man -l "$MAN" 2>"$T/man.err"); rc=$?
	expect_match "man -l renders the page" "modelcensus scan" "$out"
	expect "man -l: no warning" "0 " "$rc $(grep -v '^man: can.t set the locale' "$T/man.err")"
else
	skip "man -l renders the page" "man is not installed (Debian: man-db)"
fi

# bash completion
if ! command -v bash >/dev/null 2>&1; then
	skip "bash completion" "bash is not installed"
	exit 0
fi
mkdir -p "$T/cwd/models" "$T/cwd/rules-extra" && : >"$T/cwd/models.txt"
# complete WORDS...: what the completion offers for the last word
complete_words() {
	(cd "$T/cwd" && bash -c '
		complete() { :; }	# no interactive shell: only the function matters
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_modelcensus
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' sh "$COMPLETION" "$MC_BIN" "$@")
}
expect "completion: commands" "--help --version check diff explain export help identify merge report rules scan " \
	"$(complete_words "")"
expect "completion: a command's prefix" "report rules " "$(complete_words r)"
expect "completion: help COMMAND" "explain export " "$(complete_words help ex)"
expect "completion: report --format" "csv html json table " "$(complete_words report --format "")"
expect "completion: explain --format" "json text " "$(complete_words explain --format "")"
expect "completion: export --format" "cyclonedx spdx " "$(complete_words export --format "")"
expect "completion: rules subcommands" "list test " "$(complete_words rules "")"
expect "completion: --rules takes folders" "rules-extra " "$(complete_words scan --rules r)"
expect "completion: scan PATH is a file name" "models models.txt " "$(complete_words scan mod)"
for c in $commands; do
	"$MC_BIN" "$c" --help >"$T/help"
	expect "completion: $c's options are its --help's" "$(help_options | tr '\n' ' ')" \
		"$(complete_words "$c" -)"
done
