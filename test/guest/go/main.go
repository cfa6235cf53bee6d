// urun guest tests for the Go runtime: goroutines on threads, futexes,
// signals, timers, recovered faults, os/exec and net/http over loopback.
//
//	gotest <case> [args...]
//
// Output is deterministic: no pids, addresses or times.  See
// test/fixtures/process-cases.json for how each case is run.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
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

// runtime.Breakpoint in a child, which dies of it: MIPS break and ARM's udf 0xe7f001f0 (the
// word Linux keeps as its breakpoint) are SIGTRAP, and the ARM signal context's
// fault_address ("fault" in Go's register dump) is set for memory faults only.
func breakpoint() {
	cmd := exec.Command(os.Args[0], "trap")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	lines := strings.Split(stderr.String(), "\n")
	fmt.Println("child:", err)
	fmt.Println("child's first line:", lines[0])
	fault := "zero or absent"
	for _, l := range lines {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "fault" && f[1] != "0x0" {
			fault = f[1]
		}
	}
	fmt.Println("fault address:", fault)
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

// A FIFO opened by a reader and a writer in two goroutines of one process: each open
// waits for the other end without stopping the process's other threads.
func fifo() {
	dir, err := os.MkdirTemp("", "gotest-fifo")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	name := dir + "/fifo"
	if err := syscall.Mkfifo(name, 0o600); err != nil {
		fmt.Println("mkfifo:", err)
		return
	}
	_, err = os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	fmt.Println("non-blocking writer, no reader:", errors.Is(err, syscall.ENXIO))
	go func() {
		time.Sleep(20 * time.Millisecond)
		w, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			fmt.Println("writer:", err)
			return
		}
		for i := 0; i < 3; i++ {
			fmt.Fprintf(w, "line %d\n", i)
			time.Sleep(5 * time.Millisecond)
		}
		w.Close()
	}()
	r, err := os.Open(name) // waits for the writer
	if err != nil {
		fmt.Println("reader:", err)
		return
	}
	b, err := io.ReadAll(r)
	r.Close()
	fmt.Printf("reader got %q %v\n", b, err)
	got := make(chan string)
	go func() {
		time.Sleep(20 * time.Millisecond)
		r, err := os.Open(name)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(r)
		r.Close()
		got <- string(b)
	}()
	w, err := os.OpenFile(name, os.O_WRONLY, 0) // waits for the reader
	if err != nil {
		fmt.Println("writer:", err)
		return
	}
	w.Write([]byte("to a late reader"))
	w.Close()
	fmt.Printf("late reader got %q\n", <-got)
}

// A listener's File() dup, made a listener again: both descriptors sit in the runtime's
// epoll set at once, and either accepts.
func fileListener() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		fmt.Println(err)
		return
	}
	ln2, err := net.FileListener(f)
	fmt.Println("FileListener:", err)
	if err != nil {
		return
	}
	go func() {
		c, err := ln2.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("accepted by the dup"))
		c.Close()
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := io.ReadAll(c)
	c.Close()
	fmt.Println(string(b))
	ln2.Close()
	f.Close()
	ln.Close()
	_, err = net.Dial("tcp", ln.Addr().String())
	fmt.Println("refused once every descriptor is closed:", err != nil)
}

// 64-bit atomic loads and stores from many threads: a load never sees half of a store
// (both halves of every value written are equal).
func atomic64() {
	const threads = 4
	runtime.GOMAXPROCS(threads)
	var val uint64
	var torn int64
	var ready int32
	var wg sync.WaitGroup
	for g := 0; g < threads; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Start together, once the runtime has a thread for each.
			atomic.AddInt32(&ready, 1)
			for atomic.LoadInt32(&ready) < threads {
				runtime.Gosched()
			}
			for i := 0; i < 50000; i++ {
				v := atomic.LoadUint64(&val)
				if uint32(v) != uint32(v>>32) {
					atomic.AddInt64(&torn, 1)
				}
				atomic.StoreUint64(&val, v+1+1<<32)
			}
		}()
	}
	wg.Wait()
	fmt.Println("torn 64-bit loads:", atomic.LoadInt64(&torn))
}

// prctl calls that set and ask the kernel about the process (Go's os/signal tests run
// PR_SET_KEEPCAPS through AllThreadsSyscall, which qemu-user fails on MIPS: $v1 differs).
func prctl() {
	const prGetKeepCaps, prSetKeepCaps, prGetNoNewPrivs = 7, 8, 39
	for _, v := range []uintptr{1, 0} {
		if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetKeepCaps, v, 0); e != 0 {
			fmt.Println("PR_SET_KEEPCAPS:", e)
		}
		r, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prGetKeepCaps, 0, 0)
		fmt.Println("keepcaps", r, e)
	}
	r, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prGetNoNewPrivs, 0, 0)
	fmt.Println("no_new_privs", r, e)
}

// More descriptors open at once than a fixed table of 1024 holds (Go's runtime raises
// RLIMIT_NOFILE's soft value to the hard one at start).
func openFiles() {
	var files []*os.File
	for i := 0; i < 1200; i++ {
		f, err := os.Open("/dev/null")
		if err != nil {
			fmt.Println("open", i, err)
			break
		}
		files = append(files, f)
	}
	fmt.Println("open at once:", len(files))
	for _, f := range files {
		f.Close()
	}
}

