// Hashes and ciphers, compression and archives, encodings, big numbers, float formatting
// and conversion edge cases, reflection: goprobe <case> (see main), output deterministic.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/lzw"
	"compress/zlib"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/csv"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"hash/fnv"
	"io"
	"math"
	"math/big"
	mrand "math/rand"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"
)

func init() {
	for name, f := range map[string]func(){"crypto": cryptoCase, "compress": compressCase, "encoding": encodingCase,
		"bigmath": bigCase, "floats": floatsCase, "reflect": reflectCase} {
		cases[name] = f
	}
}

func cryptoCase() {
	msg := []byte("The quick brown fox jumps over the lazy dog")
	fmt.Printf("md5 %x\nsha1 %x\nsha256 %x\n", md5.Sum(msg), sha1.Sum(msg), sha256.Sum256(msg))
	fmt.Printf("sha512 %x\nsha224 %x\n", sha512.Sum512(msg), sha256.Sum224(msg))
	big := bytes.Repeat(msg, 5000)
	fmt.Printf("sha256 200KB %x\n", sha256.Sum256(big))
	mac := hmac.New(sha256.New, []byte("key"))
	mac.Write(msg)
	fmt.Printf("hmac %x\n", mac.Sum(nil))
	key := sha256.Sum256([]byte("aes key"))
	block, _ := aes.NewCipher(key[:])
	gcm, _ := cipher.NewGCM(block)
	nonce := make([]byte, gcm.NonceSize())
	ct := gcm.Seal(nil, nonce, msg, []byte("ad"))
	fmt.Printf("aes-gcm %x\n", ct)
	pt, err := gcm.Open(nil, nonce, ct, []byte("ad"))
	fmt.Println("open", string(pt) == string(msg), err)
	ct[0] ^= 1
	_, err = gcm.Open(nil, nonce, ct, []byte("ad"))
	fmt.Println("tampered", err)
	ctr := cipher.NewCTR(block, make([]byte, 16))
	out := make([]byte, len(msg))
	ctr.XORKeyStream(out, msg)
	fmt.Printf("aes-ctr %x\n", out[:16])
	cbc := cipher.NewCBCEncrypter(block, make([]byte, 16))
	buf := make([]byte, 32)
	cbc.CryptBlocks(buf, msg[:32])
	fmt.Printf("aes-cbc %x\n", buf)
	seed := sha256.Sum256([]byte("ed25519 seed"))
	edk := ed25519.NewKeyFromSeed(seed[:])
	sig := ed25519.Sign(edk, msg)
	fmt.Printf("ed25519 %x %v\n", sig[:16], ed25519.Verify(edk.Public().(ed25519.PublicKey), msg, sig))
	rk, err := rsa.GenerateKey(rand.Reader, 512)
	if err != nil {
		fmt.Println("rsa", err)
		return
	}
	h := sha256.Sum256(msg)
	rs, _ := rsa.SignPKCS1v15(rand.Reader, rk, crypto.SHA256, h[:])
	fmt.Println("rsa 512", rk.N.BitLen(), len(rs), rsa.VerifyPKCS1v15(&rk.PublicKey, crypto.SHA256, h[:], rs))
	enc, _ := rsa.EncryptOAEP(sha256.New(), rand.Reader, &rk.PublicKey, []byte("secret"), nil)
	dec, err := rsa.DecryptOAEP(sha256.New(), rand.Reader, rk, enc, nil)
	fmt.Println("oaep", string(dec), err)
	for _, c := range []elliptic.Curve{elliptic.P256(), elliptic.P384()} {
		ek, _ := ecdsa.GenerateKey(c, rand.Reader)
		es, _ := ecdsa.SignASN1(rand.Reader, ek, h[:])
		fmt.Println("ecdsa", c.Params().Name, ecdsa.VerifyASN1(&ek.PublicKey, h[:], es))
	}
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: bigInt(42), Subject: pkix.Name{CommonName: "goprobe"},
		NotBefore: time.Unix(1e9, 0), NotAfter: time.Unix(2e9, 0), DNSNames: []string{"example.test"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ek.PublicKey, ek)
	cert, err2 := x509.ParseCertificate(der)
	fmt.Println("x509", err, err2, cert.Subject.CommonName, cert.DNSNames, cert.CheckSignatureFrom(cert))
	pemb := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	blk, _ := pem.Decode(pemb)
	fmt.Println("pem", blk.Type, bytes.Equal(blk.Bytes, der))
}

