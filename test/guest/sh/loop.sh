# A loop running external guest commands: each iteration forks and execs.
i=0
n=0
while [ $i -lt 8 ]; do
    "$BB" true && n=$((n + 1))
    i=$((i + 1))
done
echo "ran $n"
for w in alpha beta gamma; do "$BB" echo $w | "$BB" tr a-z A-Z; done
sum=0
for x in $("$BB" seq 1 5); do sum=$((sum + $("$BB" expr $x \* 2))); done
echo "sum $sum"
"$BB" seq 1 3 | while read k; do "$BB" echo "line $k"; done
