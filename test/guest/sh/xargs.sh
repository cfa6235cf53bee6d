# xargs runs guest programs it finds by path.
"$BB" seq 1 10 | "$BB" xargs -n 3 "$BB" echo
printf 'a b\nc\n' | "$BB" xargs "$BB" echo got
"$BB" seq 1 4 | "$BB" xargs -I{} "$BB" sh -c 'echo item {}'
"$BB" seq 1 3 | "$BB" xargs "$BB" sh -c 'exit 2'
echo "a command that fails: $?"
"$BB" seq 1 3 | "$BB" xargs "$BB" sh -c 'exit 255' 2>/dev/null
echo "a command that exits 255: $?"
# Linux: 127 (busybox's vfork child reports the failed exec through shared
# memory); qemu-user runs vfork as fork, so the child's _exit(111) gives 123
echo x | "$BB" xargs /nonexistent/prog 2>/dev/null
case $? in
123 | 127) echo "a missing command fails" ;;
*) echo "a missing command: unexpected status" ;;
esac
