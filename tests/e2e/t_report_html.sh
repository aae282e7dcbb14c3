#!/bin/sh
# t_report_html.sh: `report --format html` in a real browser.  The page of a
# scanned tree is rendered by headless Chromium (Debian's chromium, which
# install-deps.sh --test installs; skipped with a message where it is not
# there) and the rendered DOM is checked: the model count and the filtered
# count match the database, the charts are drawn, #commercial_use=not-allowed
# shows exactly the not-allowed rows (the hash goes through the same update
# as the page's own filters), lineage links to the base model's row, and no
# script error or console message occurred.  A screenshot is saved as
# build/report.png.  Without a browser: the page loads nothing from the
# network, --where selects, a bad --where is a usage error, hostile names
# and card values stay text (no "</script>" can leave the data block), and
# an empty inventory makes a page; each model carries the text explain
# prints for it; no changes section after a database's first scan, the
# changes after a rescan.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
: "${MC_BIN:?MC_BIN must name the modelcensus binary}"
BUILD_DIR=$(cd "$here/../.." && pwd)/build

R=$T/root
DB=$T/inv.db
mkdir -p "$R"

mkcard "$R/good" 'license: mit'
mkcard "$R/good2" 'license: apache-2.0'
mkcard "$R/nc-base" 'license: cc-by-nc-4.0'
mkgit "$R/nc-base" https://huggingface.co/acme/nc-base >/dev/null
mkcard "$R/ft" 'license: apache-2.0' 'base_model: acme/nc-base'
mkcard "$R/research" 'license: cc-by-nc-sa-4.0'
mkcard "$R/llama" 'license: llama3.1'
mkcard "$R/unknown-one" 'license: other'
# hostile: card values that would end the data block or run a script, and
# folder names with quotes, markup and bytes that are not UTF-8
mkcard "$R/hostile" 'license: "</script><script>document.title=`pwned`</script>"' \
	'base_model: "<img src=x onerror=alert(1)>"'
mkcard "$R/q\"uo'te <b>bold</b>" 'license: mit'
mkcard "$R/bad-$(printf '\377\376')-utf8" 'license: mit'

"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>"$T/err"
expect "scan exits 0" 0 $?

"$MC_BIN" report --db "$DB" --format html >"$T/r.html" 2>"$T/err"
expect "report --format html exits 0, says nothing on stderr" "0 " "$? $(cat "$T/err")"
expect_match "the page is HTML" '^<!DOCTYPE html>' "$(head -1 "$T/r.html")"
total=$(q "$DB" "SELECT count(*) FROM inventory")
notallowed=$(q "$DB" "SELECT count(*) FROM inventory WHERE commercial_use = 'not-allowed'")

# ---- self-contained: nothing loaded from anywhere -------------------------
refs=$(grep -Eio '<(script|link|img|iframe|source|embed|object)[^>]*(src|href|data)=[^>]*>|url\([^)]*\)|@import' "$T/r.html" | head -5)
expect "the page loads no script, style or image from a URL" "" "$refs"
expect "the page names no http(s) address" "" "$(grep -Eo 'https?://[^"<> ]*' "$T/r.html" | grep -v '^http://www.w3.org/2000/svg$' | head -3)"
expect "the page forbids loading anything (Content Security Policy)" 1 \
	"$(grep -c "Content-Security-Policy\" content=\"default-src 'none'" "$T/r.html")"

# ---- hostile text stays inside the data block ------------------------------
expect "two <script> elements only: no card value opens another" 2 "$(grep -o '<script' "$T/r.html" | wc -l)"
expect "two </script> only: no card value ends the data block" 2 "$(grep -o '</script' "$T/r.html" | wc -l)"
data=$(sed -n 's/.*<script type="application\/json" id="mc-data">\(.*\)<\/script>.*/\1/p' "$T/r.html")
expect "the data block holds no '<' at all (written \\u003c)" "" "$(printf '%s' "$data" | tr -cd '<')"
printf '%s' "$data" >"$T/data.json"
expect "the data block is JSON with one object per model" "$total" \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["models"]))' "$T/data.json" 2>&1)"
expect "the data block keeps the hostile card value as text" 1 \
	"$(python3 -c 'import json,sys; print(sum("</script><script>document.title" in m["explain"] for m in json.load(open(sys.argv[1]))["models"]))' "$T/data.json" 2>&1)"
