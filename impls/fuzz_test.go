package impls

// FuzzQueue drives one queue from one goroutine with operations the fuzzer
// chooses and compares every result with a reference queue built on a
// slice. Single-threaded, the contract leaves a queue no choice, so any
// difference is a bug: a value lost, duplicated or out of order, a wrong
// error, a wrong Len, Cap or Dropped count.
//
// The input is a header and then one byte per operation:
//
//	byte 0: the queue, an index into Infos()
//	byte 1: the capacity of a bounded queue, from its minimum to 8
//	byte 2: the policy of a lossy queue (Block, Reject, DropOldest, DropNewest)
//	then:   an operation per byte, from fuzzOps by its low four bits
//	        (at most fuzzMaxOps of them)
//
// Calls that would block forever single-threaded (Send on a full Block
// queue, Recv on an empty open queue) are skipped.

import (
	"errors"
	"flag"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	// fuzzMaxOps bounds the operations of one input; the rest of a longer
	// one is ignored. It keeps an input's run short: each RecvTimeout(1ms)
	// on an empty queue takes its millisecond.
	fuzzMaxOps = 4096
	// fuzzHangAfter is how long one input may run: far more than the
	// longest takes.
	fuzzHangAfter = 20 * time.Second
)

var fuzzQueueOnly = flag.String("fuzzqueue.only", "", "comma-separated queues that FuzzQueue drives; inputs for others are skipped (default: all)")

// fuzzOp is one kind of operation of FuzzQueue.
type fuzzOp uint8

const (
	fuzzTrySend fuzzOp = iota
	fuzzSend
	fuzzTryRecv
	fuzzRecv
	fuzzRecvTimeout0
	fuzzRecvTimeout1ms
	fuzzLen
	fuzzCap
	fuzzClose
)

// fuzzOps maps the low four bits of an operation byte to the operation:
// sends and receives are common, Close rare, so that most inputs spend a
// while on an open queue.
var fuzzOps = [16]fuzzOp{
	fuzzTrySend, fuzzTrySend, fuzzTrySend, fuzzSend, fuzzSend,
	fuzzTryRecv, fuzzTryRecv, fuzzTryRecv, fuzzRecv,
	fuzzRecvTimeout0, fuzzRecvTimeout0, fuzzRecvTimeout1ms,
	fuzzLen, fuzzCap, fuzzLen, fuzzClose,
}

// A fuzzRef is the reference queue: what every queue must do, one call at a
// time.
type fuzzRef struct {
	vals    []int
	cap     int // -1: unbounded
	policy  Policy
	closed  bool
	dropped uint64
}

func (r *fuzzRef) full() bool { return r.cap >= 0 && len(r.vals) >= r.cap }

// send is a Send or TrySend that does not block.
func (r *fuzzRef) send(v int) error {
	switch {
	case r.closed:
		return ErrClosed
	case !r.full():
		r.vals = append(r.vals, v)
		return nil
	}
	switch r.policy {
	case Reject:
		r.dropped++
		return ErrFull
	case DropOldest:
		r.dropped++
		r.vals = append(r.vals[1:], v)
		return nil
	case DropNewest:
		r.dropped++
		return nil
	}
	return ErrFull
}

// recv is a receive that does not wait: the oldest value, or the error an
// empty queue gives (ifEmpty while open, ErrClosed once closed).
func (r *fuzzRef) recv(ifEmpty error) (int, error) {
	if len(r.vals) == 0 {
		if r.closed {
			return 0, ErrClosed
		}
		return 0, ifEmpty
	}
	v := r.vals[0]
	r.vals = r.vals[1:]
	return v, nil
}

// fuzzSeeds are inputs that walk each queue across its edges: full, empty,
// every policy, Close with values queued and the drain after it.
func fuzzSeeds() [][]byte {
	const (
		trySend = 0x0
		send    = 0x3
		tryRecv = 0x5
		recv    = 0x8
		rt0     = 0x9
		rt1ms   = 0xb
		length  = 0xc
		capOp   = 0xd
		closeOp = 0xf
	)
	fill := []byte{trySend, send, trySend, send, trySend, length, capOp, trySend, send}
	drain := []byte{tryRecv, recv, rt0, tryRecv, rt1ms, tryRecv, length, tryRecv, tryRecv, rt0}
	var seeds [][]byte
	for q, info := range Infos() {
		capacities, policies := []byte{0}, []byte{0}
		if info.Bounded {
			capacities = []byte{0, 1, 3}
		}
		if info.Lossy {
			policies = []byte{0, 1, 2, 3}
		}
		for _, c := range capacities {
			for _, p := range policies {
				s := []byte{byte(q), c, p}
				s = append(s, fill...)
				s = append(s, drain...)
				s = append(s, fill...)
				s = append(s, closeOp, trySend, send, length)
				s = append(s, drain...)
				s = append(s, closeOp, rt0, rt1ms, recv)
				seeds = append(seeds, s)
			}
		}
	}
	return seeds
}

