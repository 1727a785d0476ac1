# feeds.sh — RSS and Atom feeds as inputs: the project's sample feeds (tests/data/feeds) indexed
# with every field, a feed named without an extension sniffed, an unchanged feed not read
# again, a rewritten feed's items found by their keys (unchanged, updated, added; those that
# left it stay), the same guid in two feeds two articles; hostile feeds (billion laughs, an
# external entity, 10,000-deep nesting, a wrong encoding declaration) neither crash nor fetch;
# and, with the shared corpora, bench/feeds.py's run over the real-world and feedparser feeds.
source "$(dirname "$0")/lib.sh"
DB=$WORK/news.db
DATA=$NEWSIDX_SOURCE/tests/data/feeds
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86

mkdir "$WORK/feeds"
cp "$DATA/harbour.rss" "$DATA/volcano.atom" "$WORK/feeds/"
expect_exit 0 newsidx --db "$DB" "$WORK/feeds" "$DATA/no-extension-feed"
assert_contains "$OUT" "4 added, 0 updated, 0 unchanged" "first run"
assert_eq "$ERR" "" "stderr of the first run"

# Every field of an RSS item, from the index (pubDate in UTC; content:encoded as paragraphs).
row() { py 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); r=c.execute("SELECT key,title,url,date,author,tags,lang,source,body FROM articles WHERE title=?",(sys.argv[2],)).fetchone()
print("\n".join(str(x) for x in r))' "$DB" "$1"; }
assert_eq "$(row 'Gdansk shipyard wins ferry contract')" "$WORK/feeds/harbour.rss#shared-guid-1
Gdansk shipyard wins ferry contract
https://harbour.example/2025/12/05/ferry
2025-12-05T08:15:00Z
Ola Nowak
Shipbuilding
en-gb
Harbour Gazette
The yard will build two hybrid ferries for the Baltic route.

Work starts in spring & lasts two years." "the RSS item"
assert_eq "$(row 'Eruption near Grindavik eases' | sed -n '1p;3,8p')" "$WORK/feeds/volcano.atom#shared-guid-1
https://island.example/eruption
2025-11-28T08:00:00Z
Sigrun Jonsdottir
Volcano
en
Island Wire" "the Atom entry (the same guid as the RSS item: another article)"
for word in zzpilotword zzlavaword zzcocoaword; do
  expect_exit 0 newsq --db "$DB" --count "$word"
  assert_eq "$OUT" 1 "hits for $word"
done
expect_exit 0 newsq --db "$DB" --count 'date:2025-11-21'
assert_eq "$OUT" 1 "the sniffed RDF feed's dc:date"

# newsq show: a feed item by its key, whole; --json with every field; --text the body; an id.
KEY="$WORK/feeds/harbour.rss#shared-guid-1"
expect_exit 0 newsq --db "$DB" show "$KEY"
assert_contains "$OUT" "title: Gdansk shipyard wins ferry contract" "show"
assert_contains "$OUT" "author: Ola Nowak" "show"
assert_contains "$OUT" "Work starts in spring & lasts two years." "show's full text"
expect_exit 0 newsq --db "$DB" show --json "$KEY"
assert_eq "$(py 'import json,sys; o=json.loads(sys.argv[1]); print(o["key"], o["url"], o["source"], o["body"].count("\n\n"))' "$OUT")" \
  "$KEY https://harbour.example/2025/12/05/ferry Harbour Gazette 1" "show --json"
expect_exit 0 newsq --db "$DB" show --text "$KEY"
assert_eq "$OUT" "The yard will build two hybrid ferries for the Baltic route.

Work starts in spring & lasts two years." "show --text"
ID=$(sqlite3 "$DB" "SELECT id FROM articles WHERE title = 'Eruption near Grindavik eases'")
expect_exit 0 newsq --db "$DB" show --text "$ID"
assert_eq "$OUT" "Lava flow from the fissure has slowed, zzlavaword." "show by id"
expect_exit 1 newsq --db "$DB" show "no-such-key"
assert_eq "$ERR" "newsq: no article with key or id no-such-key" "show of an unknown key"

# Unchanged: counted, not read (no message even with --verbose).
expect_exit 0 newsidx --db "$DB" --verbose "$WORK/feeds"
assert_contains "$OUT" "0 added, 0 updated, 3 unchanged" "second run"
assert_not_contains "$ERR" "reading it again" "second run's messages"

