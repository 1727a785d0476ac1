# harness.sh — the subtests of lib.sh themselves: a failing subtest fails only itself and the
# script goes on; the summary is one line "N/M passed"; the exit status is 1 when a subtest
# failed, 77 when every one was skipped, else 0; the old top-level helpers keep their meaning.
source "$(dirname "$0")/lib.sh"

# script NAME BODY: a script that sources lib.sh and runs BODY; run NAME: runs it, its exit
# status in $RC and its standard output in $OUT.
script() { printf 'source %q\n%s\n' "$NEWSIDX_SOURCE/tests/e2e/lib.sh" "$2" >"$WORK/$1.sh"; }
run() {
  RC=0
  bash "$WORK/$1.sh" >"$WORK/$1.out" 2>"$WORK/$1.err" || RC=$?
  OUT=$(cat "$WORK/$1.out")
}

script mixed '
test_expect_success "first passes" "true"
test_expect_success "second fails" "assert_eq one two; echo not reached >&2"
test_expect_success "third fails by a command" "false; echo not reached >&2"
test_expect_success "fourth still runs" "touch \"\$WORK/../fourth-ran-\$1\""
test_done'
sed -i 's/\$1/mixed/' "$WORK/mixed.sh"
test_expect_success 'a failing subtest fails the script, which goes on' '
  run mixed
  assert_eq "$RC" 1 "exit status"
  assert_eq "$(tail -n 1 <<<"$OUT")" "2/4 passed" "summary"
  assert_contains "$OUT" "PASS   first passes"
  assert_contains "$OUT" "FAIL   second fails"
  assert_contains "$OUT" "FAIL   third fails by a command"
  assert_contains "$OUT" "PASS   fourth still runs"
  assert_not_contains "$(cat "$WORK/mixed.err")" "not reached" "stderr"
  assert_contains "$(cat "$WORK/mixed.err")" "value is '\''one'\'', wanted '\''two'\''"
'

script passing '
test_expect_success "one" "expect_exit 0 true"
test_expect_success "two" "expect_exit 3 bash -c \"exit 3\""
test_done'
test_expect_success 'a script whose subtests pass exits 0' '
  run passing
  assert_eq "$RC" 0 "exit status"
  assert_eq "$(tail -n 1 <<<"$OUT")" "2/2 passed" "summary"
'

script skipped '
test_expect_success "needs what is absent" "NEWSIDX_CORPORA=/nonexistent need_corpora seed"
test_expect_success "runs" "true"
test_expect_success "skips itself" "exit 77"
test_done'
script all_skipped '
test_expect_success "needs what is absent" "NEWSIDX_CORPORA=/nonexistent need_corpora seed"
test_done'
test_expect_success 'skipped subtests count in neither N nor M; all skipped exits 77' '
  run skipped
  assert_eq "$RC" 0 "exit status with one subtest run"
  assert_eq "$(tail -n 1 <<<"$OUT")" "1/1 passed" "summary"
  assert_contains "$OUT" "SKIP   skips itself"
  run all_skipped
  assert_eq "$RC" 77 "exit status with every subtest skipped"
  assert_eq "$(tail -n 1 <<<"$OUT")" "0/0 passed" "summary"
'

script top_level '
test_expect_success "one" "true"
fail "the setup between subtests broke"
test_expect_success "never" "true"
test_done'
script forgot '
test_expect_success "one" "true"'
test_expect_success 'a script that stops between subtests, or forgets test_done, fails' '
  run top_level
  assert_eq "$RC" 1 "exit status"
  assert_eq "$(tail -n 1 <<<"$OUT")" "1/1 passed" "summary"
  assert_not_contains "$OUT" "never"
  run forgot
  assert_eq "$RC" 1 "exit status without test_done"
'

script old_style '
expect_exit 0 true
assert_eq a b
echo not reached'
script old_skip 'NEWSIDX_CORPORA=/nonexistent need_corpora seed; echo not reached'
test_expect_success 'the old helpers still end the script at the first failure' '
  run old_style
  assert_eq "$RC" 1 "exit status"
  assert_eq "$OUT" "" "output"
  run old_skip
  assert_eq "$RC" 77 "exit status of a skip"
'

test_expect_success 'each script gets its own $WORK, removed on exit' '
  script where "echo \"\$WORK\""
  run where
  [[ $OUT == /tmp/newsidx-e2e-* && $OUT != "$WORK" ]] || fail "WORK is $OUT"
  [[ ! -e $OUT ]] || fail "$OUT is left behind"
'

printf '{"a": 1, "b": "x y"}\n{"b": [1, 2]}\n' >"$WORK/records.jsonl"
printf '{"a": 1}\n{"a": ' >"$WORK/cut.jsonl"
printf '{"a": 1}\n{"a": 2}' >"$WORK/no-line-end.jsonl"
test_expect_success 'json_fields and jsonl_whole' '
  assert_eq "$(json_fields a b <"$WORK/records.jsonl")" "1 x y
null [1, 2]"
  assert_eq "$(jsonl_whole "$WORK/records.jsonl")" 2 "records"
  if (jsonl_whole "$WORK/cut.jsonl") 2>/dev/null; then fail "a cut line passed"; fi
  if (jsonl_whole "$WORK/no-line-end.jsonl") 2>/dev/null; then fail "a missing line end passed"; fi
'
test_done