func bigInt(n int64) *big.Int { return big.NewInt(n) }

func compressCase() {
	var text bytes.Buffer
	r := mrand.New(mrand.NewSource(1))
	words := []string{"alpha", "beta", "gamma", "delta", "emulator", "mips", "arm", "\x00\xff"}
	for i := 0; i < 20000; i++ {
		text.WriteString(words[r.Intn(len(words))])
		text.WriteByte(' ')
	}
	data := text.Bytes()
	fmt.Printf("input %d crc64 %x fnv %x\n", len(data), crc64.Checksum(data, crc64.MakeTable(crc64.ECMA)), fnv1a(data))
	for _, lvl := range []int{flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, lvl)
		w.Write(data)
		w.Close()
		n := b.Len()
		back, _ := io.ReadAll(flate.NewReader(&b))
		fmt.Println("flate", lvl, n, bytes.Equal(back, data))
	}
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Name = "x.txt"
	gw.ModTime = time.Unix(1e9, 0)
	gw.Write(data)
	gw.Close()
	fmt.Printf("gzip %d %x\n", gz.Len(), sha256.Sum256(gz.Bytes()))
	gr, _ := gzip.NewReader(&gz)
	back, _ := io.ReadAll(gr)
	fmt.Println("gunzip", gr.Name, gr.ModTime.Unix(), bytes.Equal(back, data))
	var zb bytes.Buffer
	zw := zlib.NewWriter(&zb)
	zw.Write(data)
	zw.Close()
	zr, _ := zlib.NewReader(&zb)
	back, _ = io.ReadAll(zr)
	fmt.Println("zlib", bytes.Equal(back, data))
	var lb bytes.Buffer
	lw := lzw.NewWriter(&lb, lzw.LSB, 8)
	lw.Write(data[:100000])
	lw.Close()
	fmt.Println("lzw", lb.Len())
	var zipb bytes.Buffer
	zwr := zip.NewWriter(&zipb)
	for i := 0; i < 3; i++ {
		fw, _ := zwr.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f%d.txt", i), Method: zip.Deflate, Modified: time.Unix(1e9, 0).UTC()})
		fw.Write(data[:10000*(i+1)])
	}
	zwr.Close()
	zrd, _ := zip.NewReader(bytes.NewReader(zipb.Bytes()), int64(zipb.Len()))
	for _, f := range zrd.File {
		rc, _ := f.Open()
		c, _ := io.ReadAll(rc)
		fmt.Println("zip", f.Name, f.UncompressedSize64, len(c), f.CRC32)
	}
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	tw.WriteHeader(&tar.Header{Name: "a/b.txt", Mode: 0o644, Size: 5, ModTime: time.Unix(1e9, 0)})
	tw.Write([]byte("hello"))
	tw.Close()
	tr := tar.NewReader(&tb)
	hd, _ := tr.Next()
	tc, _ := io.ReadAll(tr)
	fmt.Println("tar", hd.Name, hd.Size, string(tc))
}

func fnv1a(b []byte) uint64 { h := fnv.New64a(); h.Write(b); return h.Sum64() }

type Rec struct {
	XMLName xml.Name          `json:"-" xml:"rec"`
	ID      int               `json:"id" xml:"id,attr"`
	Name    string            `json:"name" xml:"name"`
	Tags    []string          `json:"tags,omitempty" xml:"tag"`
	Score   float64           `json:"score" xml:"score"`
	Meta    map[string]int    `json:"meta" xml:"-"`
	When    time.Time         `json:"when" xml:"when"`
	Ptr     *int              `json:"ptr"`
	Raw     json.RawMessage   `json:"raw,omitempty" xml:"-"`
	Nested  map[string][]uint `json:"nested" xml:"-"`
}

