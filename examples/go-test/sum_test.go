package sum

import (
	"os"
	"runtime"
	"sync"
	"testing"
)

func TestSum(t *testing.T) {
	if got := Sum(1, 2, 3); got != 6 {
		t.Fatalf("Sum(1, 2, 3) = %d, want 6", got)
	}
}

// The goroutines need guest threads, futexes and signals.
func TestGoroutines(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = Sum(i, i)
		}(i)
	}
	wg.Wait()
	for i, r := range results {
		if r != 2*i {
			t.Errorf("results[%d] = %d", i, r)
		}
	}
}

func TestArch(t *testing.T) {
	t.Logf("GOARCH=%s", runtime.GOARCH)
	if want := os.Getenv("WANT_FAIL"); want != "" {
		t.Fatalf("failing on purpose: %s", want)
	}
}
