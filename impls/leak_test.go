package impls

// No leaks: a queue that has been closed and drained leaves no goroutine
// behind, neither its own (pump's) nor a caller it had blocked, and it keeps
// nothing reachable that its consumer has received. Goroutines are checked
// with goleak against a snapshot taken before the queue existed, so
// goroutines that other tests left behind do not count; memory is checked
// with weak pointers, which the GC clears once nothing else reaches the
// value.

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"weak"

	"go.uber.org/goleak"
)

// leakWait is how long a blocked call may take to return after Close, and a
// queue's goroutines to finish after the drain. Far more than they need: the
// machines are shared and slow under the race detector.
const leakWait = 10 * time.Second

// leakCallers returns how many goroutines may send and receive at once on
// the queue info describes: up to want, within its limits.
func leakCallers(info Info, want int) (senders, receivers int) {
	senders, receivers = want, want
	if info.MaxProducers > 0 {
		senders = min(senders, info.MaxProducers)
	}
	if info.MaxConsumers > 0 {
		receivers = min(receivers, info.MaxConsumers)
	}
	return senders, receivers
}

// leakCollect waits for n results on errs, failing if they do not all arrive
// within leakWait or one is not ErrClosed.
func leakCollect(t *testing.T, what string, n int, errs <-chan error) {
	t.Helper()
	deadline := time.After(leakWait)
	for i := range n {
		select {
		case err := <-errs:
			if !errors.Is(err, ErrClosed) {
				t.Errorf("%s woken by Close returned %v, want ErrClosed", what, err)
			}
		case <-deadline:
			t.Fatalf("%d of %d blocked %s calls still blocked %v after Close", n-i, n, what, leakWait)
		}
	}
}

// leakDrain receives until ErrClosed and returns how many values it got.
func leakDrain[T any](t *testing.T, q Queue[T]) int {
	t.Helper()
	for n := 0; ; n++ {
		if _, err := q.Recv(); err != nil {
			if !errors.Is(err, ErrClosed) {
				t.Fatalf("Recv while draining: %v", err)
			}
			return n
		}
	}
}

// TestLeakNoGoroutinesAfterClose checks every queue in three ways: values
// sent, the queue closed and drained; receivers blocked on an empty queue
// (in Recv and in a long RecvTimeout) woken by Close; and, for a bounded
// queue, senders blocked on a full one woken by Close, then the drain. After
// each, the goroutines are exactly those that were there before the queue.
func TestLeakNoGoroutinesAfterClose(t *testing.T) {
	for _, info := range Infos() {
		t.Run(info.Name+"/drained", func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			q, err := NewWith[int](info.Name, Options{Capacity: 8})
			if err != nil {
				t.Skipf("cannot build it for int: %v", err)
			}
			for v := range 5 {
				if err := q.Send(v); err != nil {
					t.Fatalf("Send(%d): %v", v, err)
				}
			}
			if v, err := q.Recv(); err != nil || v != 0 {
				t.Fatalf("Recv = %d, %v; want 0", v, err)
			}
			q.Close()
			if n := leakDrain(t, q); n != 4 {
				t.Fatalf("drained %d values after Close, want 4", n)
			}
			goleak.VerifyNone(t, before)
		})

		t.Run(info.Name+"/blocked-receivers", func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			q, err := NewWith[int](info.Name, Options{Capacity: 8})
			if err != nil {
				t.Skipf("cannot build it for int: %v", err)
			}
			_, receivers := leakCallers(info, 3)
			errs := make(chan error, receivers)
			for i := range receivers {
				go func() {
					var err error
					if i%2 == 0 {
						_, err = q.Recv()
					} else {
						_, err = q.RecvTimeout(time.Hour)
					}
					errs <- err
				}()
			}
			time.Sleep(20 * time.Millisecond) // let them block; correctness does not depend on it
			q.Close()
			leakCollect(t, "Recv or RecvTimeout(1h)", receivers, errs)
			goleak.VerifyNone(t, before)
		})

		if !info.Bounded {
			continue
		}
		for _, capacity := range []int{max(info.MinCapacity, 0), max(info.MinCapacity, 2)} {
			t.Run(fmt.Sprintf("%s/blocked-senders/capacity-%d", info.Name, capacity), func(t *testing.T) {
				before := goleak.IgnoreCurrent()
				q, err := NewWith[int](info.Name, Options{Capacity: capacity})
				if err != nil {
					t.Skipf("cannot build it for int: %v", err)
				}
				for v := range q.Cap() {
					if err := q.TrySend(v); err != nil {
						t.Fatalf("TrySend(%d) filling the queue: %v", v, err)
					}
				}
				senders, _ := leakCallers(info, 3)
				errs := make(chan error, senders)
				for i := range senders {
					go func() { errs <- q.Send(100 + i) }()
				}
				time.Sleep(20 * time.Millisecond) // let them block; correctness does not depend on it
				q.Close()
				leakCollect(t, "Send", senders, errs)
				if n := leakDrain(t, q); n != q.Cap() {
					t.Errorf("drained %d values after Close, want the %d queued", n, q.Cap())
				}
				goleak.VerifyNone(t, before)
			})
		}
	}
}