func encodingCase() {
	seven := 7
	recs := []Rec{
		{ID: 1, Name: "alpha <&>", Tags: []string{"x", "y"}, Score: 0.1 + 0.2, Meta: map[string]int{"b": 2, "a": 1}, When: time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC), Ptr: &seven, Raw: json.RawMessage(`{"k":[1,2]}`), Nested: map[string][]uint{"z": {1, 2}}},
		{ID: 2, Name: "β unicode \u2028", Score: math.MaxFloat64, When: time.Unix(0, 0).UTC()},
		{ID: 3, Score: 1e-320},
	}
	js, err := json.MarshalIndent(recs, "", " ")
	fmt.Println(string(js), err)
	var back []Rec
	err = json.Unmarshal(js, &back)
	fmt.Println("json roundtrip", err, reflect.DeepEqual(back[0].Meta, recs[0].Meta), back[2].Score, back[1].Name == recs[1].Name)
	var anyv any
	d := json.NewDecoder(strings.NewReader(`{"a": 12345678901234567890, "b": [true, null, -0.0, 1e-7]}`))
	d.UseNumber()
	fmt.Println(d.Decode(&anyv), anyv)
	err = json.Unmarshal([]byte(`{"id": "x"}`), &back)
	fmt.Println("json type error:", err)
	xb, err := xml.MarshalIndent(recs[0], "", "  ")
	fmt.Println(string(xb), err)
	var xr Rec
	fmt.Println("xml back", xml.Unmarshal(xb, &xr), xr.ID, xr.Name, xr.Tags, xr.Score)
	var gb bytes.Buffer
	ge := gob.NewEncoder(&gb)
	fmt.Println("gob enc", ge.Encode(recs))
	var gback []Rec
	fmt.Println("gob dec", gob.NewDecoder(&gb).Decode(&gback), gback[0].Name, *gback[0].Ptr, gback[1].Score, gback[0].When.Equal(recs[0].When))
	raw := []byte("\x00\x01binary\xfe\xff")
	fmt.Println(base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw), hex.EncodeToString(raw))
	dec, err := base64.StdEncoding.DecodeString("aGVsbG8gd29ybGQ=")
	fmt.Println(string(dec), err)
	_, err = base64.StdEncoding.DecodeString("a===")
	fmt.Println("bad b64:", err)
	fmt.Print(hex.Dump(raw))
	cr := csv.NewReader(strings.NewReader("a,\"b,c\",d\n1,\"multi\nline\",3\n"))
	rows, err := cr.ReadAll()
	fmt.Printf("csv %q %v\n", rows, err)
	var cb bytes.Buffer
	cw := csv.NewWriter(&cb)
	cw.WriteAll([][]string{{"x", "y,z", "q\"uote"}})
	fmt.Printf("csv out %q\n", cb.String())
	tpl2 := template.Must(template.New("t").Funcs(template.FuncMap{"up": strings.ToUpper, "join": func(s []string) string { return strings.Join(s, "+") }}).Parse(
		`{{range $i, $r := .}}{{$i}}:{{up $r.Name}} {{printf "%.3g" $r.Score}}{{if $r.Tags}} tags={{join $r.Tags}}{{end}}
{{end}}`))
	var tb strings.Builder
	fmt.Println(tpl2.Execute(&tb, recs))
	fmt.Print(tb.String())
	fmt.Println(utf8.RuneCountInString("héllo, 世界"), strings.ToTitle("ǆ"), strings.EqualFold("Straße", "STRASSE"))
}