# Rewritten: one item changed, one gone, one new. The gone one stays indexed.
cat >"$WORK/feeds/harbour.rss" <<'XML'
<rss version="2.0"><channel><title>Harbour Gazette</title>
<item><title>Gdansk shipyard wins ferry contract</title><guid isPermaLink="false">shared-guid-1</guid>
<description>Corrected: the yard will build three zzcorrectedword ferries.</description></item>
<item><title>Crane collapse closes quay</title><guid>q-7</guid><description>No one was hurt.</description></item>
</channel></rss>
XML
touch -d '2030-01-01' "$WORK/feeds/harbour.rss"
expect_exit 0 newsidx --db "$DB" --verbose "$WORK/feeds"
assert_contains "$OUT" "1 added, 1 updated, 1 unchanged" "run after the rewrite"
assert_contains "$ERR" "harbour.rss: changed; reading it again" "rewrite message"
for word in zzcorrectedword zzpilotword crane; do
  expect_exit 0 newsq --db "$DB" --count "$word"
  assert_eq "$OUT" 1 "hits for $word after the rewrite"
done
expect_exit 1 newsq --db "$DB" --count hybrid
assert_eq "$OUT" 0 "the old text of the updated item"

# A file that is XML but no feed is skipped with a warning, once.
printf '<urlset><url>x</url></urlset>' >"$WORK/feeds/sitemap.xml"
expect_exit 0 newsidx --db "$DB" "$WORK/feeds"
assert_contains "$ERR" "sitemap.xml: not a feed (root element <urlset>)" "not a feed"
expect_exit 0 newsidx --db "$DB" "$WORK/feeds"
assert_eq "$ERR" "" "the skipped file is not read again"

# ---- Hostile feeds.
H=$WORK/hostile
mkdir "$H"
echo "zzsecretword" >"$WORK/secret.txt"
{
  printf '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY l0 "lollollollollollollollollollol">\n'
  for i in $(seq 1 9); do
    printf '<!ENTITY l%d "' "$i"; for _ in $(seq 10); do printf '&l%d;' $((i - 1)); done; printf '">\n'
  done
  printf ']>\n<rss><channel><item><title>Laughs</title><description>&l9;</description></item></channel></rss>\n'
} >"$H/laughs.xml"
cat >"$H/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://$WORK/secret.txt"><!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>
<rss><channel><item><title>External entity</title><description>zzxxeword &secret; &remote;</description></item></channel></rss>
XML
py 'import sys; d=10000; open(sys.argv[1],"w").write("<rss><channel><item><title>Deep</title><description>"+"<b>"*d+"zzdeepword"+"</b>"*d+"</description></item></channel></rss>")' "$H/deep.xml"
py 'import sys; d=10000; open(sys.argv[1],"w").write("<rss><channel><item><title>Deep escaped</title><description>"+"&lt;div&gt;"*d+"zzdeepescaped"+"</description></item></channel></rss>")' "$H/deep-html.xml"
printf '<?xml version="1.0" encoding="UTF-8"?><rss><channel><item><title>Caf\xe9 zzlatinword</title></item></channel></rss>' >"$H/latin-as-utf8.xml"
printf '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>Caf\xc3\xa9 zzutf8word</title></item></channel></rss>' >"$H/utf8-as-latin.xml"
expect_exit 0 timeout 60 newsidx --db "$DB" "$H"
HERR=$ERR
assert_not_contains "$HERR" "AddressSanitizer" "sanitizer reports"
expect_exit 1 newsq --db "$DB" --count zzsecretword
assert_eq "$OUT" 0 "an external entity's content"
expect_exit 0 newsq --db "$DB" --count zzxxeword
assert_eq "$OUT" 1 "the XXE feed's own text"
# libxml2 keeps its depth limit (256 elements, without XML_PARSE_HUGE): the text below it is
# dropped, with a warning for the feed's XML; the items are kept with their titles.
expect_exit 0 newsq --db "$DB" --count 'title:deep'
assert_eq "$OUT" 2 "the items nested 10,000 deep, XML and escaped HTML"
assert_contains "$HERR" "deep.xml: line 1: Excessive depth in document" "the depth warning"
expect_exit 0 newsq --db "$DB" --json 'zzlatinword OR zzutf8word'
assert_eq "$(grep -c '"title":"Café zz' <<<"$OUT")" 2 "both wrong declarations read right"
assert_contains "$HERR" "latin-as-utf8.xml: not UTF-8; read as Windows-1252" "the warning"
assert_contains "$HERR" "utf8-as-latin.xml: declared as a single-byte encoding, but is UTF-8" "the warning"
while IFS= read -r line; do
  [[ -z $line || $line =~ ^newsidx:\ (warning|error):\ $H/[a-z0-9-]+\.xml:\  ]] || fail "unexpected message: $line"
done <<<"$HERR"
expect_exit 0 sqlite3 "$DB" 'PRAGMA integrity_check'
assert_eq "$OUT" ok "integrity"

# ---- The real-world and feedparser feeds: bench/feeds.py runs, and nothing crashes or hangs.
if has_corpora web/feeds; then
  expect_exit 0 "$PY" "$NEWSIDX_SOURCE/bench/feeds.py" --check --newsidx "$(command -v newsidx)" --corpora "$CORPORA"
  echo "$OUT"
  assert_contains "$OUT" "real-world feeds: 24/24 agree in every item" "real-world feeds"
fi
echo "feeds: ok"
