# package_deb.sh — `cpack -G DEB` of this build makes one .deb whose control fields name the
# maintainer and the Debian 12 runtime packages, whose files sit under /usr where the README
# says, and whose programs run once unpacked (with dpkg-deb -x: nothing is installed).
source "$(dirname "$0")/lib.sh"
: "${NEWSIDX_BUILD:?run through ctest}"
for tool in cpack dpkg-deb; do
  command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done

cpack -G DEB --config "$NEWSIDX_BUILD/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1 ||
  fail "cpack failed: $(cat "$WORK/cpack.log")"
mapfile -t debs < <(find "$WORK/pkg" -maxdepth 1 -name '*.deb')
assert_eq "${#debs[@]}" 1 "number of .deb files"
DEB=${debs[0]}
assert_contains "$(basename "$DEB")" "newsidx_0.1.0"

info=$(dpkg-deb -I "$DEB")
assert_contains "$info" "Package: newsidx"
assert_contains "$info" "Maintainer: "
assert_contains "$info" "Description: full-text search indexer"
assert_contains "$info" " stemmed with Snowball" "the long description"
! grep -q '^ *;' <<<"$info" || fail "a list's ';' in the control file: $info"
depends=$(dpkg-deb -f "$DEB" Depends)
for pkg in libc6 libsqlite3-0 libstemmer0d libjansson4 libyajl2 libxxhash0; do
  [[ ",$depends," =~ [,\ ]$pkg[\ ,] ]] || fail "Depends lacks $pkg: $depends"
done

contents=$(dpkg-deb -c "$DEB")
for f in ./usr/bin/newsidx ./usr/bin/newsq ./usr/lib/newsidx/libnewsidxfts.so \
  ./usr/share/bash-completion/completions/newsidx ./usr/share/bash-completion/completions/newsq \
  ./usr/share/zsh/vendor-completions/_newsq ./usr/share/fish/vendor_completions.d/newsq.fish; do
  grep -qE " $f\$" <<<"$contents" || fail "the package lacks $f:
$contents"
done
assert_not_contains "$contents" "./usr/local" "package contents"

# Unpacked (not installed), the programs run and the extension loads.
dpkg-deb -x "$DEB" "$WORK/root"
expect_exit 0 "$WORK/root/usr/bin/newsq" --version
assert_contains "$OUT" "newsq 0.1.0"
expect_exit 0 "$WORK/root/usr/bin/newsidx" --db "$WORK/news.db" --quiet "$NEWSIDX_SOURCE/corpus"
if command -v sqlite3 >/dev/null; then
  n=$(sqlite3 "$WORK/news.db" ".load $WORK/root/usr/lib/newsidx/libnewsidxfts" \
    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'strike'")
  [[ $n -gt 0 ]] || fail "the packaged extension finds no 'strike'"
fi
echo "ok"