// Writes into a full buffer return what they took. More than a pipe holds (64 KiB) fed to a
// child's stdin by os/exec, whose copying goroutine writes to a non-blocking pipe; a file sent
// over TCP by io.Copy (sendfile) to a reader that starts late, through small socket buffers:
// sendfile moves the file's offset by what it sent. Then a read deadline on a pipe, and a
// read woken by Close.
func partialWrites() {
	data := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz\n"), 1<<20/37)
	c := exec.Command("/bin/cat")
	c.Stdin = bytes.NewReader(data)
	out, err := c.Output()
	fmt.Println("through cat:", len(data), len(out), bytes.Equal(out, data), err)
	sendFile(data)
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Println("pipe:", err)
		return
	}
	r.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err = r.Read(make([]byte, 1))
	fmt.Println("read deadline passed:", errors.Is(err, os.ErrDeadlineExceeded))
	r.SetReadDeadline(time.Time{})
	go func() { w.Write([]byte("late")); w.Close() }()
	b, err := io.ReadAll(r)
	fmt.Printf("then read %q %v\n", b, err)
	r.Close()
	r2, w2, _ := os.Pipe()
	done := make(chan error)
	go func() { _, err := r2.Read(make([]byte, 1)); done <- err }()
	time.Sleep(10 * time.Millisecond)
	r2.Close()
	fmt.Println("blocked read ends at Close:", errors.Is(<-done, os.ErrClosed))
	w2.Close()
}

func sendFile(data []byte) {
	f, err := os.CreateTemp("", "gotest-sendfile")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	f.Write(data)
	f.Seek(0, io.SeekStart)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ln.Close()
	sent := make(chan string)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			sent <- err.Error()
			return
		}
		c.(*net.TCPConn).SetWriteBuffer(4096)
		n, err := io.Copy(c, f) // sendfile(2) from the file's offset
		c.Close()
		sent <- fmt.Sprint(n, " ", err)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	c.(*net.TCPConn).SetReadBuffer(4096)
	time.Sleep(50 * time.Millisecond) // the sender fills the buffers first
	got, _ := io.ReadAll(c)
	c.Close()
	fmt.Println("sendfile sent:", <-sent, "received:", len(got), bytes.Equal(got, data))
}

// The host's network interfaces and addresses, as the net package reads them over
// netlink (RTM_GETLINK, RTM_GETADDR): not deterministic across machines, so this case
// has no golden file; test/netlink.test.ts checks it against the host.
func interfaces() {
	list, err := net.Interfaces()
	if err != nil {
		fmt.Println("net.Interfaces:", err)
		os.Exit(1)
	}
	for _, i := range list {
		fmt.Printf("%d %s mtu %d flags %v hw %q\n", i.Index, i.Name, i.MTU, i.Flags, i.HardwareAddr.String())
		addrs, err := i.Addrs()
		if err != nil {
			fmt.Println("  Addrs:", err)
			continue
		}
		for _, a := range addrs {
			fmt.Println("  addr", a)
		}
	}
	all, err := net.InterfaceAddrs()
	if err != nil {
		fmt.Println("net.InterfaceAddrs:", err)
		os.Exit(1)
	}
	for _, a := range all {
		fmt.Println("all", a)
	}
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		fmt.Println("net.InterfaceByName:", err)
		os.Exit(1)
	}
	fmt.Println("lo is index", lo.Index)
}

// A tree deeper than PATH_MAX, made by chdir steps and removed by os.RemoveAll (as Go's
// TestRemoveAllLongPath): RemoveAll walks it with openat and unlinkat on directory descriptors.
func removeAllLong() {
	start, err := os.Getwd()
	if err != nil {
		fmt.Println("getwd:", err)
		return
	}
	name := strings.Repeat("r", 100)
	for i := 0; i < 41; i++ {
		if err := os.Mkdir(name, 0o755); err != nil {
			fmt.Println("mkdir", i, err)
			return
		}
		if err := os.Chdir(name); err != nil {
			fmt.Println("chdir", i, err)
			return
		}
	}
	f, err := os.Create("file")
	fmt.Println("create 41 levels (4141 bytes) down:", err)
	if err == nil {
		f.Close()
	}
	if err := os.Chdir(start); err != nil {
		fmt.Println("chdir back:", err)
		return
	}
	fmt.Println("RemoveAll:", os.RemoveAll(name))
	_, err = os.Lstat(name)
	fmt.Println("gone:", os.IsNotExist(err))
}

// The signals a host program started by os/exec finds ignored and blocked (from its
// /proc/self/status): SIGHUP, which this program ignores, and nothing else; run twice,
// as the second start takes another path (urun's spare process).
func childSignals() {
	signal.Ignore(syscall.SIGHUP)
	for i := 0; i < 2; i++ {
		out, err := exec.Command("/bin/sh", "-c", "grep -E '^Sig(Ign|Blk):' /proc/self/status").Output()
		if err != nil {
			fmt.Println("sh:", err)
			return
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			mask, _ := strconv.ParseUint(f[1], 16, 64)
			var sigs []int
			for sig := 1; sig <= 64; sig++ {
				if mask&(1<<(sig-1)) != 0 {
					sigs = append(sigs, sig)
				}
			}
			fmt.Println("child", i, f[0], sigs)
		}
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gotest goroutines|timers|signals|panics|exec|http|fifo|file_listener|atomic64|prctl|open_files|removeall_long|partial_writes|interfaces|breakpoint|child_signals")
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
	case "fifo":
		fifo()
	case "file_listener":
		fileListener()
	case "atomic64":
		atomic64()
	case "prctl":
		prctl()
	case "open_files":
		openFiles()
	case "removeall_long":
		removeAllLong()
	case "partial_writes":
		partialWrites()
	case "interfaces":
		interfaces()
	case "breakpoint":
		breakpoint()
	case "child_signals":
		childSignals()
	case "trap":
		runtime.Breakpoint()
	case "child":
		child(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "gotest: unknown case", os.Args[1])
		os.Exit(2)
	}
}
