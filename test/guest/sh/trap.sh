# trap: handlers for signals sent by the shell to itself and by children.
trap 'echo "EXIT trap"' EXIT
trap 'echo "got USR1"' USR1
kill -USR1 $$
echo after USR1
"$BB" kill -USR1 $$
echo after USR1 from a child
"$BB" sh -c 'trap "echo child got TERM; exit 7" TERM; kill -TERM $$; echo not reached'
echo "child: $?"
(trap 'echo subshell EXIT' EXIT; exit 2)
echo "subshell: $?"
"$BB" sh -c 'trap "" INT; kill -INT $$; echo survived INT'
trap - USR1
"$BB" sh -c 'trap "" TERM; "$0" sh -c "kill -TERM \$\$; echo ignored TERM inherited"' "$BB"
exit 4
