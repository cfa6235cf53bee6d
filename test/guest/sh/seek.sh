# Applets seeking a redirected stdin: the shell opened the file, the applet seeks it,
# and a subshell's commands share the offset.
cd "$1" || exit 1
i=0
while [ $i -lt 20 ]; do
  printf '0123456789abcdefghijklmnopqrstuvwxyz\n'
  i=$((i + 1))
done > data
"$BB" hexdump -C -s 500 -n 40 < data
"$BB" hexdump -s 700 -n 6 < data
( "$BB" dd bs=1 skip=5 count=3 2>/dev/null; "$BB" head -c 4 ) < data
echo
"$BB" tail -c 12 < data
"$BB" rm data