"$MC_BIN" explain --db "$DB" "$R/ft" >"$T/ft.explain" 2>&1
python3 -c 'import json,sys; print([m["explain"] for m in json.load(open(sys.argv[1]))["models"] if m["path"] == sys.argv[2]][0], end="")' \
	"$T/data.json" "$R/ft" >"$T/ft.embedded" 2>&1
expect "each model's explanation is what explain prints for it" "" "$(diff "$T/ft.explain" "$T/ft.embedded")"
expect "the database's first scan: the data has no changes" "None" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changes"])' "$T/data.json" 2>&1)"

# ---- --where, a bad --where, an empty inventory ----------------------------
"$MC_BIN" report --db "$DB" --format html --where "commercial_use = 'allowed'" >"$T/w.html" 2>"$T/err"
expect "--where: exits 0" 0 $?
expect "--where: the data holds the models it selects" "$(q "$DB" "SELECT count(*) FROM inventory WHERE commercial_use = 'allowed'")" \
	"$(sed -n 's/.*<script type="application\/json" id="mc-data">\(.*\)<\/script>.*/\1/p' "$T/w.html" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["models"]))' 2>&1)"
"$MC_BIN" report --db "$DB" --format html --where "no_such_column = 1" >"$T/bad.html" 2>"$T/err"
expect "a bad --where: exit 2, no page" "2 0" "$? $(wc -c <"$T/bad.html")"
expect_match "a bad --where is said" "bad query.*no_such_column" "$(cat "$T/err")"
"$MC_BIN" report --db "$DB" --format html --where "path <> '</script><script>x()</script>'" >"$T/w2.html" 2>"$T/err"
expect "a --where holding </script> stays in the data block" "0 2 $total" \
	"$? $(grep -o '</script' "$T/w2.html" | wc -l) $(sed -n 's/.*<script type="application\/json" id="mc-data">\(.*\)<\/script>.*/\1/p' "$T/w2.html" |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)["models"]))' 2>&1)"
if [ -w /dev/full ]; then
	"$MC_BIN" report --db "$DB" --format html >/dev/full 2>"$T/err"
	expect "a full disk: exit 3, said once" "3 modelcensus: cannot write to standard output" "$? $(cat "$T/err")"
fi
mkdir -p "$T/empty"
"$MC_BIN" scan --quiet --db "$T/empty.db" "$T/empty" >/dev/null 2>&1
"$MC_BIN" report --db "$T/empty.db" --format html >"$T/e.html" 2>"$T/err"
expect "an empty inventory: exit 0 and a page" "0 1" "$? $(grep -c '</html>' "$T/e.html")"
"$MC_BIN" report --db "$T/missing.db" --format html >"$T/m.html" 2>"$T/err"
expect "a missing database: exit 3, no page" "3 0" "$? $(wc -c <"$T/m.html")"

