// urun guest tests for the Go runtime: goroutines on threads, futexes,
// signals, timers, recovered faults, os/exec and net/http over loopback.
//
//	gotest <case> [args...]
//
// Output is deterministic: no pids, addresses or times.  See
// test/fixtures/process-cases.json for how each case is run.
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Goroutines: a channel pipeline, a WaitGroup and atomic and mutex counters.
func goroutines() {
	runtime.GOMAXPROCS(4)
	src := make(chan int)
	squares := make(chan int, 8)
	go func() {
		for i := 1; i <= 100; i++ {
			src <- i
		}
		close(src)
	}()
	var workers sync.WaitGroup
	for w := 0; w < 4; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for v := range src {
				squares <- v * v
			}
		}()
	}
	go func() { workers.Wait(); close(squares) }()
	sum := 0
	for v := range squares {
		sum += v
	}
	fmt.Println("sum of squares 1..100:", sum)

	var counter int64
	var mu sync.Mutex
	plain := 0
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10000; i++ {
				atomic.AddInt64(&counter, 1)
				mu.Lock()
				plain++
				mu.Unlock()
				if i%1000 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	fmt.Println("atomic counter:", atomic.LoadInt64(&counter), "mutex counter:", plain)

	var once sync.Once
	calls := int32(0)
	var wg2 sync.WaitGroup
	for g := 0; g < 5; g++ {
		wg2.Add(1)
		go func() { defer wg2.Done(); once.Do(func() { atomic.AddInt32(&calls, 1) }) }()
	}
	wg2.Wait()
	fmt.Println("sync.Once calls:", calls)

	// a condition variable handing tokens around a ring of goroutines
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	turn, rounds := 0, 0
	var ring sync.WaitGroup
	for id := 0; id < 3; id++ {
		ring.Add(1)
		go func(id int) {
			defer ring.Done()
			cmu.Lock()
			defer cmu.Unlock()
			for rounds < 30 {
				if turn == id {
					turn = (turn + 1) % 3
					rounds++
					cond.Broadcast()
				} else {
					cond.Wait()
				}
			}
		}(id)
	}
	ring.Wait()
	fmt.Println("ring rounds:", rounds)

	// a goroutine locked to its own thread
	done := make(chan string)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		done <- "locked goroutine ran"
	}()
	fmt.Println(<-done)
}

// Timers: time.After, time.Sleep, a stopped timer and a ticker.
func timers() {
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("slept at least 20ms:", time.Since(start) >= 20*time.Millisecond)
	select {
	case <-time.After(30 * time.Millisecond):
		fmt.Println("time.After fired")
	case <-time.After(10 * time.Second):
		fmt.Println("wrong timer")
	}
	stopped := time.NewTimer(time.Hour)
	fmt.Println("stopped a pending timer:", stopped.Stop())
	ticker := time.NewTicker(5 * time.Millisecond)
	ticks := 0
	for range ticker.C {
		ticks++
		if ticks == 3 {
			break
		}
	}
	ticker.Stop()
	fmt.Println("ticks:", ticks)
	fired := make(chan bool)
	time.AfterFunc(5*time.Millisecond, func() { fired <- true })
	fmt.Println("AfterFunc:", <-fired)
	d := 10 * time.Millisecond
	ctxDone := make(chan struct{})
	go func() { time.Sleep(d); close(ctxDone) }()
	select {
	case <-ctxDone:
		fmt.Println("sleeping goroutine woke")
	case <-time.After(10 * time.Second):
		fmt.Println("timeout")
	}
}

// Signals: SIGUSR1 sent to the process itself reaches signal.Notify.
func signals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		fmt.Println("kill:", err)
	}
	fmt.Println("received:", <-c)
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR2); err != nil {
		fmt.Println("kill:", err)
	}
	fmt.Println("received:", <-c)
	signal.Ignore(syscall.SIGHUP)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	time.Sleep(10 * time.Millisecond)
	fmt.Println("ignored SIGHUP, still running")
	signal.Stop(c)
	// SIGPIPE on a broken pipe becomes EPIPE for a non-stdout fd
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Println("pipe:", err)
		return
	}
	r.Close()
	_, err = w.Write([]byte("x"))
	fmt.Println("write to a closed pipe:", errors.Is(err, syscall.EPIPE))
}