// leakGoroutineIDs returns the ids of the goroutines whose stack trace
// contains s.
func leakGoroutineIDs(s string) []int {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var ids []int
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		fields := strings.Fields(header) // goroutine 42 [select]:
		if len(fields) < 2 || fields[0] != "goroutine" || !strings.Contains(g, s) {
			continue
		}
		if id, err := strconv.Atoi(fields[1]); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// TestLeakPumpGoroutine follows pump's shuttle goroutine by id: NewPump
// starts exactly one; it outlives a Close that leaves values queued, since
// it holds them (as pump.go says); it is gone once they are drained.
func TestLeakPumpGoroutine(t *testing.T) {
	// Matched by its creator: a goroutine that has not run yet shows a
	// wrapper, not pump, at the top of its stack.
	const fn = "created by github.com/chanbench/chanbench/impls.NewPump["
	old := leakGoroutineIDs(fn)
	q := NewPump[int]()
	var mine []int
	for _, id := range leakGoroutineIDs(fn) {
		if !slices.Contains(old, id) {
			mine = append(mine, id)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("NewPump started %d goroutines running pump, want 1", len(mine))
	}
	id := mine[0]
	for v := range 100 {
		if err := q.Send(v); err != nil {
			t.Fatalf("Send(%d): %v", v, err)
		}
	}
	q.Close()
	time.Sleep(20 * time.Millisecond)
	if !slices.Contains(leakGoroutineIDs(fn), id) {
		t.Fatalf("the pump goroutine exited while 100 values were still queued")
	}
	if n := leakDrain[int](t, q); n != 100 {
		t.Fatalf("drained %d values, want 100", n)
	}
	for deadline := time.Now().Add(leakWait); slices.Contains(leakGoroutineIDs(fn), id); {
		if time.Now().After(deadline) {
			t.Fatalf("the pump goroutine (goroutine %d) still runs %v after Close and the drain", id, leakWait)
		}
		time.Sleep(time.Millisecond)
	}
}

// A leakPayload is a value big enough to be its own heap object, with an id
// to check order.
type leakPayload struct {
	id  int
	pad [48]byte
}

// leakLive returns how many of ws still point to a live value after two
// collections.
func leakLive(ws []weak.Pointer[leakPayload]) int {
	runtime.GC()
	runtime.GC()
	live := 0
	for _, w := range ws {
		if w.Value() != nil {
			live++
		}
	}
	return live
}

// TestLeakReceivedValuesCollectable sends 10,000 values through each queue,
// a capacity's worth at a time, and receives them all. While the queue is
// still alive, every received value must be collectable: nothing inside the
// queue (a slot not cleared, a block not released, a goroutine's stack) may
// keep it reachable. Values still queued must stay alive, which shows the
// check can see a value the queue holds. Finally the closed, drained queue
// itself must be collectable once dropped.
func TestLeakReceivedValuesCollectable(t *testing.T) {
	const total, held = 10_000, 3
	for _, info := range Infos() {
		t.Run(info.Name, func(t *testing.T) {
			q, err := NewWith[*leakPayload](info.Name, Options{Capacity: 16})
			if err != nil {
				t.Skipf("cannot build it for *leakPayload: %v", err)
			}
			batch := 16
			if c := q.Cap(); c >= 0 {
				batch = c
			}
			received := make([]weak.Pointer[leakPayload], 0, total)
			for next := 0; next < total; {
				n := min(batch, total-next)
				for i := range n {
					p := &leakPayload{id: next + i}
					received = append(received, weak.Make(p))
					if err := q.Send(p); err != nil {
						t.Fatalf("Send(%d): %v", next+i, err)
					}
				}
				for i := range n {
					p, err := q.Recv()
					if err != nil || p.id != next+i {
						t.Fatalf("Recv = %v, %v; want value %d", p, err, next+i)
					}
				}
				next += n
			}
			var queued []weak.Pointer[leakPayload]
			for i := range min(held, batch) {
				p := &leakPayload{id: total + i}
				queued = append(queued, weak.Make(p))
				if err := q.Send(p); err != nil {
					t.Fatalf("Send: %v", err)
				}
			}

			if live := leakLive(received); live > 0 {
				t.Errorf("%d of %d values received from the queue are still reachable while the queue lives", live, total)
			}
			if live := leakLive(queued); live != len(queued) {
				t.Errorf("%d of %d values still queued were collected", len(queued)-live, len(queued))
			}

			// Drop the queue: closed and drained, it must be collectable. (A
			// queue registered from outside that is not a pointer cannot
			// carry a finalizer; only its values are checked.)
			var collected atomic.Bool
			tracked := reflect.ValueOf(q).Kind() == reflect.Pointer
			if tracked {
				runtime.SetFinalizer(q, func(Queue[*leakPayload]) { collected.Store(true) })
			}
			q.Close()
			if n := leakDrain(t, q); n != len(queued) {
				t.Errorf("drained %d values, want %d", n, len(queued))
			}
			q = nil
			for deadline := time.Now().Add(leakWait); tracked && !collected.Load(); time.Sleep(time.Millisecond) {
				runtime.GC()
				if time.Now().After(deadline) {
					t.Fatalf("the closed, drained queue was not collected within %v of dropping it", leakWait)
				}
			}
			if live := leakLive(queued); live > 0 {
				t.Errorf("%d values that went through the dropped queue are still reachable", live)
			}
		})
	}
}

// TestLeakSegmentReleasesBlocks checks that Segment lets go of each block
// once the consumer has passed it: after 10,000 values (over 300 blocks)
// have gone through a live queue, only the blocks that head and tail are
// in may remain.
func TestLeakSegmentReleasesBlocks(t *testing.T) {
	q := NewSegment[*leakPayload]()
	var blocks []weak.Pointer[segBlock[*leakPayload]]
	track := func() {
		b := q.tail.block.Load()
		if len(blocks) == 0 || blocks[len(blocks)-1].Value() != b {
			blocks = append(blocks, weak.Make(b))
		}
	}
	track()
	for i := range 10_000 {
		if err := q.Send(&leakPayload{id: i}); err != nil {
			t.Fatalf("Send(%d): %v", i, err)
		}
		track()
		if i%100 == 99 {
			for j := i - 99; j <= i; j++ {
				if p, err := q.Recv(); err != nil || p.id != j {
					t.Fatalf("Recv = %v, %v; want value %d", p, err, j)
				}
			}
		}
	}
	if want := 10_000 / segBlockCap; len(blocks) < want {
		t.Fatalf("tracked %d blocks, want at least %d", len(blocks), want)
	}
	runtime.GC()
	runtime.GC()
	var live []int
	for i, w := range blocks {
		if w.Value() != nil {
			live = append(live, i)
		}
	}
	if len(live) > 2 {
		t.Errorf("%d of %d blocks are still reachable from a queue whose consumer has passed them (block numbers %v)", len(live), len(blocks), live)
	}
	if head := q.head.block.Load(); len(live) == 0 || blocks[live[0]].Value() != head {
		t.Errorf("the block head is in was collected (or not tracked)")
	}
	runtime.KeepAlive(q)
}
