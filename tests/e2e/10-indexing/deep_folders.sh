# deep_folders.sh — a folder tree 2,000 levels deep (DEPTH to change it) is indexed with the
# right keys, a folder reached through a symlink deep down keyed by its real path, and the walk
# costs no realpath() per folder: with strace, the run's readlink() calls grow with the depth
# (the symlink's realpath()), not with its square (505,501 at 1,000 levels before the walk built paths
# as it goes). Timings belong to bench/; this checks the structure that makes them.
source "$(dirname "$0")/lib.sh"

DEPTH=${DEPTH:-2000}
DB=$WORK/news.db
ROOT=$(cd "$WORK" && pwd -P)/in
OUTSIDE=$(cd "$WORK" && pwd -P)/outside
mkdir -p "$OUTSIDE"
printf 'Outside Story Title\n\nReached through a symlink from deep down.\n' >"$OUTSIDE/far.txt"
# d/d/.../d with a file every 500 levels and at the bottom; the bottom folder also holds a
# symlink to a folder outside the tree.
py 'import os, sys
root, depth, outside = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.mkdir(root)
os.chdir(root)
for level in range(1, depth + 1):
    os.mkdir("d")
    os.chdir("d")  # relative steps: the full path may pass what one system call takes
    if level % 500 == 0 or level == depth:
        with open("level%d.txt" % level, "w") as f:
            f.write("Level %d Story\n\nDeepfolder text at level %d.\n" % (level, level))
os.symlink(outside, "link")' "$ROOT" "$DEPTH" "$OUTSIDE"
n_files=$((DEPTH / 500 + (DEPTH % 500 != 0)))
deep_path() { # the path of the folder at level $1
  local p=$ROOT
  for ((i = 0; i < $1; i++)); do p+=/d; done
  echo "$p"
}

expect_exit 0 timeout 300 newsidx --db "$DB" "$ROOT"
assert_contains "$OUT" "$((n_files + 1)) added, 0 updated, 0 unchanged, 0 duplicates, 0 skipped, 0 errors"
keys=$(sqlite3 "$DB" "SELECT key FROM article_keys ORDER BY key")
assert_contains "$keys" "$(deep_path "$DEPTH")/level$DEPTH.txt" "keys"
assert_contains "$keys" "$OUTSIDE/far.txt" "keys"
assert_not_contains "$keys" "/link/" "keys"
expect_exit 0 newsq --db "$DB" --paths deepfolder
assert_eq "$(wc -l <<<"$OUT")" "$n_files" "files found by newsq"
assert_contains "$OUT" "$(deep_path "$DEPTH")/level$DEPTH.txt"

# A re-run finds everything unchanged, and walks without a readlink() per folder.
if command -v strace >/dev/null; then # LeakSanitizer cannot work under ptrace: the other runs check
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 expect_exit 0 timeout 300 strace -f -c -e trace=readlink,readlinkat -o "$WORK/strace" \
    newsidx --db "$DB" "$ROOT"
  calls=$(awk '$NF ~ /^readlink/ {n += $4} END {print n + 0}' "$WORK/strace")
  # the one symlink, at the bottom, costs a realpath(): a readlink() per level
  ((calls <= DEPTH + 100)) || fail "$calls readlink() calls for a walk $DEPTH folders deep"
else
  echo "strace not installed: readlink() calls not counted"
  expect_exit 0 timeout 300 newsidx --db "$DB" "$ROOT"
fi
assert_contains "$OUT" "0 added, 0 updated, $((n_files + 1)) unchanged"
echo "ok"
