# Redirections: files, fd duplication, here-documents, exec on fds.
cd "$1" || exit 1
echo one > f
echo two >> f
"$BB" cat f
"$BB" cat < f | "$BB" wc -l
"$BB" ls /nonexistent 2>/dev/null
echo "ls status: $?"
"$BB" ls /nonexistent 2>&1 >/dev/null | "$BB" sed 's/:.*//'
exec 3> g
echo via3 >&3
"$BB" echo child-via3 >&3
exec 3>&-
"$BB" cat g
"$BB" cat <<END
here-document $((1 + 2))
END
"$BB" cat <<'END'
quoted $((1 + 2))
END
{ echo to-stderr >&2; } 2>&1 | "$BB" tr a-z A-Z
exec 4< f
read first <&4
"$BB" cat <&4
echo "read before: $first"
exec 4<&-
"$BB" rm f g
