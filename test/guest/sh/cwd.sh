# The working directory removed under the shell: getcwd fails with ENOENT in the shell and in
# every child it forks (which still run in that directory), as on Linux.
cd "$1" && mkdir gone && cd gone && rmdir ../gone
pwd -P 2>&1; echo "pwd -P status $?"
("$BB" pwd 2>&1; echo "child pwd status $?")
x=$("$BB" echo forked child runs); echo "$x"
"$BB" ls -a . 2>&1; echo "ls status $?"
cd .. 2>&1; echo "cd .. status $?"
