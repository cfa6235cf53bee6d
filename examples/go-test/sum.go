// Package sum is a tiny package whose tests run under urun: go test -exec urun.
package sum

// Sum adds the numbers.
func Sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
