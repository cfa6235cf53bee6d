// Goroutines, the garbage collector, sync, channels, timers, preemption, contexts, signals
// and threads: goprobe <case> (see main), output deterministic.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func init() {
	for name, f := range map[string]func(){"gc": gcCase, "sync": syncCase, "select": selectCase, "preempt": preemptCase,
		"context": contextCase, "signals": sigCase, "sigdie": sigDie, "threads": threadsCase, "profile": profileCase,
		"manythreads": manyThreadsCase, "deadlock": func() { fmt.Println("about to deadlock"); c := make(chan int); <-c },
		"exit3":     func() { fmt.Println("before exit"); defer fmt.Println("deferred: not printed"); os.Exit(3) },
		"panic_div": func() { z := 0; fmt.Println(42 / z) }} {
		cases[name] = f
	}
}

type blob struct {
	data []byte
	next *blob
}

func gcCase() {
	debug.SetGCPercent(5)
	var finalized int32
	var wg sync.WaitGroup
	results := make([]int, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var keep *blob
			total := 0
			for i := 0; i < 3000; i++ {
				b := &blob{data: make([]byte, 1024+i%4096)}
				b.data[0] = byte(i)
				total += int(b.data[0])
				if i%10 == 0 {
					b.next = keep
					keep = b
				}
				if i%500 == 0 {
					x := new([64]byte)
					runtime.SetFinalizer(x, func(*[64]byte) { atomic.AddInt32(&finalized, 1) })
				}
			}
			n := 0
			for p := keep; p != nil; p = p.next {
				n++
			}
			results[g] = total + n
		}(g)
	}
	wg.Wait()
	fmt.Println("results", results)
	big := make([][]byte, 0)
	for i := 0; i < 48; i++ {
		big = append(big, make([]byte, 1<<20))
		big[i][i] = 1
	}
	s := 0
	for i := range big {
		s += int(big[i][i])
	}
	fmt.Println("48 MiB live, marks", s)
	big = nil
	for i := 0; i < 10 && atomic.LoadInt32(&finalized) < 48; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println("finalizers run", atomic.LoadInt32(&finalized), "gc ran", ms.NumGC > 5)
	debug.FreeOSMemory()
	m := map[int]string{}
	for i := 0; i < 100000; i++ {
		m[i] = fmt.Sprint(i)
	}
	for i := 0; i < 100000; i += 2 {
		delete(m, i)
	}
	fmt.Println("map", len(m), m[99999])
}

func syncCase() {
	runtime.GOMAXPROCS(4)
	var rw sync.RWMutex
	shared := map[int]int{}
	var wg sync.WaitGroup
	var reads int64
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				rw.Lock()
				shared[i%50] += w + 1
				rw.Unlock()
			}
		}(w)
	}
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				rw.RLock()
				_ = shared[i%50]
				rw.RUnlock()
				atomic.AddInt64(&reads, 1)
			}
		}()
	}
	wg.Wait()
	tot := 0
	for _, v := range shared {
		tot += v
	}
	fmt.Println("rwmutex total", tot, "reads", reads)

	var cas int32
	var wins int32
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if atomic.CompareAndSwapInt32(&cas, 0, 1) {
				atomic.AddInt32(&wins, 1)
			}
		}()
	}
	wg.Wait()
	fmt.Println("cas winners", wins)
	var v atomic.Value
	v.Store([]string{"a"})
	old := v.Swap([]string{"b", "c"})
	fmt.Println("atomic.Value", old, v.Load())
	var u64 atomic.Uint64
	var i32 atomic.Int32
	var ptr atomic.Pointer[string]
	str := "ptr"
	ptr.Store(&str)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				u64.Add(1 << 33)
				i32.Add(-1)
			}
		}()
	}
	wg.Wait()
	fmt.Println("typed atomics", u64.Load(), i32.Load(), *ptr.Load(), u64.CompareAndSwap(8000<<33, 1), u64.Load())

	var sm sync.Map
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				sm.LoadOrStore(i, g*0+i*i)
			}
		}(g)
	}
	wg.Wait()
	n := 0
	sm.Range(func(k, v any) bool { n += v.(int); return true })
	fmt.Println("sync.Map sum", n)
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	b := pool.Get().(*bytes.Buffer)
	b.WriteString("pooled")
	pool.Put(b)
	fmt.Println("pool ok")

	// producer/consumer with Cond and a bounded queue
	var mu sync.Mutex
	notEmpty := sync.NewCond(&mu)
	notFull := sync.NewCond(&mu)
	var q []int
	sum := 0
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 1; i <= 2000; i++ {
			mu.Lock()
			for len(q) == 4 {
				notFull.Wait()
			}
			q = append(q, i)
			notEmpty.Signal()
			mu.Unlock()
		}
	}()
	go func() {
		defer wg.Done()
		for n := 0; n < 2000; n++ {
			mu.Lock()
			for len(q) == 0 {
				notEmpty.Wait()
			}
			sum += q[0]
			q = q[1:]
			notFull.Signal()
			mu.Unlock()
		}
	}()
	wg.Wait()
	fmt.Println("cond queue sum", sum)
	// many goroutines
	var live int64
	ch := make(chan int, 10000)
	for g := 0; g < 2000; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			atomic.AddInt64(&live, 1)
			ch <- g
		}(g)
	}
	wg.Wait()
	close(ch)
	s := 0
	for v := range ch {
		s += v
	}
	fmt.Println("2000 goroutines", live, s)
}

