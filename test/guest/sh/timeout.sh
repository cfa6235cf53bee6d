# busybox timeout: a watchdog process kills the command it runs.
"$BB" timeout 1 "$BB" sleep 20
echo "timed out: $?"
"$BB" timeout 20 "$BB" true
echo "in time: $?"
"$BB" timeout 20 "$BB" sh -c 'exit 9'
echo "command status: $?"
"$BB" timeout -s KILL 1 "$BB" sleep 20
echo "timed out with KILL: $?"