func bigCase() {
	f := new(big.Int).MulRange(1, 300)
	fmt.Println("300! digits", len(f.String()), f.String()[:30])
	fmt.Println("300! mod 1e9+7", new(big.Int).Mod(f, big.NewInt(1e9+7)))
	p := new(big.Int).Lsh(big.NewInt(1), 521)
	p.Sub(p, big.NewInt(1))
	fmt.Println("M521 prime", p.ProbablyPrime(10))
	q, r := new(big.Int).QuoRem(f, p, new(big.Int))
	fmt.Println("quorem", q.BitLen(), r.BitLen())
	g := new(big.Int).GCD(nil, nil, big.NewInt(1071), big.NewInt(462))
	inv := new(big.Int).ModInverse(big.NewInt(3), big.NewInt(11))
	fmt.Println("gcd", g, "inv", inv, "sqrt", new(big.Int).Sqrt(f).String()[:20])
	e := new(big.Int).Exp(big.NewInt(7), big.NewInt(12345), big.NewInt(1000000007))
	fmt.Println("modexp", e, new(big.Int).Neg(f).Text(36)[:20])
	x := new(big.Float).SetPrec(300)
	x.SetString("2")
	x.Sqrt(x)
	fmt.Println("sqrt2", x.Text('f', 80))
	pi := new(big.Float).SetPrec(200).SetFloat64(math.Pi)
	fmt.Println(pi.Text('g', 40), pi.MinPrec(), new(big.Float).SetInf(true).String())
	rat, _ := new(big.Rat).SetString("355/113")
	fl, exact := rat.Float64()
	fmt.Println(rat, rat.FloatString(30), fl, exact)
	h := new(big.Rat)
	for i := 1; i <= 30; i++ {
		h.Add(h, big.NewRat(1, int64(i)))
	}
	fmt.Println("H30", h)
	bf, _, err := big.ParseFloat("1e-400", 10, 64, big.ToNearestEven)
	f64, acc := bf.Float64()
	fmt.Println(bf, err, f64, acc)
	a, _ := new(big.Int).SetString("-deadbeefcafebabe0123456789", 16)
	fmt.Println(a, a.Bits()[0] != 0, a.Int64(), a.Uint64(), a.IsInt64(), fmt.Sprintf("%x %o %b", a, big.NewInt(8), big.NewInt(5)))
	rnd := mrand.New(mrand.NewSource(42))
	fmt.Println("rand", rnd.Int63(), rnd.Float64(), rnd.NormFloat64(), rnd.Perm(5), rnd.Uint32())
}

