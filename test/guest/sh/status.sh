# Exit statuses of guest processes, including deaths by signal.
"$BB" true; echo "true: $?"
"$BB" false; echo "false: $?"
"$BB" sh -c 'exit 42'; echo "exit 42: $?"
"$BB" sh -c 'exit 300'; echo "exit 300: $?"
"$BB" sh -c 'kill -TERM $$'; echo "TERM: $?"
"$BB" sh -c 'kill -KILL $$'; echo "KILL: $?"
! "$BB" false; echo "negated: $?"
"$BB" test 3 -gt 2 && echo and || echo or
(set -e; "$BB" false; echo not reached); echo "set -e: $?"
/nonexistent/prog 2>/dev/null; echo "not found: $?"
"$BB" sh -c '"$0" true' "$BB"; echo "nested: $?"
exit 6
