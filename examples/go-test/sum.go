// Package sum is a tiny package whose tests run under urun: go test -exec urun.
package sum

import "encoding/binary"

// Sum adds the numbers.
func Sum(xs ...int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// NativeOrder is the byte order of the machine the code runs on.
func NativeOrder() binary.ByteOrder {
	b := [2]byte{}
	*(*uint16)(unsafePointer(&b)) = 1
	if b[0] == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}
