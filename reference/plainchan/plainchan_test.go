package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
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
)

// values lists this program's value type of each size, the type that
// TestValueLayout holds to chanbench's workloads.Value<size>.
var values = map[int]reflect.Type{
	16:   reflect.TypeFor[value16](),
	32:   reflect.TypeFor[padded[[32 - 24]byte]](),
	64:   reflect.TypeFor[padded[[64 - 24]byte]](),
	128:  reflect.TypeFor[padded[[128 - 24]byte]](),
	256:  reflect.TypeFor[padded[[256 - 24]byte]](),
	1024: reflect.TypeFor[padded[[1024 - 24]byte]](),
}

// TestValueLayout checks each value type against chanbench's of the same
// size, read from its source so that this program still imports nothing of
// chanbench's: the sizes its ValueSizes lists, and for each, the same
// fields with the same types, in the same order, at the same offsets, and
// the same size and alignment. TestRun checks that the runner for each
// size sends values of that size.
func TestValueLayout(t *testing.T) {
	pkg, chanbenchSizes := readChanbenchValues(t, "../../workloads/message.go")
	if got := slices.Sorted(maps.Keys(runners)); !slices.Equal(got, chanbenchSizes) {
		t.Errorf("runners for %v, chanbench's ValueSizes %v", got, chanbenchSizes)
	}
	sizes := types.SizesFor("gc", runtime.GOARCH)
	for _, size := range chanbenchSizes {
		ref, name := values[size], fmt.Sprintf("Value%d", size)
		if ref == nil {
			t.Errorf("no value type for chanbench's %s", name)
			continue
		}
		obj := pkg.Scope().Lookup(name)
		if obj == nil {
			t.Errorf("chanbench's ValueSizes lists %d, but it declares no %s", size, name)
			continue
		}
		st, ok := obj.Type().Underlying().(*types.Struct)
		if !ok {
			t.Errorf("chanbench's %s is a %s, not a struct", name, obj.Type().Underlying())
			continue
		}
		var fields []*types.Var
		for i := range st.NumFields() {
			fields = append(fields, st.Field(i))
		}
		offsets := sizes.Offsetsof(fields)

		if ref.NumField() != len(fields) {
			t.Errorf("%v has %d fields, chanbench's %s %d", ref, ref.NumField(), name, len(fields))
			continue
		}
		for i, f := range fields {
			r := ref.Field(i)
			// Blank fields match by type and offset: both are named _.
			want := strings.ReplaceAll(f.Type().String(), "byte", "uint8")
			if r.Name != f.Name() || r.Type.String() != want || int64(r.Offset) != offsets[i] {
				t.Errorf("%v field %d: %s %s at %d, chanbench's %s %s %s at %d",
					ref, i, r.Name, r.Type, r.Offset, name, f.Name(), f.Type(), offsets[i])
			}
		}
		if got, want := int64(ref.Size()), sizes.Sizeof(st); got != want || got != int64(size) {
			t.Errorf("%v is %d bytes, chanbench's %s %d", ref, got, name, want)
		}
		if got, want := int64(ref.Align()), sizes.Alignof(st); got != want {
			t.Errorf("%v aligns to %d bytes, chanbench's %s to %d", ref, got, name, want)
		}
	}
	if len(values) != len(chanbenchSizes) {
		t.Errorf("%d value types, chanbench's ValueSizes lists %d", len(values), len(chanbenchSizes))
	}
}