# ---- in a real browser -----------------------------------------------------
CHROMIUM=${MC_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
	skip "the page in a browser" "no chromium (install-deps.sh --test installs Debian's chromium; or set MC_CHROMIUM)"
	exit 0
fi

# render FILE HASH OUT: the DOM after the page's script ran, console in OUT.log
render() {
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/chromium" --enable-logging=stderr --v=0 \
		--virtual-time-budget=10000 --dump-dom "file://$1$2" >"$3" 2>"$3.log"
}
# dom OUT: what the tests read of a rendered page, one fact a line
dom() {
	python3 - "$1" <<'PY'
import sys
from html.parser import HTMLParser

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.f = {"rows": [], "cus": set(), "svg": 0, "bars": 0, "errors": "", "count": None,
                  "matches": None, "scripts": 0, "changes": 0, "bold": 0, "img": 0,
                  "lineage": [], "pre": ""}
        self.stack = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append((tag, a.get("id")))
        f = self.f
        if tag == "tr" and "model" in (a.get("class") or "").split():
            f["rows"].append(a.get("data-path")); f["cus"].add(a.get("data-cu"))
        if tag == "svg": f["svg"] += 1
        if tag == "rect": f["bars"] += 1
        if tag == "script": f["scripts"] += 1
        if tag == "b": f["bold"] += 1
        if tag == "img": f["img"] += 1
        if a.get("id") == "mc-count": f["count"] = a.get("data-count")
        if a.get("id") == "mc-status": f["matches"] = a.get("data-matches")
        if a.get("id") == "changes-section": f["changes"] += 1
        if tag == "a" and "lineage" in (a.get("class") or ""): f["lineage"].append(a.get("href"))
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
    def handle_data(self, d):
        if any(i == "mc-errors" for _, i in self.stack): self.f["errors"] += d
        if any(t == "pre" for t, _ in self.stack): self.f["pre"] += d

p = P()
p.feed(open(sys.argv[1], encoding="utf-8", errors="replace").read())
f = p.f
print("count", f["count"])
print("matches", f["matches"])
print("rows", len(f["rows"]))
print("cus", " ".join(sorted(c for c in f["cus"] if c)))
print("svg", f["svg"])
print("bars", f["bars"])
print("scripts", f["scripts"])
print("changes", f["changes"])
print("bold", f["bold"])
print("img", f["img"])
print("errors", f["errors"].strip())
print("lineage", " ".join(f["lineage"]))
print("hostile-pre", int("</script><script>document.title=`pwned`</script>" in f["pre"]))
for r in sorted(f["rows"]):
    print("row", r)
PY
}
fact() { sed -n "s/^$1 //p" "$2"; }
# console OUT: console messages and uncaught errors Chromium logged
console() { grep -E 'CONSOLE|Uncaught' "$1.log" | head -5; }

render "$T/r.html" "" "$T/all.dom"
if ! grep -q 'id="mc-status"' "$T/all.dom"; then
	skip "the page in a browser" "chromium at '$CHROMIUM' did not render the page: $(tail -1 "$T/all.dom.log")"
	exit 0
fi
dom "$T/all.dom" >"$T/all.facts"
expect "browser: the model count is the database's" "$total" "$(fact count "$T/all.facts")"
expect "browser: no filter, every model matches" "$total" "$(fact matches "$T/all.facts")"
expect "browser: no filter, a row for every model" "$total" "$(fact rows "$T/all.facts")"
expect "browser: the rows show each commercial use there is" \
	"$(q "$DB" "SELECT DISTINCT commercial_use FROM inventory ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')" \
	"$(fact cus "$T/all.facts")"
expect "browser: two charts (inline SVG)" 2 "$(fact svg "$T/all.facts")"
expect "browser: a bar for each commercial use and each license" \
	"$(($(q "$DB" "SELECT count(DISTINCT commercial_use) + count(DISTINCT license) FROM inventory")))" \
	"$(fact bars "$T/all.facts")"
expect "browser: no script error on the page" "" "$(fact errors "$T/all.facts")"
expect "browser: no console message or uncaught error" "" "$(console "$T/all.dom")"
expect "browser: no script from the data ran (two script elements)" 2 "$(fact scripts "$T/all.facts")"
expect "browser: a name with <b> is text, not markup" 0 "$(fact bold "$T/all.facts")"
expect "browser: the database's first scan, no changes section" 0 "$(fact changes "$T/all.facts")"

render "$T/r.html" "#commercial_use=not-allowed" "$T/na.dom"
dom "$T/na.dom" >"$T/na.facts"
expect "browser: #commercial_use=not-allowed: the count of not-allowed models" "$notallowed" "$(fact matches "$T/na.facts")"
expect "browser: #commercial_use=not-allowed: exactly the not-allowed rows" \
	"$(q "$DB" "SELECT path FROM inventory WHERE commercial_use = 'not-allowed' ORDER BY path")" \
	"$(fact row "$T/na.facts" | LC_ALL=C sort)"
expect "browser: #commercial_use=not-allowed: no other commercial use shown" "not-allowed" "$(fact cus "$T/na.facts")"
expect "browser: the filter selects nothing else: no script error" "" "$(fact errors "$T/na.facts")$(console "$T/na.dom")"

render "$T/r.html" "#q=llama" "$T/q.dom"
dom "$T/q.dom" >"$T/q.facts"
expect "browser: #q=llama: the search finds the one llama model" "1 $R/llama" \
	"$(fact matches "$T/q.facts") $(fact row "$T/q.facts")"

# a fine-tune opened by #model=PATH: its explanation and a link to its base's row
enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$R/ft")
render "$T/r.html" "#model=$enc" "$T/ft.dom"
dom "$T/ft.dom" >"$T/ft.facts"
expect "browser: #model=PATH opens its row: the base model links to the base's row" \
	"#model=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$R/nc-base")" \
	"$(fact lineage "$T/ft.facts")"