func selectCase() {
	a, b := make(chan int), make(chan string)
	quit := make(chan struct{})
	go func() {
		for i := 0; i < 5; i++ {
			a <- i
			b <- fmt.Sprint("s", i)
		}
		close(quit)
	}()
	var got []string
	for done := false; !done; {
		select {
		case v := <-a:
			got = append(got, fmt.Sprint(v))
		case s := <-b:
			got = append(got, s)
		case <-quit:
			done = true
		}
	}
	fmt.Println(strings.Join(got, ","))
	var nilch chan int
	select {
	case <-nilch:
		fmt.Println("nil chan?!")
	default:
		fmt.Println("default taken")
	}
	select {
	case <-nilch:
	case <-time.After(10 * time.Millisecond):
		fmt.Println("timeout via time.After")
	}
	tk := time.NewTicker(2 * time.Millisecond)
	tm := time.NewTimer(time.Hour)
	n := 0
	for n < 5 {
		select {
		case <-tk.C:
			n++
		case <-tm.C:
			fmt.Println("bad")
		}
	}
	tk.Stop()
	fmt.Println("ticks", n, "timer reset", tm.Reset(time.Millisecond))
	<-tm.C
	fmt.Println("timer fired after reset")
	tk.Reset(time.Millisecond)
	<-tk.C
	tk.Stop()
	// fan-in with many timers
	res := make(chan int, 100)
	for i := 0; i < 100; i++ {
		i := i
		time.AfterFunc(time.Duration(i%7)*time.Millisecond, func() { res <- i })
	}
	s := 0
	for i := 0; i < 100; i++ {
		s += <-res
	}
	fmt.Println("afterfunc sum", s)
	// monotonic clock
	t0 := time.Now()
	t1 := time.Now()
	fmt.Println("monotonic", !t1.Before(t0), t1.Sub(t0) >= 0, strings.Contains(t0.String(), "m=+"))
	// buffered channel cap/len, closed-channel receive
	bc := make(chan int, 3)
	bc <- 1
	bc <- 2
	close(bc)
	v1, ok1 := <-bc
	v2, ok2 := <-bc
	v3, ok3 := <-bc
	fmt.Println(len(bc), cap(bc), v1, ok1, v2, ok2, v3, ok3)
	func() {
		defer func() { fmt.Println("send on closed:", recover()) }()
		bc <- 3
	}()
}

func preemptCase() {
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		var stop int32
		var counts [3]uint64
		var wg sync.WaitGroup
		for g := 0; g < 3; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				x := uint64(0)
				for atomic.LoadInt32(&stop) == 0 {
					x++ // a loop without calls: only async preemption stops it
				}
				counts[g] = x
			}(g)
		}
		time.Sleep(20 * time.Millisecond)
		runtime.GC() // stop-the-world needs every spinning goroutine preempted
		atomic.StoreInt32(&stop, 1)
		wg.Wait()
		fmt.Println("GOMAXPROCS", procs, "all spun", counts[0] > 0 && counts[1] > 0 && counts[2] > 0)
	}
	// tight loop with no atomics: main must still run (GOMAXPROCS 1)
	runtime.GOMAXPROCS(1)
	done := make(chan bool)
	go func() {
		var x uint32
		for i := 0; ; i++ {
			x = x*1664525 + 1013904223
			if i == -1 {
				fmt.Println(x)
			}
		}
	}()
	go func() { time.Sleep(10 * time.Millisecond); done <- true }()
	<-done
	fmt.Println("main ran beside a spinning goroutine")
}

func contextCase() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var stopped int32
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ctx.Done()
			atomic.AddInt32(&stopped, 1)
		}()
	}
	cancel()
	wg.Wait()
	fmt.Println("stopped", stopped, ctx.Err())
	tctx, tcancel := context.WithTimeout(context.Background(), 15*time.Millisecond)
	defer tcancel()
	select {
	case <-tctx.Done():
		fmt.Println("timeout:", tctx.Err(), errors.Is(tctx.Err(), context.DeadlineExceeded))
	case <-time.After(5 * time.Second):
		fmt.Println("no timeout")
	}
	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	fmt.Println("past deadline:", dctx.Err())
	type key string
	vctx := context.WithValue(tctx, key("k"), "v")
	fmt.Println("value:", vctx.Value(key("k")), vctx.Value(key("x")), vctx.Err())
	// exec.CommandContext killed by cancellation
	cctx, ccancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer ccancel()
	err := exec.CommandContext(cctx, "/bin/sleep", "10").Run()
	fmt.Println("CommandContext:", err)
	sctx, stop := signal.NotifyContext(context.Background(), syscall.SIGUSR2)
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	<-sctx.Done()
	fmt.Println("NotifyContext:", sctx.Err())
	stop()
}

