# html.sh — HTML article pages as inputs: a folder of the project's sample pages
# (tests/data/html) indexed with every field (key from the canonical URL, else the path; the
# main text without navigation, related stories or footer), a page named without an extension
# sniffed, an unchanged page not read again, a changed one updated in place by its key; hostile
# pages (10,000-deep nesting, a 100 MB page, broken markup, a charset declared wrongly) neither
# crash nor hang; and, with the shared corpora, bench/pages.py's run over the readability pages.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
DATA=$NEWSIDX_SOURCE/tests/data/html
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86

mkdir "$WORK/pages"
cp "$DATA/harbour.html" "$DATA/volcano.htm" "$WORK/pages/"
expect_exit 0 newsidx --db "$DB" "$WORK/pages" "$DATA/saved-page"
assert_contains "$OUT" "3 added, 0 updated, 0 unchanged" "first run"
assert_eq "$ERR" "" "stderr of the first run"

row() { py 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); r=c.execute("SELECT key,title,url,date,author,tags,lang,source,body FROM articles WHERE title=?",(sys.argv[2],)).fetchone()
print("\n".join(str(x) for x in r))' "$DB" "$1"; }
assert_eq "$(row 'Harbour reopens after the storm')" "https://coast.example/2025/12/05/harbour-reopens
Harbour reopens after the storm
https://coast.example/2025/12/05/harbour-reopens
2025-12-05T09:30:00Z
Ola Nowak
storm,ports
en
Coast Times
The harbour reopened on Friday, three days after the storm closed it, the port authority said, zzpierword.

Two piers were damaged, and repairs will take weeks, according to engineers who inspected them." "the page with JSON-LD"
assert_eq "$(row 'Eruption near Grindavik eases' | sed -n '2,8p')" "Eruption near Grindavik eases
None
2025-11-28
Sigrun Jonsdottir
None
is
None" "the page without structured data"
expect_exit 0 newsq --db "$DB" show --json "$WORK/pages/volcano.htm"
assert_eq "$(py 'import json,sys; print(json.loads(sys.argv[1])["key"])' "$OUT")" "$WORK/pages/volcano.htm" \
  "its path is its key"
for word in zzpierword zzlavaword zzsniffword; do
  expect_exit 0 newsq --db "$DB" --count "$word"
  assert_eq "$OUT" 1 "hits for $word"
done
for word in zznavword zzrelatedword zzfooterword; do
  expect_exit 1 newsq --db "$DB" --count "$word"
  assert_eq "$OUT" 0 "what is around the article: $word"
done
expect_exit 0 newsq --db "$DB" show --text "https://coast.example/2025/12/05/harbour-reopens"
assert_contains "$OUT" "Two piers were damaged" "show by the canonical URL"

# Unchanged: counted, not read. Changed: found again by its key, updated in place.
expect_exit 0 newsidx --db "$DB" "$WORK/pages"
assert_contains "$OUT" "0 added, 0 updated, 2 unchanged" "second run"
sed -i 's/zzpierword/zzrepairedword/' "$WORK/pages/harbour.html"
touch -d '2030-01-01' "$WORK/pages/harbour.html"
expect_exit 0 newsidx --db "$DB" "$WORK/pages"
assert_contains "$OUT" "0 added, 1 updated, 1 unchanged" "run after the change"
expect_exit 0 newsq --db "$DB" --count zzrepairedword
assert_eq "$OUT" 1 "the new text"
expect_exit 1 newsq --db "$DB" --count zzpierword
assert_eq "$OUT" 0 "the old text"

# ---- Hostile pages.
H=$WORK/hostile
mkdir "$H"
py 'import sys; d=10000; open(sys.argv[1],"w").write("<html><head><title>Deep page</title></head><body><p>zzshallowword, before the nesting.</p>"+"<div>"*d+"<p>zzdeepword, nested ten thousand deep in divs.</p>"+"</div>"*d+"</body></html>")' "$H/deep.html"
py 'import sys
p = "<p>Filler paragraph number %d, with commas, for a page of a hundred megabytes, zzbigword.</p>\n"
with open(sys.argv[1], "w") as f:
    f.write("<html><head><title>Huge page</title></head><body><div>")
    n = 0
    while n < 100 << 20:
        s = "".join(p % i for i in range(1000)); f.write(s); n += len(s)
    f.write("</div></body></html>")' "$H/huge.html"
printf '<html><body><div><p>Broken <b>markup <table><tr><td>zzbrokenword, unclosed</div></span></i>&bogus; &#xFFFFFFF;<p' >"$H/broken.html"
printf '<html><head><meta charset="iso-8859-1"><title>Caf\xc3\xa9 zzutf8word</title></head><body><p>Caf\xc3\xa9 cr\xc3\xa8me.</p></body></html>' >"$H/utf8-as-latin.html"
printf '<html><head><meta charset="utf-8"><title>Caf\xe9 zzlatinword</title></head><body><p>Caf\xe9.</p></body></html>' >"$H/latin-as-utf8.html"
expect_exit 0 timeout 120 newsidx --db "$DB" "$H"
HERR=$ERR
assert_not_contains "$HERR" "AddressSanitizer" "sanitizer reports"
for word in zzshallowword zzbigword zzbrokenword; do
  expect_exit 0 newsq --db "$DB" --count "$word"
  assert_eq "$OUT" 1 "the hostile page with $word"
done
# libxml2 keeps its depth limit (256 elements): what is nested deeper is dropped, with a warning.
expect_exit 1 newsq --db "$DB" --count zzdeepword
assert_contains "$HERR" "deep.html: nested deeper than 256 elements; the rest of the page dropped" \
  "the depth warning"
assert_contains "$HERR" "huge.html: larger than 16 MiB; only its start read" "the size warning"
expect_exit 0 newsq --db "$DB" --json 'zzlatinword OR zzutf8word'
assert_eq "$(grep -c '"title":"Café zz' <<<"$OUT")" 2 "both wrong declarations read right"
assert_contains "$HERR" "utf8-as-latin.html: declared as iso-8859-1, but is UTF-8; read as UTF-8" "the warning"
assert_contains "$HERR" "latin-as-utf8.html: declared as utf-8, but is not UTF-8; read as Windows-1252" "the warning"
while IFS= read -r line; do
  [[ -z $line || $line =~ ^newsidx:\ (warning|error):\ $H/[a-z0-9-]+\.html:\  ]] || fail "unexpected message: $line"
done <<<"$HERR"
rm -f "$H/huge.html"
expect_exit 0 sqlite3 "$DB" 'PRAGMA integrity_check'
assert_eq "$OUT" ok "integrity"

# ---- The readability pages: bench/pages.py runs over all of them without an error.
if has_corpora web/readability; then
  expect_exit 0 "$PY" "$NEWSIDX_SOURCE/bench/pages.py" --check --repeat 1 \
    --html-records "$NEWSIDX_HTML_RECORDS" --corpora "$CORPORA"
  echo "$OUT"
  assert_contains "$OUT" "empty bodies 0" "no empty body"
fi
echo "html: ok"
