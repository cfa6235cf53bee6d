# Background jobs and wait.  Jobs write to files, printed in a fixed order.
cd "$1" || exit 1
"$BB" sh -c 'exit 3' &
p1=$!
"$BB" sh -c 'echo second > f2; exit 4' &
p2=$!
wait $p2; echo "wait p2: $?"
wait $p1; echo "wait p1: $?"
"$BB" cat f2
(exit 5) & wait $!; echo "background subshell: $?"
for i in 1 2 3 4; do ("$BB" echo "job $i" > "job$i") & done
wait
echo "wait for all: $?"
"$BB" cat job1 job2 job3 job4
# the shell reports a killed background job on stderr when it notices its end,
# which may be before or during the wait: keep that report out of the output
{
    "$BB" sleep 20 &
    s=$!
    kill $s
    wait $s
    echo "killed job: $?"
} 2>/dev/null
"$BB" rm -f f2 job1 job2 job3 job4
