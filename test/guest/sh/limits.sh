# Resource limits the shell sets reach what it forks and the programs those exec, as on Linux.
ulimit -n 100
echo "subshell: $(ulimit -n)"
"$BB" sh -c 'echo "exec: $(ulimit -n) hard $(ulimit -H -n)"'
ulimit -S -n 50
(ulimit -n; "$BB" sh -c 'ulimit -S -n; ulimit -H -n')
