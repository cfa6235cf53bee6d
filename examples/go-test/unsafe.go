package sum

import "unsafe"

func unsafePointer(b *[2]byte) unsafe.Pointer { return unsafe.Pointer(b) }
