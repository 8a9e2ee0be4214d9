package impls_test

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chanbench/chanbench/impls"
)

// TestBuiltins checks the registry's entries for the queues of design.md.
func TestBuiltins(t *testing.T) {
	names := impls.Names()
	if len(names) < len(builtinNames) || !slices.Equal(names[:len(builtinNames)], builtinNames) {
		t.Fatalf("Names() = %v, want it to start with %v", names, builtinNames)
	}
	bounded := map[string]bool{"chan": true, "ring": true, "bounded": true, "spsc": true}
	for _, name := range builtinNames {
		info, ok := impls.Lookup(name)
		if !ok {
			t.Errorf("Lookup(%q): not found", name)
			continue
		}
		if info.Name != name || info.Summary == "" {
			t.Errorf("Lookup(%q) = {Name: %q, Summary: %q}, want its name and a summary", name, info.Name, info.Summary)
		}
		if info.Bounded != bounded[name] {
			t.Errorf("Lookup(%q).Bounded = %v, want %v", name, info.Bounded, bounded[name])
		}
		if info.Lossy != (name == "bounded") {
			t.Errorf("Lookup(%q).Lossy = %v, want %v", name, info.Lossy, name == "bounded")
		}
	}
	if _, ok := impls.Lookup("no-such-queue"); ok {
		t.Errorf("Lookup(%q) found a queue", "no-such-queue")
	}
}

// TestNew checks which capacities New accepts for each built-in queue, and
// that the queue it builds has that capacity.
func TestNew(t *testing.T) {
	tests := []struct {
		name     string
		capacity int
		wantErr  string // a substring of the error; "" for success
		wantCap  int
	}{
		{"nope", 4, `unknown queue "nope" (known: chan, list, ring, bounded, spsc, segment, pump`, 0},
		{"", 4, `unknown queue ""`, 0},
		{"chan", 0, "", 0}, // rendezvous
		{"chan", 7, "", 7},
		{"ring", 1, "", 1},
		{"bounded", 1, "", 1},
		{"spsc", 1, "", 1},
		{"list", 0, "", -1},
		{"segment", 0, "", -1},
		{"pump", 5, "", -1},
		{"ring", 0, "queue ring: capacity 0 is below its minimum of 1", 0},
		{"bounded", 0, "queue bounded: capacity 0 is below its minimum of 1", 0},
		{"spsc", 0, "queue spsc: capacity 0 is below its minimum of 1", 0},
	}
	for _, name := range builtinNames {
		tests = append(tests, struct {
			name     string
			capacity int
			wantErr  string
			wantCap  int
		}{name, -1, fmt.Sprintf("queue %s: capacity -1 is negative", name), 0})
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%d", tc.name, tc.capacity), func(t *testing.T) {
			q, err := impls.New[int](tc.name, tc.capacity)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("New(%q, %d): got error %v, want one containing %q", tc.name, tc.capacity, err, tc.wantErr)
				}
				if q != nil {
					t.Errorf("New(%q, %d) returned a queue with its error", tc.name, tc.capacity)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%q, %d): %v", tc.name, tc.capacity, err)
			}
			defer q.Close()
			checkInt(t, "Cap()", q.Cap(), tc.wantCap)
		})
	}
}

// TestNewWithPolicy checks that NewWith refuses a policy that does not exist.
func TestNewWithPolicy(t *testing.T) {
	_, err := impls.NewWith[int]("bounded", impls.Options{Capacity: 4, Policy: impls.Policy(42)})
	if want := "unknown policy 42"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("NewWith(bounded, Policy(42)): got error %v, want one containing %q", err, want)
	}
}

// TestSupports checks the producer and consumer counts each queue refuses.
func TestSupports(t *testing.T) {
	tests := []struct {
		name                 string
		producers, consumers int
		wantErr              string
	}{
		{"spsc", 1, 1, ""},
		{"spsc", 2, 1, "spsc supports at most 1 producer, not 2"},
		{"spsc", 1, 4, "spsc supports at most 1 consumer, not 4"},
		{"ring", 8, 8, ""},
		{"list", 64, 1, ""},
		{"chan", 4, 4, ""},
	}
	for _, tc := range tests {
		info, ok := impls.Lookup(tc.name)
		if !ok {
			t.Fatalf("Lookup(%q): not found", tc.name)
		}
		err := info.Supports(tc.producers, tc.consumers)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr) {
			t.Errorf("%s.Supports(%d, %d) = %v, want %q", tc.name, tc.producers, tc.consumers, err, tc.wantErr)
		}
	}
}

// A regEvent is an element type only TestRegister's queues carry.
type regEvent struct{ id int }

// A regQueue is a queue from outside the package: a list that remembers the
// options it was built with.
type regQueue[T any] struct {
	impls.Queue[T]
	opts impls.Options
}

// regSeq makes TestRegister's names unique, so that it passes with -count.
var regSeq atomic.Int64

