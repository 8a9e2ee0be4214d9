package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

func TestValueSizes(t *testing.T) {
	got := map[int]uintptr{
		16:   unsafe.Sizeof(padded[struct{}]{}),
		32:   unsafe.Sizeof(padded[[16]byte]{}),
		56:   unsafe.Sizeof(msg56{}),
		64:   unsafe.Sizeof(padded[[48]byte]{}),
		128:  unsafe.Sizeof(padded[[112]byte]{}),
		256:  unsafe.Sizeof(padded[[240]byte]{}),
		1024: unsafe.Sizeof(padded[[1008]byte]{}),
	}
	for want, size := range got {
		if size != uintptr(want) {
			t.Errorf("the %d-byte value is %d bytes", want, size)
		}
		if _, ok := runners[want]; !ok {
			t.Errorf("no runner for %d bytes", want)
		}
	}
	if len(runners) != len(got) {
		t.Errorf("%d runners, %d sizes checked", len(runners), len(got))
	}
}

// TestMessageLayout checks msg56 against chanbench's message type, read
// from its source so that this program still imports nothing of
// chanbench's: the same fields, in the same order, at the same offsets.
func TestMessageLayout(t *testing.T) {
	const src = "../../workloads/message.go"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, src, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("workloads", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj := pkg.Scope().Lookup("Message")
	if obj == nil {
		t.Fatalf("%s declares no Message", src)
	}
	st, ok := obj.Type().Underlying().(*types.Struct)
	if !ok {
		t.Fatalf("%s: Message is a %s, not a struct", src, obj.Type().Underlying())
	}
	sizes := types.SizesFor("gc", runtime.GOARCH)
	var fields []*types.Var
	for i := range st.NumFields() {
		fields = append(fields, st.Field(i))
	}
	offsets := sizes.Offsetsof(fields)

	ref := reflect.TypeFor[msg56]()
	if ref.NumField() != len(fields) {
		t.Fatalf("msg56 has %d fields, chanbench's Message %d", ref.NumField(), len(fields))
	}
	for i, f := range fields {
		r := ref.Field(i)
		want := strings.ReplaceAll(f.Type().String(), "byte", "uint8")
		if r.Name != f.Name() || r.Type.String() != want || int64(r.Offset) != offsets[i] {
			t.Errorf("field %d: msg56 has %s %s at %d, chanbench's Message %s %s at %d",
				i, r.Name, r.Type, r.Offset, f.Name(), f.Type(), offsets[i])
		}
	}
	if got, want := int64(ref.Size()), sizes.Sizeof(st); got != want {
		t.Errorf("msg56 is %d bytes, chanbench's Message %d", got, want)
	}
}

func TestRun(t *testing.T) {
	shapes := []struct {
		name string
		cfg  config
	}{
		{"steady", config{producers: 4, consumers: 1, capacity: 1024, messages: 10_000}},
		{"spsc", config{producers: 1, consumers: 1, capacity: 1024, messages: 10_000}},
		{"unbuffered", config{producers: 4, consumers: 1, capacity: 0, messages: 10_000}},
		{"mpmc uneven", config{producers: 3, consumers: 5, capacity: 1, messages: 10_001}},
		{"fewer messages than producers", config{producers: 8, consumers: 2, capacity: 4, messages: 3}},
	}
	for _, size := range slices.Sorted(maps.Keys(runners)) {
		for _, tc := range shapes {
			runSize := runners[size]
			t.Run(fmt.Sprintf("bytes=%d/%s", size, tc.name), func(t *testing.T) {
				res, err := runSize(tc.cfg)
				if err != nil {
					t.Fatalf("%d bytes: %v", size, err)
				}
				if res.received != uint64(tc.cfg.messages) || res.elapsed <= 0 {
					t.Errorf("%d bytes: received %d of %d in %v", size, res.received, tc.cfg.messages, res.elapsed)
				}
			})
		}
	}
}

// TestRunNoticesLoss checks the checks: a consumer that misses a message,
// or receives one twice in place of another, fails the run.
func TestRunNoticesLoss(t *testing.T) {
	cfg := config{producers: 4, consumers: 1, capacity: 16, messages: 1000}
	tests := []struct {
		name    string
		consume func(ch <-chan msg56) (n, seqSum uint64)
		want    string
	}{
		{"a message missed", func(ch <-chan msg56) (n, seqSum uint64) {
			n, seqSum = consume56(ch)
			return n - 1, seqSum
		}, "received 999 messages of 1000"},
		{"a sequence number wrong", func(ch <-chan msg56) (n, seqSum uint64) {
			n, seqSum = consume56(ch)
			return n, seqSum + 1
		}, "the sequence numbers received add up to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(cfg, produce56, tc.consume)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestShare(t *testing.T) {
	for _, n := range []int{0, 1, 7, 100, 101} {
		for producers := 1; producers <= 9; producers++ {
			total := 0
			for p := range producers {
				s := share(n, producers, p)
				if s < n/producers || s > n/producers+1 {
					t.Errorf("share(%d, %d, %d) = %d", n, producers, p, s)
				}
				total += s
			}
			if total != n {
				t.Errorf("shares of %d among %d add up to %d", n, producers, total)
			}
		}
	}
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	results := filepath.Join(dir, "results.json")
	err := os.WriteFile(results, []byte(`{"schema": 1, "trials": [
		{"impl": "chan", "outcome": "ok", "throughput": 300},
		{"impl": "chan", "outcome": "oom", "throughput": 1},
		{"impl": "chan", "outcome": "ok", "throughput": 100},
		{"impl": "chan", "outcome": "ok", "throughput": 200}]}`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	none := filepath.Join(dir, "none.json")
	if err := os.WriteFile(none, []byte(`{"trials": [{"outcome": "crashed"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // a substring, or "" for none at all
		stderr   string
		exact    bool // stdout must be exactly the string
		oneError bool // stderr must be one line
	}{
		{name: "runs", args: []string{"-messages", "1000", "-count", "3", "-value-bytes", "16"}, code: 0, stdout: "median msg/s "},
		{name: "unbuffered", args: []string{"-capacity", "0", "-messages", "1000", "-count", "1"}, code: 0, stdout: "capacity 0"},
		{name: "help", args: []string{"-h"}, code: 0, stdout: "Usage: plainchan"},
		{name: "reads", args: []string{"-read-throughput", results}, code: 0, stdout: "200\n", exact: true},
		{name: "no ok trial", args: []string{"-read-throughput", none}, code: 1, stderr: "no trial ended ok", oneError: true},
		{name: "no file", args: []string{"-read-throughput", filepath.Join(dir, "absent.json")}, code: 1, stderr: "reading chanbench results", oneError: true},
		{name: "bad size", args: []string{"-value-bytes", "48"}, code: 2, stderr: "want one of [16 32 56 64 128 256 1024]", oneError: true},
		{name: "negative capacity", args: []string{"-capacity", "-1"}, code: 2, stderr: "-capacity", oneError: true},
		{name: "no producers", args: []string{"-producers", "0"}, code: 2, stderr: "-producers", oneError: true},
		{name: "unknown flag", args: []string{"-bogus"}, code: 2, stderr: "see plainchan -h", oneError: true},
		{name: "argument", args: []string{"steady"}, code: 2, stderr: `unexpected argument "steady"`, oneError: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := plainchan(&stdout, &stderr, tc.args)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			switch {
			case tc.exact && stdout.String() != tc.stdout:
				t.Errorf("stdout %q, want %q", stdout.String(), tc.stdout)
			case !strings.Contains(stdout.String(), tc.stdout):
				t.Errorf("stdout %q, want it to hold %q", stdout.String(), tc.stdout)
			case tc.stdout == "" && stdout.Len() > 0:
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q, want it to hold %q", stderr.String(), tc.stderr)
			}
			if tc.oneError && strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("stderr %q, want one line", stderr.String())
			}
		})
	}
}

// BenchmarkRun compares the 56-byte run with the same run written out
// without generics (plain), and with a loop that is generic over the value
// type and reaches its fields through methods (methods), as the 56-byte
// value would be sent if every size shared one generic loop:
//
//	go test -run '^$' -bench Run -count 10 -cpu 1,2 ./reference/plainchan/ | benchstat -col /loop -
//
// Interleave the runs on a noisy machine; at -cpu 2 the spread between
// runs can be larger than any of the differences.
func BenchmarkRun(b *testing.B) {
	loops := []struct {
		name string
		run  func(config) (trial, error)
	}{
		{"plain", runMsg56},
		{"run", runners[56]},
		{"methods", runMethods[msg56]},
	}
	for _, l := range loops {
		b.Run("loop="+l.name, func(b *testing.B) {
			cfg := config{producers: 4, consumers: 1, capacity: 1024, messages: max(b.N, 4)}
			if _, err := l.run(cfg); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// runMsg56 is run with produce56 and consume56, written out.
func runMsg56(cfg config) (trial, error) {
	ch := make(chan msg56, cfg.capacity)
	counts := make([]uint64, cfg.consumers)
	sums := make([]uint64, cfg.consumers)
	var consumers sync.WaitGroup
	for c := range cfg.consumers {
		consumers.Go(func() {
			var n, sum uint64
			for m := range ch {
				n++
				sum += m.Seq
			}
			counts[c], sums[c] = n, sum
		})
	}
	start := time.Now()
	var producers sync.WaitGroup
	var want uint64
	for p := range cfg.producers {
		n := share(cfg.messages, cfg.producers, p)
		want += uint64(n) * uint64(n-1) / 2
		producers.Go(func() {
			for i := range n {
				ch <- msg56{Producer: uint32(p), Seq: uint64(i)}
			}
		})
	}
	producers.Wait()
	close(ch)
	consumers.Wait()
	t := trial{elapsed: time.Since(start)}
	var sum uint64
	for c := range cfg.consumers {
		t.received += counts[c]
		sum += sums[c]
	}
	if t.received != uint64(cfg.messages) || sum != want {
		return t, errors.New("a message went missing")
	}
	return t, nil
}

// A value is a type that a loop generic over the value type can make and
// read through methods.
type value[T any] interface {
	with(producer uint32, seq uint64) T
	seqNo() uint64
}

func (msg56) with(p uint32, s uint64) msg56 { return msg56{Producer: p, Seq: s} }
func (m msg56) seqNo() uint64               { return m.Seq }

// runMethods is run with loops generic over the value type.
func runMethods[T value[T]](cfg config) (trial, error) {
	produce := func(ch chan<- T, p uint32, n int) {
		var zero T
		for i := range n {
			ch <- zero.with(p, uint64(i))
		}
	}
	consume := func(ch <-chan T) (n, seqSum uint64) {
		for m := range ch {
			n++
			seqSum += m.seqNo()
		}
		return n, seqSum
	}
	return run(cfg, produce, consume)
}
