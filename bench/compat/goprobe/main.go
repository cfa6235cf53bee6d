// Behaviour of Go's runtime and standard library under an emulator. `goprobe DIR`: one
// goroutine's formatting, math, time zones (Go reads zoneinfo itself), files, os/user,
// hashing, compression, JSON and big numbers. `goprobe CASE`: one of the cases that
// runtime.go, system.go and data.go add (goroutines, GC, signals, children, sockets, ...).
// Built by bench/compat.mjs.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"math/big"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The named cases, filled by the other files' init functions.
var cases = map[string]func(){}

func main() {
	if len(os.Args) > 1 {
		if run, ok := cases[os.Args[1]]; ok {
			run()
			return
		}
	}
	fmt.Println(runtime.GOOS, runtime.GOARCH, runtime.NumCPU() > 0)
	fmt.Printf("%.17g %g %e %x %v %08.3f %q\n", 0.1, 1e21, math.SmallestNonzeroFloat64, math.Float64bits(-0.0), math.NaN(), math.Pi, "héllo")
	fmt.Println(math.Sqrt(2), math.Exp(1), math.Log(10), math.Pow(2, 0.5), math.Sin(1e10), math.Gamma(5.5), math.Erf(0.5), math.FMA(0.1, 10, -1))
	fmt.Println(strconv.FormatFloat(1.0/3, 'g', -1, 32), strconv.Quote("\x00\u00e9"), strconv.Itoa(math.MinInt32))
	f, err := strconv.ParseFloat("1e400", 64)
	fmt.Println(f, err)
	for _, zone := range []string{"America/New_York", "Europe/Paris", "Asia/Kolkata", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			fmt.Println("zone", zone, err)
			continue
		}
		t := time.Unix(1700000000, 0).In(loc)
		fmt.Println(zone, t.Format(time.RFC1123Z), t.YearDay(), t.Weekday())
	}
	t, _ := time.Parse(time.RFC3339Nano, "2024-02-29T23:59:59.999999999+05:30")
	fmt.Println(t.UTC(), t.Add(36*time.Hour).Format("2006-01-02 Mon"), time.Duration(90061)*time.Second)
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	el := time.Since(start)
	fmt.Println("sleep ok", el >= 20*time.Millisecond && el < 5*time.Second, time.Now().Year() >= 2024)

	dir, _ := os.MkdirTemp(os.Args[1], "go")
	os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "x.txt"), []byte("hello\n"), 0o640)
	os.Symlink("x.txt", filepath.Join(dir, "a", "link"))
	var seen []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		info, _ := d.Info()
		seen = append(seen, fmt.Sprintf("%s %v %d", rel, info.Mode(), func() int64 {
			if d.IsDir() {
				return 0
			}
			return info.Size()
		}()))
		return nil
	})
	fmt.Println(strings.Join(seen, "; "))
	target, _ := os.Readlink(filepath.Join(dir, "a", "link"))
	_, err = os.Stat(filepath.Join(dir, "nope"))
	fmt.Println(target, os.IsNotExist(err), err != nil)
	fh, _ := os.OpenFile(filepath.Join(dir, "big"), os.O_CREATE|os.O_RDWR, 0o600)
	fh.Seek(5<<30, io.SeekStart)
	fh.Write([]byte("z"))
	st, _ := fh.Stat()
	fmt.Println("big", st.Size())
	fh.Close()
	os.RemoveAll(dir)
	wd, _ := os.Getwd()
	fmt.Println("wd abs", filepath.IsAbs(wd))
	u, err := user.Current()
	if err == nil {
		fmt.Println("user", u.Username, u.Uid, u.HomeDir)
	} else {
		fmt.Println("user err", err)
	}
	fmt.Println("hostname ok", func() bool { h, err := os.Hostname(); return err == nil && h != "" }())

	sum := sha256.Sum256([]byte("abc"))
	fmt.Printf("%x %08x\n", sum[:8], crc32.ChecksumIEEE([]byte("hello")))
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bytes.Repeat([]byte("compress me "), 1000))
	zw.Close()
	zr, _ := gzip.NewReader(&buf)
	out, _ := io.ReadAll(zr)
	fmt.Println("gzip", len(out))
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, 0x0102030405060708)
	fmt.Println(b, binary.LittleEndian.Uint32(b))
	js, _ := json.Marshal(map[string]any{"b": []float64{1.5, 1e21}, "a": "x<y", "n": nil})
	fmt.Println(string(js))
	var back map[string]any
	json.Unmarshal(js, &back)
	fmt.Println(back["b"])
	n := new(big.Int)
	n.Exp(big.NewInt(3), big.NewInt(200), nil)
	r := new(big.Rat).SetFrac64(1, 3)
	fl := new(big.Float).SetPrec(200).Quo(big.NewFloat(1), big.NewFloat(7))
	fmt.Println(n, r.FloatString(20), fl.Text('g', 50), n.ProbablyPrime(20))
	re := regexp.MustCompile(`(\w+)@(\w+)\.com`)
	fmt.Println(re.FindAllStringSubmatch("a@b.com c@d.com", -1))
	xs := []float64{3, -1, math.Inf(1), 2.5, math.Copysign(0, -1)}
	sort.Float64s(xs)
	fmt.Println(xs)
	var e int
	defer func() { fmt.Println("recovered:", recover()) }()
	fmt.Println(10 / e)
}