func sigCase() {
	c := make(chan os.Signal, 8)
	signal.Notify(c, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1)
	for _, s := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1} {
		syscall.Kill(os.Getpid(), s)
		fmt.Println("got", <-c)
	}
	// from a child process
	cmd := exec.Command("/bin/sh", "-c", "kill -USR1 $PPID; kill -HUP $PPID")
	cmd.Run()
	got := []string{(<-c).String(), (<-c).String()}
	sort.Strings(got)
	fmt.Println("from child", got)
	// from another thread
	go func() { runtime.LockOSThread(); syscall.Kill(os.Getpid(), syscall.SIGTERM) }()
	fmt.Println("from goroutine", <-c)
	signal.Ignore(syscall.SIGINT)
	fmt.Println("ignored:", signal.Ignored(syscall.SIGINT), signal.Ignored(syscall.SIGTERM))
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	time.Sleep(10 * time.Millisecond)
	select {
	case s := <-c:
		fmt.Println("unexpected", s)
	default:
		fmt.Println("SIGINT ignored")
	}
	signal.Reset(syscall.SIGHUP)
	signal.Notify(c, syscall.SIGHUP)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	fmt.Println("renotified", <-c)
	signal.Stop(c)
	// child inherits ignored SIGINT
	o, _ := exec.Command("/bin/sh", "-c", "kill -INT $$; echo survived").CombinedOutput()
	fmt.Printf("child with ignored SIGINT: %q\n", o)
	signal.Reset()
	// SIGPIPE writing to a closed stdout-like pipe of child
	o, err := exec.Command("/bin/sh", "-c", "kill -TERM $$").CombinedOutput()
	fmt.Printf("child TERM: %q %v\n", o, err)
	// many signals in a burst
	signal.Notify(c, syscall.SIGUSR2)
	for i := 0; i < 5; i++ {
		syscall.Kill(os.Getpid(), syscall.SIGUSR2)
		<-c
	}
	fmt.Println("burst ok")
}

// SIGTERM back at its default action after a Notify: the process dies of it (status 143).
func sigDie() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGTERM)
	signal.Reset(syscall.SIGTERM)
	fmt.Println("dying")
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	time.Sleep(5 * time.Second)
	fmt.Println("still alive")
}

func threadsCase() {
	runtime.GOMAXPROCS(4)
	tids := make(chan int, 8)
	var wg sync.WaitGroup
	release := make(chan struct{})
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			tids <- syscall.Gettid()
			<-release
		}()
	}
	seen := map[int]bool{}
	for i := 0; i < 8; i++ {
		seen[<-tids] = true
	}
	close(release)
	wg.Wait()
	fmt.Println("distinct locked threads", len(seen))
	// goroutine that locks and exits without unlock: thread is destroyed
	done := make(chan int)
	go func() { runtime.LockOSThread(); done <- syscall.Gettid() }()
	<-done
	fmt.Println("NumCPU>0", runtime.NumCPU() > 0, "GOMAXPROCS", runtime.GOMAXPROCS(0))
	var s syscall.Rusage
	fmt.Println("getrusage", syscall.Getrusage(syscall.RUSAGE_SELF, &s))
}

func profileCase() {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		fmt.Println(err)
		return
	}
	// SIGPROF from setitimer while several threads compute
	var wg sync.WaitGroup
	res := make([]uint64, 3)
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			x := uint64(g)
			for i := 0; i < 3000000; i++ {
				x = x*6364136223846793005 + 1442695040888963407
			}
			res[g] = x
		}(g)
	}
	wg.Wait()
	pprof.StopCPUProfile()
	fmt.Println("results", res, "profile written", buf.Len() > 0)
	var hb bytes.Buffer
	pprof.WriteHeapProfile(&hb)
	fmt.Println("heap profile", hb.Len() > 0)
	var gb bytes.Buffer
	pprof.Lookup("goroutine").WriteTo(&gb, 1)
	fmt.Println("goroutine profile has main:", strings.Contains(gb.String(), "main.profileCase"))
}

// 48 goroutines blocked in raw read(2) calls: the runtime gives each its own thread.
func manyThreadsCase() {
	const n = 48
	var fds [n][2]int
	var wg sync.WaitGroup
	sums := make([]int, n)
	for i := 0; i < n; i++ {
		syscall.Pipe(fds[i][:])
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			buf := make([]byte, 16)
			k, _ := syscall.Read(fds[i][0], buf) // blocks its thread
			sums[i] = k
		}(i)
	}
	time.Sleep(50 * time.Millisecond)
	for i := 0; i < n; i++ {
		syscall.Write(fds[i][1], []byte(fmt.Sprint(i)))
	}
	wg.Wait()
	t := 0
	for _, s := range sums {
		t += s
	}
	fmt.Println("bytes read by blocked threads", t)
	status, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "Threads:") {
			var th int
			fmt.Sscan(strings.TrimPrefix(l, "Threads:"), &th)
			fmt.Println("threads >= 20:", th >= 20)
		}
	}
}