expect_match "browser: the opened row shows explain's text" 'reasoning:' "$(cat "$T/ft.dom")"
enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$R/hostile")
render "$T/r.html" "#model=$enc" "$T/h.dom"
dom "$T/h.dom" >"$T/h.facts"
expect "browser: a hostile card value is shown as text in the explanation" 1 "$(fact hostile-pre "$T/h.facts")"
expect "browser: a hostile card value runs nothing, adds no element" "2 0 " \
	"$(fact scripts "$T/h.facts") $(fact img "$T/h.facts") $(fact errors "$T/h.facts")"
expect "browser: a hostile card value: no console message" "" "$(console "$T/h.dom")"
expect "browser: the title is the page's own" 1 "$(grep -c '<title>Model inventory: modelcensus report</title>' "$T/h.dom")"

render "$T/e.html" "" "$T/e.dom"
dom "$T/e.dom" >"$T/e.facts"
expect "browser: an empty inventory renders: 0 models, no error" "0 0 " \
	"$(fact count "$T/e.facts") $(fact rows "$T/e.facts") $(fact errors "$T/e.facts")$(console "$T/e.dom")"

# a rescan after a license change: the page lists the change
mkcard "$R/good" 'license: cc-by-nc-4.0'
"$MC_BIN" scan --quiet --db "$DB" "$R" >/dev/null 2>&1
"$MC_BIN" report --db "$DB" --format html >"$T/c.html" 2>"$T/err"
sed -n 's/.*<script type="application\/json" id="mc-data">\(.*\)<\/script>.*/\1/p' "$T/c.html" >"$T/c.json"
expect "a rescan: the data lists the one change, allowed -> not-allowed" \
	"$R/good changed allowed not-allowed" \
	"$(python3 -c 'import json,sys; print("\n".join("%s %s %s %s" % (c["path"], c["change"], c["old_commercial_use"], c["new_commercial_use"]) for c in json.load(open(sys.argv[1]))["changes"]))' "$T/c.json" 2>&1)"
render "$T/c.html" "" "$T/c.dom"
dom "$T/c.dom" >"$T/c.facts"
expect "browser: a rescan with a change: the changes section is there" 1 "$(fact changes "$T/c.facts")"
expect_match "browser: the changes section names the changed model" "$R/good" "$(cat "$T/c.dom")"
expect "browser: a rescan with a change: no error" "" "$(fact errors "$T/c.facts")$(console "$T/c.dom")"

mkdir -p "$BUILD_DIR"
rm -f "$BUILD_DIR/report.png"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$T/chromium" \
	--hide-scrollbars --virtual-time-budget=10000 --window-size=1280,900 \
	--screenshot="$BUILD_DIR/report.png" "file://$T/r.html" >/dev/null 2>&1
if [ -s "$BUILD_DIR/report.png" ]; then ok "browser: a screenshot saved as build/report.png"
else nok "browser: a screenshot saved as build/report.png" "chromium wrote none"; fi