func floatsCase() {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 1e21, 1e20, 1e-7, 1e-6,
		123456789.123456789, math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 2.225073858507201e-308,
		math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, 9007199254740993, 0.5, 1.5, 2.5, -2.5, 1e23, 8.41e21, 4.35e-5,
		float64(math.MaxFloat32), float64(math.SmallestNonzeroFloat32), 100, 1234.5678}
	for _, v := range vals {
		fmt.Println(strconv.FormatFloat(v, 'g', -1, 64), strconv.FormatFloat(v, 'e', 3, 64), strconv.FormatFloat(v, 'f', 2, 64),
			strconv.FormatFloat(v, 'g', -1, 32), strconv.FormatFloat(v, 'x', -1, 64), strconv.FormatFloat(v, 'b', -1, 64),
			fmt.Sprintf("%v %.0f %8.3e %G", float32(v), v, v, v))
	}
	for _, s := range []string{"1e309", "-1e309", "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "0x1.fffffffffffffp1023",
		"0x1p-1074", "inf", "-Inf", "nan", "1_000.5", "0.1e", "1.7976931348623159e308", "3.4028235e38", "3.4028236e38", "123456789012345678901234567890", ".5", "+0", "1e-400"} {
		f64, err := strconv.ParseFloat(s, 64)
		f32, err32 := strconv.ParseFloat(s, 32)
		fmt.Println("parse", s, f64, err, f32, err32)
	}
	for _, s := range []string{"9223372036854775807", "9223372036854775808", "-9223372036854775808", "0x7fffffff", "0b101", "0o17", "1_000", "-0"} {
		i, err := strconv.ParseInt(s, 0, 64)
		i32, err32 := strconv.ParseInt(s, 0, 32)
		u, erru := strconv.ParseUint(s, 0, 64)
		fmt.Println("int", s, i, err, i32, err32, u, erru)
	}
	// arithmetic edge cases that softfloat/hardfloat must agree on
	x := 1e308
	y := 1e-308
	var z float64
	n := math.NaN()
	fmt.Println(x*10, y/1e10, y*y, -x*10, z/z == z/z, n < 1, n != n, math.Sqrt(-1), math.Float64bits(math.Abs(-0.0)))
	fmt.Println(math.Mod(7, -3), math.Remainder(7, 3), math.Trunc(-2.5), math.Round(-2.5), math.RoundToEven(2.5), math.Floor(-0.5), math.Ceil(-0.5))
	fmt.Println(math.FMA(1e16, 1e16, -1e32), math.Hypot(3e200, 4e200), math.Cbrt(-27), math.Log1p(1e-20), math.Expm1(1e-10), math.Atan2(-0.0, -1))
	fmt.Println(math.Sin(math.Pi), math.Cos(1e22), math.Tan(1e300), math.Pow(-8, 1.0/3), math.Pow(0, -1), math.Ldexp(1, -1075), math.Nextafter(1, 2))
	big32 := float32(3.4e38)
	f32s := []float32{1.1, 16777217, big32 * 2, 1e-45, float32(math.Copysign(0, -1))}
	for _, f := range f32s {
		fmt.Println("f32", f, math.Float32bits(f), float64(f), f*f, f+1, int32(f), uint32(f/2))
	}
	for _, v := range []float64{2147483647.5, -2147483648.9, 4294967295.9, 1e19, -1e19, 9.2e18, math.NaN(), 0.99999999} {
		fmt.Println("conv", v, int64(v), int32(v), uint32(v), uint64(v), uint8(int64(v)), float32(v))
	}
	var i64 int64 = math.MaxInt64
	var u64 uint64 = math.MaxUint64
	fmt.Println(float64(i64), float32(i64), float64(u64), float32(u64), float64(int64(-1)<<62), float64(uint64(1)<<63+1025))
	fmt.Printf("%v %.3v %8.2f|%-8.2f|%+.1e %x %X %b\n", 3.14159, 3.14159, -1.005, 2.675, 12345.678, 1.0, -0.5, 1.0)
	fmt.Printf("%5.1f%% %v %v %v\n", 99.95, complex(1, -2), complex64(complex(math.Inf(1), math.NaN())), 1+2i*3i)
	c := complex(3, 4)
	fmt.Println(cmplxAbs(c), real(c*c), imag(c/complex(0, 1)))
	// integer edge cases
	var mi int32 = math.MinInt32
	var neg1 int32 = -1
	fmt.Println(mi/neg1, mi%neg1, int64(math.MinInt64)/int64(neg1), -7/2, -7%2, 7>>1, -7>>1, uint32(1)<<31>>31, int8(-128)/int8(neg1))
	var a64, b64 uint64 = 0xdeadbeefcafebabe, 0x123456789
	fmt.Println(a64/b64, a64%b64, a64*b64, int64(a64)/int64(b64), int64(a64)%int64(b64), a64>>33, int64(a64)>>33)
}

func cmplxAbs(c complex128) float64 { return math.Hypot(real(c), imag(c)) }

type Shape interface {
	Area() float64
	Name() string
}
type Rect struct {
	W, H float64 `unit:"cm"`
	tag  string
}

func (r Rect) Area() float64    { return r.W * r.H }
func (r Rect) Name() string     { return "rect" }
func (r *Rect) Scale(k float64) { r.W *= k; r.H *= k }