type node struct {
	next  *node
	value int
}

// A nil-pointer dereference and an integer division by zero, both recovered.
func panics() {
	tryIt := func(name string, f func()) {
		defer func() {
			r := recover()
			if err, ok := r.(runtime.Error); ok {
				fmt.Printf("%s: recovered runtime error: %v\n", name, err)
			} else {
				fmt.Printf("%s: recovered %v\n", name, r)
			}
		}()
		f()
	}
	var n *node
	tryIt("nil pointer", func() { fmt.Println(n.next.value) })
	zero := 0
	tryIt("divide", func() { fmt.Println(10 / zero) })
	tryIt("index", func() { s := []int{1}; i := 5; fmt.Println(s[i]) })
	tryIt("explicit", func() { panic("my panic") })
	fmt.Println("still running")
}

// os/exec running this program again with arguments, and a failing command.
func execSelf() {
	self, err := os.Executable()
	if err != nil {
		fmt.Println("os.Executable:", err)
		return
	}
	cmd := exec.Command(self, "child", "one", "two words")
	cmd.Env = append(os.Environ(), "GOTEST_VAR=passed")
	cmd.Stdin = strings.NewReader("input line\n")
	out, err := cmd.Output()
	fmt.Printf("child output: %q\n", out)
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		fmt.Println("child exit code:", exitErr.ExitCode())
	} else {
		fmt.Println("child error:", err)
	}
	// several children at once, each started, fed and waited for by its own goroutine
	// (host programs: a Go child costs seconds of start-up under an emulator)
	var wg sync.WaitGroup
	results := make([]string, 3)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := exec.Command("/bin/sh", "-c", `read line; echo "$0 read $line"; exit $0`, fmt.Sprint(i))
			c.Stdin = strings.NewReader(fmt.Sprintf("line %d\n", i))
			o, err := c.Output()
			results[i] = fmt.Sprintf("%q %v", o, err)
		}(i)
	}
	wg.Wait()
	for _, r := range results {
		fmt.Println("parallel child:", r)
	}
	err = exec.Command("/nonexistent/prog").Run()
	fmt.Println("missing program:", errors.Is(err, os.ErrNotExist))
}

func child(args []string) {
	var line string
	fmt.Scanln(&line)
	fmt.Printf("child args=%q var=%q stdin=%q\n", args, os.Getenv("GOTEST_VAR"), line)
	if len(args) > 1 {
		os.Exit(3)
	}
}

// HTTP: a net/http server on 127.0.0.1 (port chosen by the kernel) and many concurrent
// clients; every response is checked and the totals printed.
func httpLoopback() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	var served int64
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		atomic.AddInt64(&served, 1)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s:%s", r.URL.Query().Get("n"), body)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String() + "/echo"
	const clients, perClient = 8, 10
	var wg sync.WaitGroup
	var good, bad int64
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < perClient; i++ {
				n := fmt.Sprint(c*perClient + i)
				resp, err := http.Post(url+"?n="+n, "text/plain", strings.NewReader(strings.Repeat("x", c+i)))
				if err != nil {
					atomic.AddInt64(&bad, 1)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 && string(body) == n+":"+strings.Repeat("x", c+i) {
					atomic.AddInt64(&good, 1)
				} else {
					atomic.AddInt64(&bad, 1)
				}
			}
		}(c)
	}
	wg.Wait()
	srv.Close()
	fmt.Printf("requests ok %d, failed %d, served %d\n", good, bad, atomic.LoadInt64(&served))
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gotest goroutines|timers|signals|panics|exec|http")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "goroutines":
		goroutines()
	case "timers":
		timers()
	case "signals":
		signals()
	case "panics":
		panics()
	case "exec":
		execSelf()
	case "http":
		httpLoopback()
	case "child":
		child(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "gotest: unknown case", os.Args[1])
		os.Exit(2)
	}
}
