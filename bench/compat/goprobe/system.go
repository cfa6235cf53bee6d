// Files, sockets, HTTP, child processes, exec, time zones and the process's own facts:
// goprobe <case> (see main), output deterministic.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func init() {
	for name, f := range map[string]func(){"net": netCase, "files": filesCase, "exec": execCase, "execve": execveCase,
		"sigchld": sigchldCase, "tz": tzCase, "misc": miscCase, "procfs": procfsCase, "bigpipe": bigPipeCase} {
		cases[name] = f
	}
}

func netCase() {
	// TCP echo
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				io.Copy(c, c)
			}(c)
		}
	}()
	var wg sync.WaitGroup
	res := make([]string, 5)
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				res[i] = err.Error()
				return
			}
			msg := strings.Repeat(fmt.Sprint(i), 100000)
			go func() { c.Write([]byte(msg)); c.(*net.TCPConn).CloseWrite() }()
			b, _ := io.ReadAll(c)
			c.Close()
			res[i] = fmt.Sprint(len(b), string(b) == msg)
		}(i)
	}
	wg.Wait()
	fmt.Println("tcp echo", res)
	// read deadline
	c, _ := net.Dial("tcp", ln.Addr().String())
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err = c.Read(make([]byte, 10))
	var ne net.Error
	fmt.Println("deadline:", errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout())
	c.SetReadDeadline(time.Time{})
	c.Write([]byte("after"))
	b := make([]byte, 5)
	io.ReadFull(c, b)
	fmt.Println("after deadline cleared:", string(b))
	c.Close()
	ln.Close()
	_, err = ln.Accept()
	fmt.Println("accept on closed:", errors.Is(err, net.ErrClosed))
	// refused
	_, err = net.Dial("tcp", ln.Addr().String())
	fmt.Println("refused:", err != nil)
	// UDP
	uc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	cl, _ := net.Dial("udp", uc.LocalAddr().String())
	for i := 0; i < 3; i++ {
		cl.Write([]byte(fmt.Sprint("dgram", i)))
	}
	var got []string
	buf := make([]byte, 100)
	for i := 0; i < 3; i++ {
		n, from, _ := uc.ReadFrom(buf)
		got = append(got, string(buf[:n]))
		uc.WriteTo([]byte("re:"+string(buf[:n])), from)
	}
	for i := 0; i < 3; i++ {
		n, _ := cl.Read(buf)
		got = append(got, string(buf[:n]))
	}
	fmt.Println("udp", got)
	uc.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, _, err = uc.ReadFrom(buf)
	fmt.Println("udp deadline:", errors.Is(err, os.ErrDeadlineExceeded))
	uc.Close()
	cl.Close()
	// unix stream + datagram
	dir, _ := os.MkdirTemp("", "goprobe-net")
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "s.sock")
	ul, err := net.Listen("unix", sock)
	if err != nil {
		fmt.Println("unix listen", err)
		return
	}
	go func() {
		c, err := ul.Accept()
		if err != nil {
			return
		}
		r := bufio.NewReader(c)
		line, _ := r.ReadString('\n')
		fmt.Fprintf(c, "unix echo %s", line)
		c.Close()
	}()
	uconn, _ := net.Dial("unix", sock)
	fmt.Fprintln(uconn, "ping")
	reply, _ := io.ReadAll(uconn)
	fmt.Printf("%s", reply)
	uconn.Close()
	ul.Close()
	_, err = os.Stat(sock)
	fmt.Println("socket file removed on close:", os.IsNotExist(err))
	dsock := filepath.Join(dir, "d.sock")
	ud, _ := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: dsock, Net: "unixgram"})
	dc, _ := net.Dial("unixgram", dsock)
	dc.Write([]byte("gram1"))
	n, _, _ := ud.ReadFrom(buf)
	fmt.Println("unixgram", string(buf[:n]))
	ud.Close()
	dc.Close()
	// abstract unix socket
	abstract := fmt.Sprintf("@goprobe-%d", os.Getpid())
	al, err := net.Listen("unix", abstract)
	if err == nil {
		go func() { c, _ := al.Accept(); c.Write([]byte("abs")); c.Close() }()
		ac, _ := net.Dial("unix", abstract)
		ab, _ := io.ReadAll(ac)
		fmt.Println("abstract", string(ab))
		al.Close()
	} else {
		fmt.Println("abstract err", err)
	}
	// net.Pipe
	p1, p2 := net.Pipe()
	go func() { p1.Write([]byte("pipe")); p1.Close() }()
	pb, _ := io.ReadAll(p2)
	fmt.Println("net.Pipe", string(pb))
	// HTTP with keep-alive, headers, status codes, chunked
	hl, _ := net.Listen("tcp", "127.0.0.1:0")
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/404":
			http.NotFound(w, r)
		case "/chunked":
			fl := w.(http.Flusher)
			for i := 0; i < 3; i++ {
				fmt.Fprintf(w, "chunk%d;", i)
				fl.Flush()
			}
		case "/redirect":
			http.Redirect(w, r, "/target", http.StatusFound)
		case "/slow":
			time.Sleep(200 * time.Millisecond)
		default:
			w.Header().Set("X-Path", r.URL.Path)
			fmt.Fprintf(w, "%s %s ua=%q", r.Method, r.URL.Path, r.UserAgent())
		}
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(hl)
	base := "http://" + hl.Addr().String()
	client := &http.Client{}
	for _, p := range []string{"/hello", "/404", "/chunked", "/redirect"} {
		req, _ := http.NewRequest("GET", base+p, nil)
		req.Header.Set("User-Agent", "goprobe")
		resp, err := client.Do(req)
		if err != nil {
			fmt.Println(p, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s -> %d %q %q\n", p, resp.StatusCode, resp.Header.Get("X-Path"), strings.TrimSpace(string(body)))
	}
	tc := &http.Client{Timeout: 30 * time.Millisecond}
	_, err = tc.Get(base + "/slow")
	fmt.Println("client timeout:", err != nil && strings.Contains(err.Error(), "Client.Timeout"))
	srv.Close()
	// lookup of localhost via /etc/hosts
	addrs, err := net.LookupHost("localhost")
	sort.Strings(addrs)
	fmt.Println("localhost has 127.0.0.1:", len(addrs) > 0 && contains(addrs, "127.0.0.1"), err)
	ip := net.ParseIP("::ffff:10.1.2.3")
	_, cidr, _ := net.ParseCIDR("10.0.0.0/8")
	fmt.Println(ip.To4(), cidr.Contains(ip), net.JoinHostPort("::1", "80"))
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func filesCase() {
	dir, err := os.MkdirTemp("", "goprobe-files")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	p := func(s ...string) string { return filepath.Join(append([]string{dir}, s...)...) }
	os.MkdirAll(p("a", "b", "c"), 0o755)
	os.WriteFile(p("a", "f1"), []byte("one"), 0o644)
	os.WriteFile(p("a", "b", "f2"), []byte("twotwo"), 0o600)
	os.Symlink("../f1", p("a", "b", "ln"))
	os.Symlink("nowhere", p("dangling"))
	os.Link(p("a", "f1"), p("hard"))
	ents, _ := os.ReadDir(p("a"))
	for _, e := range ents {
		info, _ := e.Info()
		fmt.Println("readdir", e.Name(), e.IsDir(), e.Type(), info.Mode().Perm())
	}
	var walked []string
	filepath.Walk(dir, func(path string, info fs.FileInfo, err error) error {
		rel, _ := filepath.Rel(dir, path)
		walked = append(walked, fmt.Sprintf("%s:%v", rel, info.Mode()))
		return nil
	})
	fmt.Println("walk", walked)
	matches, _ := filepath.Glob(p("a", "*", "f*"))
	fmt.Println("glob", len(matches), filepath.Base(matches[0]))
	st, _ := os.Stat(p("hard"))
	sys := st.Sys().(*syscall.Stat_t)
	fmt.Println("hard link count", sys.Nlink, st.Size())
	_, err = os.Stat(p("dangling"))
	lst, _ := os.Lstat(p("dangling"))
	fmt.Println("dangling", os.IsNotExist(err), lst.Mode()&fs.ModeSymlink != 0)
	os.Chmod(p("a", "f1"), 0o751)
	st, _ = os.Stat(p("a", "f1"))
	fmt.Println("chmod", st.Mode())
	os.Rename(p("a", "b", "f2"), p("renamed"))
	_, err = os.Stat(p("a", "b", "f2"))
	fmt.Println("rename", os.IsNotExist(err))
	os.Truncate(p("renamed"), 2)
	b, _ := os.ReadFile(p("renamed"))
	fmt.Printf("truncate %q\n", b)
	f, _ := os.OpenFile(p("renamed"), os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("APP")
	f.Seek(0, io.SeekStart)
	f.WriteString("END")
	f.Close()
	b, _ = os.ReadFile(p("renamed"))
	fmt.Printf("append %q\n", b)
	f, _ = os.OpenFile(p("rw"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	_, err = os.OpenFile(p("rw"), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	fmt.Println("excl", os.IsExist(err))
	f.WriteAt([]byte("world"), 6)
	f.WriteAt([]byte("hello"), 0)
	rb := make([]byte, 11)
	f.ReadAt(rb, 0)
	fmt.Printf("readat %q\n", rb)
	// flock
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		fmt.Println("flock", err)
	}
	f2, _ := os.Open(p("rw"))
	err = syscall.Flock(int(f2.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	fmt.Println("second flock:", err)
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	fmt.Println("after unlock:", syscall.Flock(int(f2.Fd()), syscall.LOCK_SH|syscall.LOCK_NB))
	f2.Close()
	// fcntl lock
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 0, Len: 4}
	fmt.Println("fcntl setlk:", syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lk))
	lk2 := syscall.Flock_t{Type: syscall.F_WRLCK, Len: 4}
	syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk2)
	fmt.Println("getlk own lock:", lk2.Type == syscall.F_UNLCK)
	// mmap
	f.Truncate(8192)
	mem, err := syscall.Mmap(int(f.Fd()), 0, 8192, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		fmt.Println("mmap", err)
	} else {
		copy(mem[4096:], "mapped!")
		fmt.Printf("mmap sees %q\n", mem[:5])
		syscall.Munmap(mem)
		rb = make([]byte, 7)
		f.ReadAt(rb, 4096)
		fmt.Printf("file sees %q\n", rb)
	}
	anon, err := syscall.Mmap(-1, 0, 1<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	anon[1<<20-1] = 9
	fmt.Println("anon mmap", err, anon[0], anon[1<<20-1], syscall.Mprotect(anon, syscall.PROT_READ))
	syscall.Munmap(anon)
	f.Sync()
	f.Close()
	// times
	mt := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	os.Chtimes(p("rw"), mt, mt)
	st, _ = os.Stat(p("rw"))
	fmt.Println("chtimes", st.ModTime().UTC(), st.Size())
	// errors
	_, err = os.ReadFile(p("a"))
	fmt.Println("read dir:", err != nil, errors.Is(err, syscall.EISDIR))
	err = os.Remove(p("a"))
	fmt.Println("remove nonempty:", errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST))
	err = os.Mkdir(p("a"), 0o755)
	fmt.Println("mkdir exists:", os.IsExist(err))
	var pe *fs.PathError
	_, err = os.Open(p("nope", "x"))
	fmt.Println("patherror:", errors.As(err, &pe), pe.Op, errors.Is(err, fs.ErrNotExist))
	// os.DirFS + fs.WalkDir
	var names []string
	fs.WalkDir(os.DirFS(dir), ".", func(path string, d fs.DirEntry, err error) error {
		names = append(names, path)
		return nil
	})
	fmt.Println("dirfs", names)
	// Getwd/Chdir
	wd, _ := os.Getwd()
	os.Chdir(p("a", "b"))
	nwd, _ := os.Getwd()
	fmt.Println("chdir", strings.HasSuffix(nwd, "/a/b"))
	os.Chdir(wd)
	// umask & create perms
	old := syscall.Umask(0o077)
	os.WriteFile(p("masked"), nil, 0o666)
	syscall.Umask(old)
	st, _ = os.Stat(p("masked"))
	fmt.Println("umask", st.Mode())
	// CreateTemp, big write, copy
	tf, _ := os.CreateTemp(dir, "tmp-*.dat")
	data := bytes.Repeat([]byte("0123456789abcdef"), 65536)
	tf.Write(data)
	tf.Seek(0, io.SeekStart)
	dst, _ := os.Create(p("copy"))
	n, err := io.Copy(dst, tf)
	dst.Close()
	tf.Close()
	fmt.Println("copy", n, err, strings.HasPrefix(filepath.Base(tf.Name()), "tmp-"))
	// Readlink, EvalSymlinks
	t, _ := os.Readlink(p("a", "b", "ln"))
	ev, _ := filepath.EvalSymlinks(p("a", "b", "ln"))
	fmt.Println("readlink", t, filepath.Base(ev))
	// Pipe + dup + fstat
	r, w, _ := os.Pipe()
	fi, _ := r.Stat()
	fmt.Println("pipe mode", fi.Mode()&fs.ModeNamedPipe != 0)
	fd, _ := syscall.Dup(int(w.Fd()))
	syscall.Write(fd, []byte("dup"))
	syscall.Close(fd)
	w.Close()
	pb, _ := io.ReadAll(r)
	fmt.Println("dup write", string(pb))
	// stdin/stdout are pipes or files
	var sfs syscall.Statfs_t
	fmt.Println("statfs", syscall.Statfs(dir, &sfs), sfs.Bsize > 0)
	// os.ReadDir sorts; large directory
	for i := 0; i < 300; i++ {
		os.WriteFile(p("a", "b", "c", fmt.Sprintf("f%03d", i)), nil, 0o644)
	}
	ents, _ = os.ReadDir(p("a", "b", "c"))
	fmt.Println("big dir", len(ents), ents[0].Name(), ents[299].Name())
	d, _ := os.Open(p("a", "b", "c"))
	nm, _ := d.Readdirnames(10)
	rest, _ := d.Readdirnames(-1)
	d.Close()
	fmt.Println("readdirnames chunks", len(nm), len(rest))
}

func execCase() {
	// pipes both ways to a host program
	cmd := exec.Command("/bin/sh", "-c", "while read l; do echo \"got:$l\"; done; echo done >&2; exit 4")
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		fmt.Println("start:", err)
		return
	}
	go func() {
		for i := 0; i < 3; i++ {
			fmt.Fprintf(in, "line%d\n", i)
		}
		in.Close()
	}()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		fmt.Println("from sh:", sc.Text())
	}
	err := cmd.Wait()
	fmt.Printf("sh: stderr=%q err=%v code=%d\n", stderr.String(), err, cmd.ProcessState.ExitCode())
	co, err := exec.Command("/bin/sh", "-c", "echo out; echo err >&2; exit 0").CombinedOutput()
	fmt.Printf("combined %q %v\n", co, err)
	// kill a child
	sl := exec.Command("/bin/sleep", "30")
	sl.Start()
	sl.Process.Signal(syscall.SIGTERM)
	err = sl.Wait()
	ws := sl.ProcessState.Sys().(syscall.WaitStatus)
	fmt.Println("killed sleep:", err, ws.Signaled(), ws.Signal(), sl.ProcessState.ExitCode())
	sl = exec.Command("/bin/sleep", "30")
	sl.Start()
	sl.Process.Kill()
	fmt.Println("Kill:", sl.Wait())
	// environment and dir
	c := exec.Command("/bin/sh", "-c", "echo $FOO; pwd")
	c.Env = []string{"FOO=bar"}
	c.Dir = "/"
	o, _ := c.Output()
	fmt.Printf("env/dir %q\n", o)
	p, err := exec.LookPath("sh")
	fmt.Println("lookpath sh:", p != "", err)
	_, err = exec.LookPath("definitely-not-a-program-xyz")
	fmt.Println("lookpath missing:", err)
	// ExtraFiles: fd 3 in child
	r, w, _ := os.Pipe()
	c = exec.Command("/bin/sh", "-c", "echo via-fd3 >&3")
	c.ExtraFiles = []*os.File{w}
	c.Start()
	w.Close()
	b, _ := io.ReadAll(r)
	c.Wait()
	fmt.Printf("extra fd: %q\n", b)
	// process group kill
	c = exec.Command("/bin/sh", "-c", "sleep 30 & wait")
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	c.Start()
	time.Sleep(50 * time.Millisecond)
	syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
	err = c.Wait()
	fmt.Println("pgid kill:", err)
}

func execveCase() {
	fmt.Println("replacing myself")
	os.Stdout.Sync()
	err := syscall.Exec("/bin/sh", []string{"sh", "-c", "echo replaced $0 $X; exit 5", "arg0"}, []string{"X=env-ok"})
	fmt.Println("exec failed:", err)
}

func sigchldCase() {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGCHLD)
	c := exec.Command("/bin/true")
	c.Run()
	select {
	case s := <-ch:
		fmt.Println("got", s)
	case <-time.After(5 * time.Second):
		fmt.Println("no SIGCHLD")
	}
	// Setsid and Setpgid children
	o, err := (&exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", "ps -o sid= -p $$ >/dev/null; test $(cut -d' ' -f6 /proc/$$/stat) = $$ && echo own session"}, SysProcAttr: &syscall.SysProcAttr{Setsid: true}}).Output()
	fmt.Printf("setsid: %q %v\n", o, err)
	o, err = (&exec.Cmd{Path: "/bin/sh", Args: []string{"sh", "-c", "test $(cut -d' ' -f5 /proc/$$/stat) = $$ && echo own group"}, SysProcAttr: &syscall.SysProcAttr{Setpgid: true}}).Output()
	fmt.Printf("setpgid: %q %v\n", o, err)
	// wait4 for a specific child via os.StartProcess
	p, err := os.StartProcess("/bin/sh", []string{"sh", "-c", "exit 7"}, &os.ProcAttr{Files: []*os.File{nil, os.Stdout, os.Stderr}})
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := p.Wait()
	fmt.Println("StartProcess", st.ExitCode(), err, st.Exited(), st.String())
	_, err = p.Wait()
	fmt.Println("second wait:", err != nil)
	fmt.Println("release", p.Release())
}

func tzCase() {
	t := time.Unix(1700000000, 123456789)
	fmt.Println(time.Local.String(), t.Format(time.RFC3339Nano), t.Format(time.Kitchen))
	zone, off := t.Zone()
	fmt.Println(zone, off)
	d, _ := time.ParseDuration("1h15m30.5s")
	fmt.Println(d, d.Round(time.Hour), d.Truncate(time.Minute), time.Duration(1<<63-1))
	t2, err := time.ParseInLocation("2006-01-02 15:04", "2023-03-12 02:30", time.Local)
	fmt.Println(t2, err)
}

func miscCase() {
	var u syscall.Utsname
	syscall.Uname(&u)
	fmt.Println("pagesize", os.Getpagesize(), "uname sysname", int8sToString(u.Sysname[:]))
	var rl syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	fmt.Println("nofile cur==max", rl.Cur == rl.Max)
	syscall.Getrlimit(syscall.RLIMIT_STACK, &rl)
	fmt.Println("stack limit > 0", rl.Cur > 0)
	host, _ := os.Hostname()
	fmt.Println("hostname ok", host != "")
	fmt.Println("uid match", os.Getuid() == os.Geteuid(), "ppid>0", os.Getppid() > 0)
	exe, err := os.Executable()
	fmt.Println("executable", strings.HasSuffix(exe, "/goprobe"), err)
	args := os.Args
	fmt.Println("args", len(args))
	fmt.Println("env", len(os.Environ()) > 0, os.Getenv("PATH"))
	os.Setenv("GOMIX_X", "1")
	os.Unsetenv("PATH")
	_, ok := os.LookupEnv("PATH")
	fmt.Println("unset PATH", ok, os.ExpandEnv("$GOMIX_X-${GOMIX_X}"))
	var ts syscall.Timespec
	syscall.Nanosleep(&syscall.Timespec{Nsec: 1e6}, &ts)
	var tv syscall.Timeval
	fmt.Println("gettimeofday", syscall.Gettimeofday(&tv), tv.Sec > 1e9)
	var si syscall.Sysinfo_t
	fmt.Println("sysinfo", syscall.Sysinfo(&si), si.Uptime > 0)
	groups, err := os.Getgroups()
	fmt.Println("getgroups", err, len(groups) >= 0)
	fmt.Println("gc percent", debug.SetGCPercent(50))
	bi, ok := debug.ReadBuildInfo()
	fmt.Println("buildinfo", ok, bi.Path, bi.Main.Path)
	fmt.Println(runtime.Version() != "", runtime.Compiler, runtime.GOOS)
}

func int8sToString[T int8 | uint8](b []T) string {
	var s []byte
	for _, c := range b {
		if c == 0 {
			break
		}
		s = append(s, byte(c))
	}
	return string(s)
}

func procfsCase() {
	b, err := os.ReadFile("/proc/self/cmdline")
	fmt.Printf("cmdline %q %v\n", strings.Split(string(b), "\x00")[1:], err)
	st, err := os.ReadFile("/proc/self/stat")
	f := strings.Fields(string(st))
	fmt.Println("stat pid matches", err == nil && f[0] == fmt.Sprint(os.Getpid()))
	l, err := os.Readlink("/proc/self/exe")
	fmt.Println("exe", strings.HasSuffix(l, "/goprobe"), err)
	fds, err := os.ReadDir("/proc/self/fd")
	fmt.Println("fd dir", err, len(fds) >= 3)
	status, _ := os.ReadFile("/proc/self/status")
	fmt.Println("status has Threads:", strings.Contains(string(status), "\nThreads:"))
	cwd, _ := os.Readlink("/proc/self/cwd")
	wd, _ := os.Getwd()
	fmt.Println("cwd link", cwd == wd)
}

// 8 MiB through /bin/cat and back, stdin and stdout at once; a pipe read deadline.
func bigPipeCase() {
	data := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz\n"), 8<<20/37)
	c := exec.Command("/bin/cat")
	c.Stdin = bytes.NewReader(data)
	out, err := c.Output()
	fmt.Println("cat round trip", len(data), len(out), bytes.Equal(out, data), err)
	r, w, _ := os.Pipe()
	r.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err = r.Read(make([]byte, 1))
	fmt.Println("pipe deadline:", errors.Is(err, os.ErrDeadlineExceeded))
	go func() { time.Sleep(10 * time.Millisecond); w.Write([]byte("late")); w.Close() }()
	r.SetReadDeadline(time.Time{})
	b, err := io.ReadAll(r)
	fmt.Printf("after: %q %v\n", b, err)
	// a goroutine blocked reading a pipe is woken by Close
	r2, w2, _ := os.Pipe()
	done := make(chan error)
	go func() { _, err := r2.Read(make([]byte, 1)); done <- err }()
	time.Sleep(10 * time.Millisecond)
	r2.Close()
	fmt.Println("read after close:", errors.Is(<-done, os.ErrClosed))
	w2.Close()
}
