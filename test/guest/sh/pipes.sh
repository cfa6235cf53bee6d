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
# /dev/fd/0 of a pipe whose writer has exited, opened again once it is drained: Linux
# opens an anonymous pipe at once (no wait for a writer, as a named FIFO's open has) and
# the read sees end of file
echo drained | { "$BB" cat /dev/fd/0; "$BB" cat /dev/fd/0; echo "reopened: $?"; }
