# find -exec forks and execs for every match.
cd "$1" || exit 1
"$BB" mkdir -p tree/a/b tree/c
for f in tree/x.txt tree/a/y.txt tree/a/b/z.txt tree/c/w.dat; do echo "$f" > "$f"; done
"$BB" find tree -name '*.txt' -exec "$BB" basename {} \; | "$BB" sort
"$BB" find tree -type f -exec "$BB" cat {} + | "$BB" sort
"$BB" find tree -type d | "$BB" sort
"$BB" find tree -name '*.dat' -exec "$BB" sh -c 'exit 1' \; -print
echo "count: $("$BB" find tree -type f | "$BB" wc -l)"
"$BB" rm -r tree