func FuzzQueue(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		data = append(slices.Clone(data), make([]byte, max(0, 3-len(data)))...)
		infos := Infos()
		info := infos[int(data[0])%len(infos)]
		if *fuzzQueueOnly != "" && !slices.Contains(strings.Split(*fuzzQueueOnly, ","), info.Name) {
			t.Skip("not in -fuzzqueue.only")
		}
		o := Options{}
		ref := &fuzzRef{cap: -1}
		if info.Bounded {
			o.Capacity = max(info.MinCapacity, int(data[1]%9))
			ref.cap = o.Capacity
		}
		if info.Lossy {
			o.Policy = Policy(data[2] % 4)
			ref.policy = o.Policy
		}
		q, err := NewWith[int](info.Name, o)
		if err != nil {
			t.Skipf("cannot build %s for int: %v", info.Name, err)
		}
		// A call that never returns is a failure too; the fuzzer keeps the
		// input of a worker that crashes.
		watchdog := time.AfterFunc(fuzzHangAfter, func() {
			debug.SetTraceback("all")
			panic(fmt.Sprintf("FuzzQueue: %s still running input %q after %v", info.Name, data, fuzzHangAfter))
		})
		defer watchdog.Stop()
		fuzzRun(t, q, info, ref, data[3:min(len(data), 3+fuzzMaxOps)])
	})
}

// fuzzRun runs ops on q and ref side by side, then closes both and drains
// them. It fails at the first difference, with the operations so far.
func fuzzRun(t *testing.T, q Queue[int], info Info, ref *fuzzRef, ops []byte) {
	var trace []string
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s (capacity %d, policy %v): %s\n  after: %s", info.Name, ref.cap, ref.policy,
			fmt.Sprintf(format, args...), strings.Join(trace, ", "))
	}
	checkRecv := func(what string, v int, err error, wantV int, wantErr error) {
		t.Helper()
		if !errors.Is(err, wantErr) || (err == nil && v != wantV) {
			fail("%s = %d, %v; want %d, %v", what, v, err, wantV, wantErr)
		}
	}
	next := 1
	for _, b := range ops {
		op := fuzzOps[b&0xf]
		switch op {
		case fuzzTrySend, fuzzSend:
			if op == fuzzSend && !ref.closed && ref.full() && ref.policy == Block {
				continue // it would block forever
			}
			v := next
			next++
			name, send := "TrySend", q.TrySend
			if op == fuzzSend {
				name, send = "Send", q.Send
			}
			trace = append(trace, fmt.Sprintf("%s(%d)", name, v))
			want := ref.send(v)
			if err := send(v); !errors.Is(err, want) {
				fail("%s(%d) = %v, want %v", name, v, err, want)
			}
		case fuzzTryRecv:
			trace = append(trace, "TryRecv")
			v, err := q.TryRecv()
			wantV, wantErr := ref.recv(ErrEmpty)
			checkRecv("TryRecv()", v, err, wantV, wantErr)
		case fuzzRecv:
			if len(ref.vals) == 0 && !ref.closed {
				continue // it would block forever
			}
			trace = append(trace, "Recv")
			v, err := q.Recv()
			wantV, wantErr := ref.recv(nil)
			checkRecv("Recv()", v, err, wantV, wantErr)
		case fuzzRecvTimeout0, fuzzRecvTimeout1ms:
			d := time.Duration(0)
			if op == fuzzRecvTimeout1ms {
				d = time.Millisecond
			}
			trace = append(trace, fmt.Sprintf("RecvTimeout(%v)", d))
			v, err := q.RecvTimeout(d)
			wantV, wantErr := ref.recv(ErrTimeout)
			checkRecv(fmt.Sprintf("RecvTimeout(%v)", d), v, err, wantV, wantErr)
		case fuzzLen:
			trace = append(trace, "Len")
		case fuzzCap:
			trace = append(trace, "Cap")
			if got := q.Cap(); got != ref.cap {
				fail("Cap() = %d, want %d", got, ref.cap)
			}
		case fuzzClose:
			trace = append(trace, "Close")
			q.Close()
			ref.closed = true
		}
		if got := q.Len(); got != len(ref.vals) {
			fail("Len() = %d, want %d", got, len(ref.vals))
		}
		if d, ok := q.(Dropper); ok && d.Dropped() != ref.dropped {
			fail("Dropped() = %d, want %d", d.Dropped(), ref.dropped)
		}
	}

	// Close (again, perhaps) and drain: what is left must come out in
	// order, then ErrClosed from every receive and send.
	trace = append(trace, "Close", "drain")
	q.Close()
	ref.closed = true
	for len(ref.vals) > 0 {
		v, err := q.Recv()
		wantV, wantErr := ref.recv(nil)
		checkRecv("Recv() draining", v, err, wantV, wantErr)
	}
	v, err := q.Recv()
	checkRecv("Recv() on the closed, drained queue", v, err, 0, ErrClosed)
	v, err = q.TryRecv()
	checkRecv("TryRecv() on the closed, drained queue", v, err, 0, ErrClosed)
	if err := q.Send(next); !errors.Is(err, ErrClosed) {
		fail("Send after Close = %v, want ErrClosed", err)
	}
	if got := q.Len(); got != 0 {
		fail("Len() of the closed, drained queue = %d", got)
	}
}
