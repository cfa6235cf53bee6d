# Pipelines between guest processes: every stage is the guest busybox ($BB),
# run by path so that the shell forks and execs it.
printf 'c\nb\na\nb\n' | "$BB" sort | "$BB" uniq -c | "$BB" sed 's/^ *//'
echo hello | "$BB" tr a-z A-Z
"$BB" seq 1 1000 | "$BB" wc -l
# head exits early: seq dies of SIGPIPE, and the pipeline's status is head's
"$BB" seq 1 100000 | "$BB" head -n 3
echo "status: $?"
"$BB" seq 1 5000 | "$BB" md5sum
false | true; echo "false | true: $?"
true | false; echo "true | false: $?"
"$BB" yes | "$BB" head -c 10 | "$BB" wc -c
echo a b c | { read x y z; echo "read: $z $y $x"; }
