# serve_hostile.sh — articles whose titles, bodies, sources and URLs are HTML and script
# (<script>, "><img onerror=…>, javascript: and data: URLs, control characters) are shown as
# text by every page of newsq serve: no element or attribute is injected in the DOM that
# headless chromium builds, and no link goes to javascript: (serve.py hostile).
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || fail "chromium is missing (scripts/deps.sh installs it)"
export WORK
"$PY" - "$WORK/hostile.jsonl" <<'PY'
import json, sys
rows = [
    {"title": "<script>alert(1)</script> alert", "body": "<script>document.title='x'</script> alert body",
     "url": "javascript:alert(1)", "source": "<b onmouseover=alert(1)>src</b>", "date": "2026-04-01"},
    {"title": "\"><img src=x onerror=alert(1)> alert", "body": "'><svg onload=alert(1)> alert <iframe src=x>",
     "url": "https://example.com/\"><script>alert(1)</script>", "tags": "<i>x</i>,ok", "date": "2026-04-02"},
    {"title": "alert \u001b[31m red \u0007 bell \u0001 soh \u0085 nel", "body": "alert \u001b]0;title\u0007 \u007f del",
     "url": "JaVaScRiPt:alert(1)", "date": "2026-04-03"},
    {"title": "alert</title><script>x</script>", "body": "alert {{content}} {{title}} template braces",
     "url": "data:text/html,<script>alert(1)</script>", "date": "2026-04-04"},
    {"title": "alert &amp; entity &lt;b&gt; '\" quotes", "body": "alert &lt;script&gt; as text",
     "url": " javascript:alert(1)", "source": "\"onmouseover=\"alert(1)", "date": "2026-04-05"},
    {"title": "alert <a href=\"javascript:alert(1)\">link</a>", "body": "alert <a href=javascript:alert(1)>x</a>",
     "url": "https://example.com/ok", "date": "2026-04-06"},
]
with open(sys.argv[1], "w") as f:
    for i, r in enumerate(rows):
        r["id"] = "h%d" % i
        f.write(json.dumps(r) + "\n")
PY
DB=$WORK/hostile.db
expect_exit 0 newsidx --db "$DB" "$WORK/hostile.jsonl"
expect_exit 0 newsq --db "$DB" rule add hostile '"<script>alert(1)</script>" OR alert'
"$PY" "$(dirname "$0")/serve.py" hostile "$DB" || fail "serve.py hostile"
echo "ok"
