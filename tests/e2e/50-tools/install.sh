# install.sh — `cmake --install` of this build into a staging DESTDIR: the files land where the
# README's "Installing" says, the installed programs index, search and show --help, the stock
# sqlite3 shell loads the installed extension, and the man pages read with `man -l` (when the
# build has none yet, the man-page rule is checked alone on a placeholder page).
source "$(dirname "$0")/lib.sh"
: "${NEWSIDX_BUILD:?run through ctest}"

STAGE=$WORK/stage
DESTDIR=$STAGE cmake --install "$NEWSIDX_BUILD" --prefix /usr/local >"$WORK/install.log" 2>&1 ||
  fail "cmake --install failed: $(cat "$WORK/install.log")"
P=$STAGE/usr/local
LIBDIR=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$NEWSIDX_BUILD/CMakeCache.txt")
for f in bin/newsidx bin/newsq "$LIBDIR/newsidx/libnewsidxfts.so" \
  share/bash-completion/completions/newsidx share/bash-completion/completions/newsq \
  share/zsh/vendor-completions/_newsidx share/zsh/vendor-completions/_newsq \
  share/fish/vendor_completions.d/newsidx.fish share/fish/vendor_completions.d/newsq.fish; do
  [[ -f $P/$f ]] || fail "not installed: $f (installed: $(cd "$STAGE" && find . -type f))"
done
[[ -x $P/bin/newsidx && -x $P/bin/newsq ]] || fail "installed programs are not executable"
cmp -s "$P/share/bash-completion/completions/newsq" "$NEWSIDX_SOURCE/completions/newsidx.bash" ||
  fail "installed bash completion differs from completions/newsidx.bash"

# The installed programs, not the build's: PATH holds only the staged bin/ and the system's.
DB=$WORK/news.db
PATH=$P/bin:/usr/bin:/bin
expect_exit 0 newsidx --help
assert_contains "$OUT" "Usage: newsidx"
expect_exit 0 newsq --help
assert_contains "$OUT" "Usage: newsq"
expect_exit 0 newsidx --db "$DB" --quiet "$NEWSIDX_SOURCE/corpus"
expect_exit 0 newsq --db "$DB" --count strike
hits=$OUT
[[ $hits -gt 0 ]] || fail "the installed newsq found no 'strike' in corpus/"

# The installed extension, by the path the README gives, in the stock shell.
if command -v sqlite3 >/dev/null; then
  got=$(sqlite3 "$DB" ".load $P/$LIBDIR/newsidx/libnewsidxfts" \
    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'strike'")
  assert_eq "$got" "$hits" "sqlite3 with the installed extension, 'strike'"
else
  echo "note: no sqlite3 shell, the installed extension was not loaded"
fi

# man -l PAGE... : each page renders with its NAME section.
check_pages() {
  local page
  for page in "$@"; do
    MANWIDTH=80 man -P cat -l "$page" >"$WORK/man.out" 2>"$WORK/man.err" ||
      fail "man -l $page: $(cat "$WORK/man.err")"
    assert_contains "$(cat "$WORK/man.out")" "NAME" "man -l $page"
  done
}
mapfile -t pages < <(find "$P/share/man" -type f 2>/dev/null)
if ((${#pages[@]})); then
  check_pages "${pages[@]}"
else
  # No page is built yet: the rule of cmake/InstallMan.cmake alone, in a project without
  # languages, on placeholder pages of sections 1 and 5.
  M=$WORK/man-rule
  mkdir -p "$M/src" "$M/pages"
  printf '.TH NEWSQ 1\n.SH NAME\nnewsq \\- placeholder\n' >"$M/pages/newsq.1"
  printf '.TH NEWSIDX-RULES 5\n.SH NAME\nnewsidx-rules \\- placeholder\n' >"$M/pages/newsidx-rules.5"
  cat >"$M/src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(man_rule NONE)
include(GNUInstallDirs)
set(NEWSIDX_MAN_PAGES "$M/pages/newsq.1;$M/pages/newsidx-rules.5")
include("$NEWSIDX_SOURCE/cmake/InstallMan.cmake")
CMAKE
  { cmake -S "$M/src" -B "$M/build" && DESTDIR=$M/stage cmake --install "$M/build" \
    --prefix /usr/local --component man; } >"$WORK/man.log" 2>&1 ||
    fail "the man-page rule failed: $(cat "$WORK/man.log")"
  [[ -f $M/stage/usr/local/share/man/man1/newsq.1 ]] || fail "newsq.1 not in man1/"
  [[ -f $M/stage/usr/local/share/man/man5/newsidx-rules.5 ]] || fail "newsidx-rules.5 not in man5/"
  check_pages "$M/stage/usr/local/share/man/man1/newsq.1" \
    "$M/stage/usr/local/share/man/man5/newsidx-rules.5"
  echo "note: no man page built yet; the install rule was checked on placeholders"
fi
echo "ok"
