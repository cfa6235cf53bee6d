# Subshells, command substitution, brace groups.
x=outer
(x=inner; echo "in the subshell: $x"; exit 3)
echo "status $? and x=$x"
y=$(echo captured; "$BB" echo from-busybox)
echo "y=[$y]"
n=$(( $("$BB" seq 1 10 | "$BB" wc -l) * 2 ))
echo "n=$n"
echo "nested: $(echo "$(echo "$("$BB" echo deep)")")"
{ echo group1; echo group2; } | "$BB" wc -l
z=$(exit 7); echo "substitution status: $?"
(cd /; pwd); pwd >/dev/null
echo "cwd restored: $([ "$(pwd)" != / ] && echo yes || echo no)"