func reflectCase() {
	var s Shape = Rect{2, 3, "t"}
	t := reflect.TypeOf(s)
	fmt.Println(t, t.Kind(), t.NumField(), t.NumMethod(), reflect.PtrTo(t).NumMethod())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		fmt.Println("field", f.Name, f.Type, f.Tag.Get("unit"), f.IsExported(), f.Offset)
	}
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i)
		out := reflect.ValueOf(s).Method(i).Call(nil)
		fmt.Println("method", m.Name, m.Type, out[0])
	}
	rp := &Rect{1, 1, ""}
	reflect.ValueOf(rp).MethodByName("Scale").Call([]reflect.Value{reflect.ValueOf(2.5)})
	fmt.Println("scaled", *rp)
	v := reflect.ValueOf(rp).Elem()
	v.Field(0).SetFloat(9)
	fmt.Println("set", rp.W, v.Field(2).CanSet(), v.Field(0).CanSet())
	swap := func(in []reflect.Value) []reflect.Value { return []reflect.Value{in[1], in[0]} }
	var intSwap func(int, int) (int, int)
	reflect.ValueOf(&intSwap).Elem().Set(reflect.MakeFunc(reflect.TypeOf(intSwap), swap))
	a, b := intSwap(1, 2)
	var fswap func(float64, string) (string, float64)
	reflect.ValueOf(&fswap).Elem().Set(reflect.MakeFunc(reflect.TypeOf(fswap), swap))
	fs, ff := fswap(1.5, "x")
	fmt.Println("makefunc", a, b, fs, ff)
	m := reflect.MakeMap(reflect.TypeOf(map[string]int{}))
	m.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf(5))
	sl := reflect.MakeSlice(reflect.TypeOf([]float32{}), 2, 4)
	sl.Index(1).SetFloat(0.5)
	sl = reflect.Append(sl, reflect.ValueOf(float32(1.25)))
	fmt.Println(m.Interface(), sl.Interface(), sl.Cap())
	st := reflect.StructOf([]reflect.StructField{{Name: "A", Type: reflect.TypeOf(int64(0))}, {Name: "B", Type: reflect.TypeOf(""), Tag: `json:"b"`}})
	sv := reflect.New(st).Elem()
	sv.Field(0).SetInt(-5)
	sv.Field(1).SetString("dyn")
	js, _ := json.Marshal(sv.Interface())
	fmt.Println("structof", st, string(js), st.Size())
	ch := make(chan int, 1)
	ch2 := make(chan string, 1)
	ch2 <- "two"
	cases := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch)}, {Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ch2)}}
	chosen, recv, ok := reflect.Select(cases)
	fmt.Println("select", chosen, recv, ok)
	fmt.Println(reflect.DeepEqual(map[string][]int{"a": {1}}, map[string][]int{"a": {1}}), reflect.DeepEqual([]any{1.0}, []any{1}))
	fn := reflect.ValueOf(strings.Repeat)
	fmt.Println(fn.Call([]reflect.Value{reflect.ValueOf("ab"), reflect.ValueOf(3)})[0], fn.Type())
	var iface any = 3.5
	switch x := iface.(type) {
	case int:
		fmt.Println("int", x)
	case float64:
		fmt.Println("float64", x)
	}
	vf := reflect.ValueOf(fmt.Sprintf)
	res := vf.Call([]reflect.Value{reflect.ValueOf("%d-%s-%.2f"), reflect.ValueOf(1), reflect.ValueOf("a"), reflect.ValueOf(2.345)})
	fmt.Println("variadic", res[0])
	type big struct {
		A [40]int64
		F float32
		D float64
		S string
	}
	bv := big{F: 1.5, D: -2.25, S: "s"}
	bv.A[39] = 7
	ret := reflect.ValueOf(func(x big, y float32, z int8, w float64) (big, float64) { x.A[0] = int64(z); x.F += y; return x, w * 2 }).Call(
		[]reflect.Value{reflect.ValueOf(bv), reflect.ValueOf(float32(0.25)), reflect.ValueOf(int8(-3)), reflect.ValueOf(1.5)})
	rb := ret[0].Interface().(big)
	fmt.Println("big call", rb.A[0], rb.A[39], rb.F, rb.D, rb.S, ret[1])
}