// readChanbenchValues type-checks the Go file at path, chanbench's
// workloads/message.go, on its own, and returns its package and the sizes
// its ValueSizes lists.
func readChanbenchValues(t *testing.T, path string) (*types.Package, []int) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("workloads", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatalf("type-checking %s on its own: %v", path, err)
	}
	// ValueSizes is a variable: read the constants its literal lists.
	var lit *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, id := range vs.Names {
				if id.Name == "ValueSizes" && i < len(vs.Values) {
					lit, _ = vs.Values[i].(*ast.CompositeLit)
				}
			}
		}
		return lit == nil
	})
	if lit == nil {
		t.Fatalf("%s: no ValueSizes set to a composite literal", path)
	}
	var sizes []int
	for _, e := range lit.Elts {
		v := info.Types[e].Value
		if v == nil || v.Kind() != constant.Int {
			t.Fatalf("%s: ValueSizes lists %s, not an integer constant", fset.Position(e.Pos()), types.ExprString(e))
		}
		n, _ := constant.Int64Val(v)
		sizes = append(sizes, int(n))
	}
	return pkg, sizes
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
				if res.valueBytes != size {
					t.Errorf("the runner for %d bytes sent %d-byte values", size, res.valueBytes)
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
		consume func(ch <-chan value16) (n, seqSum uint64)
		want    string
	}{
		{"a message missed", func(ch <-chan value16) (n, seqSum uint64) {
			n, seqSum = consume16(ch)
			return n - 1, seqSum
		}, "received 999 messages of 1000"},
		{"a sequence number wrong", func(ch <-chan value16) (n, seqSum uint64) {
			n, seqSum = consume16(ch)
			return n, seqSum + 1
		}, "the sequence numbers received add up to"},
		{"the producer's index read as the sequence number", func(ch <-chan value16) (n, seqSum uint64) {
			for v := range ch {
				n++
				seqSum += v.ID
			}
			return n, seqSum
		}, "the sequence numbers received add up to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(cfg, produce16, tc.consume)
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
		{name: "bad size", args: []string{"-value-bytes", "48"}, code: 2, stderr: "-value-bytes 48: want one of 16, 32, 64, 128, 256, 1024", oneError: true},
		{name: "old message size", args: []string{"-value-bytes", "56"}, code: 2, stderr: "want one of", oneError: true},
		{name: "default size", args: []string{"-messages", "100", "-count", "1"}, code: 0, stdout: "16-byte values"},
		{name: "largest size", args: []string{"-messages", "100", "-count", "1", "-value-bytes", "1024"}, code: 0, stdout: "1024-byte values"},
		{name: "negative capacity", args: []string{"-capacity", "-1"}, code: 2, stderr: "-capacity", oneError: true},
		{name: "no producers", args: []string{"-producers", "0"}, code: 2, stderr: "-producers", oneError: true},
		{name: "too many producers", args: []string{"-producers", "65537"}, code: 2, stderr: "at most 65536", oneError: true},
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

// BenchmarkRun compares the 16-byte run with the same run written out
// without generics (plain), and with a loop that is generic over the value
// type and reaches its fields through methods (methods), as the values
// would be sent if every size shared one generic loop:
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
		{"plain", runPlain16},
		{"run", runners[16]},
		{"methods", runMethods[value16]},
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

// runPlain16 is run with produce16 and consume16, written out.
func runPlain16(cfg config) (trial, error) {
	ch := make(chan value16, cfg.capacity)
	counts := make([]uint64, cfg.consumers)
	sums := make([]uint64, cfg.consumers)
	var consumers sync.WaitGroup
	for c := range cfg.consumers {
		consumers.Go(func() {
			var n, sum uint64
			for v := range ch {
				n++
				sum += v.ID & seqMask
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
			id := uint64(p) << producerShift
			for seq := range n {
				ch <- value16{ID: id | uint64(seq)}
			}
		})
	}
	producers.Wait()
	close(ch)
	consumers.Wait()
	t := trial{elapsed: time.Since(start), valueBytes: 16}
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
	with(producer, seq int) T
	seq() uint64
}

func (value16) with(p, seq int) value16 {
	return value16{ID: uint64(p)<<producerShift | uint64(seq)}
}
func (v value16) seq() uint64 { return v.ID & seqMask }

// runMethods is run with loops generic over the value type.
func runMethods[T value[T]](cfg config) (trial, error) {
	produce := func(ch chan<- T, p, n int) {
		var zero T
		for seq := range n {
			ch <- zero.with(p, seq)
		}
	}
	consume := func(ch <-chan T) (n, seqSum uint64) {
		for v := range ch {
			n++
			seqSum += v.seq()
		}
		return n, seqSum
	}
	return run(cfg, produce, consume)
}