// TestRegister registers a queue from outside the package and builds it by
// name; the registry refuses bad names, duplicates and other element types.
func TestRegister(t *testing.T) {
	name := fmt.Sprintf("test-queue-%d", regSeq.Add(1))
	info := impls.Info{Name: name, Summary: "a list that remembers its options"}
	ctor := func(o impls.Options) impls.Queue[regEvent] {
		return &regQueue[regEvent]{Queue: impls.NewList[regEvent](), opts: o}
	}
	if err := impls.Register(info, ctor); err != nil {
		t.Fatalf("Register(%q): %v", name, err)
	}

	got, ok := impls.Lookup(name)
	if !ok || got != info {
		t.Errorf("Lookup(%q) = %+v, %v; want %+v, true", name, got, ok, info)
	}
	names := impls.Names()
	if i := slices.Index(names, name); i < len(builtinNames) {
		t.Errorf("Names() = %v, want %q after the built-in queues", names, name)
	}

	opts := impls.Options{Capacity: 7, Policy: impls.DropNewest}
	q, err := impls.NewWith[regEvent](name, opts)
	if err != nil {
		t.Fatalf("NewWith[regEvent](%q): %v", name, err)
	}
	defer q.Close()
	if rq, ok := q.(*regQueue[regEvent]); !ok || rq.opts != opts {
		t.Errorf("NewWith[regEvent](%q, %+v) = %#v, want the registered constructor's queue with those options", name, opts, q)
	}
	send(t, q, regEvent{id: 3})
	if v := recv(t, q); v.id != 3 {
		t.Errorf("Recv = %+v, want {id:3}", v)
	}

	// The same name for another element type adds that type.
	if err := impls.Register(info, func(o impls.Options) impls.Queue[string] { return impls.NewList[string]() }); err != nil {
		t.Errorf("Register(%q) for string too: %v", name, err)
	}
	if q, err := impls.New[string](name, 0); err != nil {
		t.Errorf("New[string](%q): %v", name, err)
	} else {
		q.Close()
	}

	errTests := []struct {
		what    string
		err     error
		wantErr string
	}{
		{"Register the same name and type again", impls.Register(info, ctor), "already registered for impls_test.regEvent"},
		{"Register a built-in name", impls.Register(impls.Info{Name: "ring"}, ctor), "a built-in queue has that name"},
		{"Register a nil constructor", impls.Register[regEvent](impls.Info{Name: name + "-nil"}, nil), "nil constructor"},
		{"Register an empty name", impls.Register(impls.Info{}, ctor), "invalid name"},
		{"Register a name with a space", impls.Register(impls.Info{Name: "a b"}, ctor), "invalid name"},
		{"Register a name with a slash", impls.Register(impls.Info{Name: "a/b"}, ctor), "invalid name"},
		{"Register a name with '='", impls.Register(impls.Info{Name: "a=b"}, ctor), "invalid name"},
		{"Register a name with a comma", impls.Register(impls.Info{Name: "a,b"}, ctor), "invalid name"},
	}
	_, err = impls.New[float64](name, 4)
	errTests = append(errTests, struct {
		what    string
		err     error
		wantErr string
	}{"New for an element type not registered", err, fmt.Sprintf("queue %s is not registered for element type float64", name)})
	for _, tc := range errTests {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.wantErr) {
			t.Errorf("%s: got error %v, want one containing %q", tc.what, tc.err, tc.wantErr)
		}
	}
}

// TestConstructorPanics checks that the typed constructors refuse an
// impossible capacity or policy the way make does: with a panic that says so.
func TestConstructorPanics(t *testing.T) {
	tests := []struct {
		name      string
		build     func() impls.Queue[int]
		wantPanic string // a substring of the panic; "" for none
	}{
		{"NewChan(-1)", func() impls.Queue[int] { return impls.NewChan[int](-1) }, "capacity"},
		{"NewChan(0)", func() impls.Queue[int] { return impls.NewChan[int](0) }, ""},
		{"NewRing(-1)", func() impls.Queue[int] { return impls.NewRing[int](-1) }, "capacity"},
		{"NewRing(0)", func() impls.Queue[int] { return impls.NewRing[int](0) }, "capacity"},
		{"NewRing(1)", func() impls.Queue[int] { return impls.NewRing[int](1) }, ""},
		{"NewBounded(-1)", func() impls.Queue[int] { return impls.NewBounded[int](-1, impls.Block) }, "capacity"},
		{"NewBounded(0)", func() impls.Queue[int] { return impls.NewBounded[int](0, impls.DropOldest) }, "capacity"},
		{"NewBounded(1)", func() impls.Queue[int] { return impls.NewBounded[int](1, impls.Reject) }, ""},
		{"NewBounded(1, Policy(9))", func() impls.Queue[int] { return impls.NewBounded[int](1, impls.Policy(9)) }, "policy"},
		{"NewSPSC(-1)", func() impls.Queue[int] { return impls.NewSPSC[int](-1) }, "capacity"},
		{"NewSPSC(0)", func() impls.Queue[int] { return impls.NewSPSC[int](0) }, "capacity"},
		{"NewSPSC(1)", func() impls.Queue[int] { return impls.NewSPSC[int](1) }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				tc.build().Close()
			}()
			msg := fmt.Sprint(recovered)
			switch {
			case tc.wantPanic == "" && recovered != nil:
				t.Errorf("%s panicked: %s", tc.name, msg)
			case tc.wantPanic != "" && recovered == nil:
				t.Errorf("%s did not panic, want a panic about the %s", tc.name, tc.wantPanic)
			case tc.wantPanic != "" && !strings.Contains(msg, tc.wantPanic):
				t.Errorf("%s panicked with %q, want a message about the %s", tc.name, msg, tc.wantPanic)
			}
		})
	}
}

// TestParsePolicy checks that every policy's name reads back as the policy.
func TestParsePolicy(t *testing.T) {
	for _, p := range []impls.Policy{impls.Block, impls.Reject, impls.DropOldest, impls.DropNewest} {
		got, err := impls.ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v; want %v, nil", p.String(), got, err, p)
		}
	}
	if _, err := impls.ParsePolicy("drop-everything"); err == nil || !strings.Contains(err.Error(), "drop-everything") {
		t.Errorf("ParsePolicy(%q): got error %v, want one naming it", "drop-everything", err)
	}
	if got := impls.Policy(9).String(); got != "Policy(9)" {
		t.Errorf("Policy(9).String() = %q, want %q", got, "Policy(9)")
	}
}
