package impls_test

// The conformance suite: every test runs against every registered queue, as
// a subtest named after it, and checks the Queue contract of queue.go and the
// policies of policy.go. Concurrent runs check counts, identities and order,
// never timings; the only timed assertions are RecvTimeout's, with generous
// bounds, and watchdogs that turn a hang into a failure.

import (
	"errors"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chanbench/chanbench/impls"
)

var stressN = flag.Int("stress.n", 4, "repetitions of each concurrent case in TestStress")

const (
	// hangAfter is how long a call or a concurrent run may take before the
	// test calls it hung. It is generous: the machines are shared and slow
	// under the race detector, and only a real hang should trip it.
	hangAfter = 60 * time.Second
	// wakeWithin is how long Close may take to release a blocked caller.
	wakeWithin = 5 * time.Second
	// settle gives goroutines time to block before Close. Correctness does
	// not depend on it: a caller that has not blocked yet gets ErrClosed too.
	settle = 50 * time.Millisecond
)

// builtinNames are the queues design.md promises, in registry order.
var builtinNames = []string{"chan", "list", "ring", "bounded", "spsc", "segment", "pump"}

// eachQueue runs f as a subtest for every registered queue.
func eachQueue(t *testing.T, f func(t *testing.T, info impls.Info)) {
	t.Helper()
	for _, info := range impls.Infos() {
		t.Run(info.Name, func(t *testing.T) { f(t, info) })
	}
}

// newQueue builds info's queue through the registry and closes it when the
// test ends. A queue registered from outside for other element types only is
// skipped; a built-in queue that cannot be built fails the test.
func newQueue[T any](t testing.TB, info impls.Info, o impls.Options) impls.Queue[T] {
	t.Helper()
	q, err := impls.NewWith[T](info.Name, o)
	if err != nil {
		if !slices.Contains(builtinNames, info.Name) {
			t.Skipf("cannot build %s: %v", info.Name, err)
		}
		t.Fatalf("NewWith[%T](%q, %+v): %v", *new(T), info.Name, o, err)
	}
	t.Cleanup(q.Close)
	return q
}

// capacity returns want, raised to info's minimum for a bounded queue.
func capacity(info impls.Info, want int) int {
	return max(want, info.MinCapacity)
}

// capacities returns the capacities to test info's queue with: each of
// wants raised to its minimum, without repeats; for an unbounded queue,
// which ignores the capacity, only the last.
func capacities(info impls.Info, wants ...int) []int {
	if !info.Bounded {
		return wants[len(wants)-1:]
	}
	var cs []int
	for _, w := range wants {
		cs = append(cs, capacity(info, w))
	}
	slices.Sort(cs)
	return slices.Compact(cs)
}

// needBounded skips the test for an unbounded queue.
func needBounded(t *testing.T, info impls.Info, why string) {
	t.Helper()
	if !info.Bounded {
		t.Skipf("%s is unbounded: %s", info.Name, why)
	}
}

// needSupports skips the test when the queue cannot serve the given numbers
// of producers and consumers.
func needSupports(t *testing.T, info impls.Info, producers, consumers int) {
	t.Helper()
	if err := info.Supports(producers, consumers); err != nil {
		t.Skip(err)
	}
}

// errPanic marks a queue operation that panicked.
var errPanic = errors.New("panicked")

// protect calls f and turns a panic into an error wrapping errPanic, so that
// a goroutine can report it instead of crashing the test binary.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return f()
}

// checkErr reports a call whose error is not want (nil for success).
func checkErr(t testing.TB, call string, got, want error) {
	t.Helper()
	if !errors.Is(got, want) {
		t.Errorf("%s: got error %v, want %v", call, got, want)
	}
}

// checkInt reports a number that is not want.
func checkInt[N int | uint64](t testing.TB, what string, got, want N) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", what, got, want)
	}
}

// within runs f and fails the test if it does not return within d.
func within(t testing.TB, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	await(t, d, done, what)
}

// await fails the test if done is not closed within d.
func await(t testing.TB, d time.Duration, done <-chan struct{}, what string) {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf("hung: %s did not finish within %v", what, d)
	}
}

// waitDone returns a channel closed once wg's count drops to zero.
func waitDone(wg *sync.WaitGroup) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

// recv receives one value, failing the test if it hangs or errs.
func recv[T any](t testing.TB, q impls.Queue[T]) T {
	t.Helper()
	var v T
	var err error
	within(t, hangAfter, "Recv", func() { v, err = q.Recv() })
	if err != nil {
		t.Fatalf("Recv: got error %v, want a value", err)
	}
	return v
}

// send sends v, failing the test if it hangs or errs.
func send[T any](t testing.TB, q impls.Queue[T], v T) {
	t.Helper()
	var err error
	within(t, hangAfter, "Send", func() { err = protect(func() error { return q.Send(v) }) })
	if err != nil {
		t.Fatalf("Send(%v): got error %v, want nil", v, err)
	}
}

// TestFIFO sends values from one goroutine and receives them in order,
// first in batches up to the capacity (so the buffer wraps around many
// times), then with a producer and a consumer running concurrently.
func TestFIFO(t *testing.T) {
	tests := []struct {
		capacity, batch int
	}{
		{capacity: 1, batch: 1},
		{capacity: 3, batch: 2},
		{capacity: 3, batch: 3},
		{capacity: 16, batch: 5},
		{capacity: 16, batch: 16},
	}
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, tc := range tests {
			t.Run(fmt.Sprintf("sequential/cap=%d/batch=%d", tc.capacity, tc.batch), func(t *testing.T) {
				q := newQueue[int](t, info, impls.Options{Capacity: tc.capacity})
				next, want := 0, 0
				for range 40 {
					for range tc.batch {
						send(t, q, next)
						next++
					}
					checkInt(t, fmt.Sprintf("Len() after sending %d..%d", next-tc.batch, next-1), q.Len(), tc.batch)
					for range tc.batch {
						if got := recv(t, q); got != want {
							t.Fatalf("Recv = %d, want %d (values must leave in the order they were sent)", got, want)
						}
						want++
					}
					checkInt(t, fmt.Sprintf("Len() after receiving up to %d", want-1), q.Len(), 0)
				}
			})
		}
		// 257: above spsc's look-ahead and not a power of two.
		for _, c := range capacities(info, 0, 1, 257, 16) {
			t.Run(fmt.Sprintf("concurrent/cap=%d", c), func(t *testing.T) {
				runLoad(t, info, load{producers: 1, consumers: 1, perProducer: 10000, capacity: c})
			})
		}
	})
}

// A mode is the way producers send and consumers receive in a load run.
type mode int

const (
	blocking mode = iota // Send and Recv
	polling              // TrySend and TryRecv, yielding while full or empty
	timed                // Send and a short RecvTimeout, retried on ErrTimeout
)

func (m mode) String() string { return [...]string{"blocking", "polling", "timed"}[m] }

func (m mode) send(q impls.Queue[int], v int) error {
	switch m {
	case polling:
		for {
			err := q.TrySend(v)
			if !errors.Is(err, impls.ErrFull) {
				return err
			}
			runtime.Gosched()
		}
	default:
		return q.Send(v)
	}
}

func (m mode) recv(q impls.Queue[int]) (int, error) {
	for {
		var v int
		var err error
		switch m {
		case polling:
			v, err = q.TryRecv()
			if errors.Is(err, impls.ErrEmpty) {
				runtime.Gosched()
				continue
			}
		case timed:
			v, err = q.RecvTimeout(50 * time.Microsecond)
			if errors.Is(err, impls.ErrTimeout) {
				continue
			}
		default:
			v, err = q.Recv()
		}
		return v, err
	}
}

// A load is a concurrent run: producers each send perProducer distinct
// values, consumers receive until the queue is closed and drained.
type load struct {
	producers, consumers, perProducer, capacity int
	mode                                        mode
}

func (l load) String() string {
	return fmt.Sprintf("%dx%d/%v/cap=%d", l.producers, l.consumers, l.mode, l.capacity)
}

// runLoad runs l against a new queue of info's kind and checks that every
// value arrived exactly once, and in per-producer order when a single
// consumer received them all. Value p*perProducer+i is producer p's i'th.
func runLoad(t *testing.T, info impls.Info, l load) {
	t.Helper()
	needSupports(t, info, l.producers, l.consumers)
	q := newQueue[int](t, info, impls.Options{Capacity: l.capacity})

	total := l.producers * l.perProducer
	var producers sync.WaitGroup
	sendErrs := make([]error, l.producers)
	for p := range l.producers {
		producers.Add(1)
		go func() {
			defer producers.Done()
			for i := range l.perProducer {
				v := p*l.perProducer + i
				if err := protect(func() error { return l.mode.send(q, v) }); err != nil {
					sendErrs[p] = fmt.Errorf("producer %d: send %d: %w", p, v, err)
					return
				}
			}
		}()
	}
	// Go has no drop of the last sender: the producers' WaitGroup closes the
	// queue once every producer is done, and that ends the consumers.
	go func() {
		producers.Wait()
		q.Close()
	}()

	var consumers sync.WaitGroup
	got := make([][]int, l.consumers)
	recvErrs := make([]error, l.consumers)
	for c := range l.consumers {
		consumers.Add(1)
		go func() {
			defer consumers.Done()
			var err error
			if got[c], err = receiveAll(func() (int, error) { return l.mode.recv(q) }, total); err != nil {
				recvErrs[c] = fmt.Errorf("consumer %d: %w", c, err)
			}
		}()
	}
	await(t, hangAfter, waitDone(&consumers), fmt.Sprintf("%v load on %s", l, info.Name))
	for _, err := range append(sendErrs, recvErrs...) {
		if err != nil {
			t.Error(err)
		}
	}
	seen := checkReceived(t, got, l.producers, l.perProducer, l.consumers == 1)
	var missing []int
	for v, ok := range seen {
		if !ok {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d values never arrived, e.g. %v", len(missing), total, missing[:min(len(missing), 5)])
	}
	checkInt(t, "Len() after draining", q.Len(), 0)
}

// receiveAll calls recv until it reports ErrClosed and returns the values
// in the order they came. It stops early with an error when recv fails
// otherwise or panics, or returns more than limit values: a queue that makes
// up values must not run forever.
func receiveAll[T any](recv func() (T, error), limit int) ([]T, error) {
	var vs []T
	for {
		var v T
		err := protect(func() (err error) { v, err = recv(); return err })
		switch {
		case errors.Is(err, impls.ErrClosed):
			return vs, nil
		case err != nil:
			return vs, err
		case len(vs) == limit:
			return vs, fmt.Errorf("received more than the %d values sent", limit)
		}
		vs = append(vs, v)
	}
}

// checkReceived checks the consumers' values, got[c] in the order consumer
// c received them, against the values producers*perProducer sent: each is
// one that was sent and arrives at most once, and with ordered set, each
// producer's values arrive in the order it sent them. It returns which
// values arrived.
func checkReceived(t *testing.T, got [][]int, producers, perProducer int, ordered bool) (seen []bool) {
	t.Helper()
	total := producers * perProducer
	seen = make([]bool, total)
	bad := 0
	report := func(format string, args ...any) {
		t.Helper()
		if bad++; bad <= 10 {
			t.Errorf(format, args...)
		}
	}
	for c, vs := range got {
		last := make([]int, producers)
		for p := range last {
			last[p] = -1
		}
		for _, v := range vs {
			if v < 0 || v >= total {
				report("consumer %d received %d, which no producer sent", c, v)
				continue
			}
			if seen[v] {
				report("consumer %d received %d twice", c, v)
			}
			seen[v] = true
			p, i := v/perProducer, v%perProducer
			if ordered && i <= last[p] {
				report("producer %d's value %d arrived after its value %d", p, i, last[p])
			}
			last[p] = max(last[p], i)
		}
	}
	return seen
}

// loadMessages is the number of values a load run sends in all.
const loadMessages = 20000

// loads are the concurrent cases that info's queue supports: 1×1, 8
// producers into 1 consumer and 4×4, in each mode, at capacity 1 and 16 so
// that the full and empty paths are both hot.
func loads(info impls.Info) []load {
	var ls []load
	for _, shape := range [][2]int{{1, 1}, {8, 1}, {4, 4}} {
		if info.Supports(shape[0], shape[1]) != nil {
			continue
		}
		for _, m := range []mode{blocking, polling, timed} {
			for _, c := range capacities(info, 1, 16) {
				ls = append(ls, load{producers: shape[0], consumers: shape[1], perProducer: loadMessages / shape[0], capacity: c, mode: m})
			}
		}
	}
	return ls
}

// TestDelivery runs every concurrent case once: every message arrives
// exactly once, in per-producer order for a single consumer.
func TestDelivery(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, l := range loads(info) {
			t.Run(l.String(), func(t *testing.T) { runLoad(t, info, l) })
		}
	})
}

// TestCloseDrains closes a queue holding values: sends fail at once, and
// every receive method drains the values in order before it sees ErrClosed.
func TestCloseDrains(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		const n = 8
		q := newQueue[int](t, info, impls.Options{Capacity: n})
		for v := range n {
			send(t, q, v)
		}
		q.Close()
		checkInt(t, "Len() after Close", q.Len(), n)
		checkErr(t, "Send after Close", protect(func() error { return q.Send(n) }), impls.ErrClosed)
		checkErr(t, "TrySend after Close", protect(func() error { return q.TrySend(n) }), impls.ErrClosed)

		type receiver struct {
			name string
			recv func() (int, error)
		}
		receivers := []receiver{
			{"Recv", q.Recv},
			{"TryRecv", q.TryRecv},
			{"RecvTimeout", func() (int, error) { return q.RecvTimeout(hangAfter) }},
		}
		for want := range n {
			r := receivers[want%len(receivers)]
			var got int
			var err error
			within(t, hangAfter, r.name+" on a closed queue", func() { got, err = r.recv() })
			if err != nil || got != want {
				t.Fatalf("%s after Close = %d, %v; want %d, nil (queued values drain first)", r.name, got, err, want)
			}
		}
		// RecvTimeout(0) first, right after the last value left.
		receivers = append([]receiver{{"RecvTimeout(0)", func() (int, error) { return q.RecvTimeout(0) }}}, receivers...)
		// Repeated, because a queue that selects between "closed" and "timed
		// out" may pick either when both are ready.
		const tries = 20
		for _, r := range receivers {
			wrong := map[error]int{}
			for range tries {
				var err error
				within(t, hangAfter, r.name+" on a closed, drained queue", func() { _, err = r.recv() })
				if !errors.Is(err, impls.ErrClosed) {
					wrong[err]++
				}
			}
			if len(wrong) > 0 {
				t.Errorf("%s on a closed, drained queue: got %v (error: times) in %d tries, want %v every time", r.name, wrong, tries, impls.ErrClosed)
			}
		}
		checkInt(t, "Len() after draining", q.Len(), 0)
	})
}

// TestSendAfterClose checks that sends after Close return ErrClosed and
// never panic, whether the queue is empty or full, and that Close is
// idempotent.
func TestSendAfterClose(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, full := range []bool{false, true} {
			t.Run(map[bool]string{false: "empty", true: "full"}[full], func(t *testing.T) {
				if full {
					needBounded(t, info, "it is never full")
				}
				q := newQueue[int](t, info, impls.Options{Capacity: capacity(info, 2)})
				if full {
					for v := range q.Cap() {
						checkErr(t, "TrySend", q.TrySend(v), nil)
					}
				}
				for i := range 3 {
					checkErr(t, fmt.Sprintf("Close #%d", i+1), protect(func() error { q.Close(); return nil }), nil)
				}
				for range 2 {
					checkErr(t, "Send after Close", protect(func() error { return q.Send(1) }), impls.ErrClosed)
					checkErr(t, "TrySend after Close", protect(func() error { return q.TrySend(1) }), impls.ErrClosed)
				}
			})
		}
	})
}

// TestCloseWakesSenders blocks senders on a full queue and checks that Close
// releases every one of them with ErrClosed, that none returned before it,
// and that none of their values got in.
func TestCloseWakesSenders(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		needBounded(t, info, "Send never blocks")
		for _, c := range capacities(info, 0, 4) {
			t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) {
				q := newQueue[int](t, info, impls.Options{Capacity: c})
				filled := 0
				for q.TrySend(filled) == nil {
					filled++
				}
				checkInt(t, "values a full queue took", filled, c)

				senders := 3
				if info.MaxProducers > 0 {
					senders = min(senders, info.MaxProducers)
				}
				closeReleases(t, q, senders, "sender", "Send", "a full queue", func(s int) error { return q.Send(100 + s) })
				for want := range filled {
					var got int
					var err error
					within(t, hangAfter, "TryRecv", func() { got, err = q.TryRecv() })
					if err != nil || got != want {
						t.Errorf("draining: TryRecv = %d, %v; want %d, nil", got, err, want)
					}
				}
				_, err := q.TryRecv()
				checkErr(t, "TryRecv after draining (a blocked sender's value must not get in)", err, impls.ErrClosed)
			})
		}
	})
}

// closeReleases starts n goroutines that each block in op(i) on q (a call
// to the method named call, on a queue in state), closes q once they have
// settled, and checks that Close released every one of them with ErrClosed,
// and none before it.
func closeReleases(t *testing.T, q impls.Queue[int], n int, who, call, state string, op func(i int) error) {
	t.Helper()
	var closed atomic.Bool
	var wg sync.WaitGroup
	errs := make([]error, n)
	early := make([]bool, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = protect(func() error { return op(i) })
			early[i] = !closed.Load()
		}()
	}
	time.Sleep(settle)
	closed.Store(true)
	q.Close()
	await(t, wakeWithin, waitDone(&wg), fmt.Sprintf("%ss blocked on %s, after Close,", who, state))
	for i := range n {
		if early[i] {
			t.Errorf("%s %d: %s on %s returned %v before Close", who, i, call, state, errs[i])
		}
		checkErr(t, fmt.Sprintf("%s %d: %s blocked on %s, then Close", who, i, call, state), errs[i], impls.ErrClosed)
	}
}

// TestCloseWakesReceivers blocks receivers on an empty queue and checks that
// Close releases every one of them with ErrClosed, and none before it.
func TestCloseWakesReceivers(t *testing.T) {
	methods := []struct {
		name string
		recv func(q impls.Queue[int]) error
	}{
		{"Recv", func(q impls.Queue[int]) error { _, err := q.Recv(); return err }},
		{"RecvTimeout", func(q impls.Queue[int]) error { _, err := q.RecvTimeout(time.Hour); return err }},
	}
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, m := range methods {
			t.Run(m.name, func(t *testing.T) {
				q := newQueue[int](t, info, impls.Options{Capacity: capacity(info, 4)})
				receivers := 3
				if info.MaxConsumers > 0 {
					receivers = min(receivers, info.MaxConsumers)
				}
				closeReleases(t, q, receivers, "receiver", m.name, "an empty queue", func(int) error { return m.recv(q) })
			})
		}
	})
}

// TestTrySendFull fills a bounded queue with TrySend: it takes exactly its
// capacity, then says ErrFull until a receive makes room. An unbounded queue
// never says ErrFull.
func TestTrySendFull(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		if !info.Bounded {
			q := newQueue[int](t, info, impls.Options{})
			const n = 10000
			for v := range n {
				if err := q.TrySend(v); err != nil {
					t.Fatalf("TrySend #%d on an unbounded queue: got error %v, want nil", v, err)
				}
			}
			checkInt(t, "Len()", q.Len(), n)
			return
		}
		for _, c := range capacities(info, 0, 1, 3, 8) {
			t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) {
				q := newQueue[int](t, info, impls.Options{Capacity: c})
				for v := range c {
					checkErr(t, fmt.Sprintf("TrySend #%d of %d", v+1, c), q.TrySend(v), nil)
				}
				for range 2 {
					checkErr(t, "TrySend on a full queue", q.TrySend(-1), impls.ErrFull)
				}
				checkInt(t, "Len() of a full queue", q.Len(), c)
				if c == 0 {
					return // a rendezvous channel holds nothing to receive
				}
				if got := recv(t, q); got != 0 {
					t.Errorf("Recv = %d, want 0", got)
				}
				checkErr(t, "TrySend after a Recv made room", q.TrySend(c), nil)
				checkErr(t, "TrySend on a full queue again", q.TrySend(-1), impls.ErrFull)
				for want := 1; want <= c; want++ {
					if got := recv(t, q); got != want {
						t.Errorf("Recv = %d, want %d (the ErrFull values must not get in)", got, want)
					}
				}
			})
		}
	})
}

// TestTryRecv checks that TryRecv says ErrEmpty on an empty queue and sees a
// value whose Send has returned.
func TestTryRecv(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		q := newQueue[int](t, info, impls.Options{Capacity: 4})
		for range 2 {
			_, err := q.TryRecv()
			checkErr(t, "TryRecv on a new queue", err, impls.ErrEmpty)
		}
		for _, v := range []int{7, 8} {
			send(t, q, v)
			got, err := q.TryRecv()
			if err != nil || got != v {
				t.Errorf("TryRecv after Send(%d) returned = %d, %v; want %d, nil", v, got, err, v)
			}
			_, err = q.TryRecv()
			checkErr(t, "TryRecv on a drained queue", err, impls.ErrEmpty)
		}
	})
}

// TestRecvTimeout checks that RecvTimeout gives up with ErrTimeout after
// roughly the duration, and returns a value that is there or arrives in time.
func TestRecvTimeout(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, d := range []time.Duration{5 * time.Millisecond, 50 * time.Millisecond} {
			t.Run(fmt.Sprintf("empty/%v", d), func(t *testing.T) {
				q := newQueue[int](t, info, impls.Options{Capacity: 4})
				start := time.Now()
				_, err := q.RecvTimeout(d)
				elapsed := time.Since(start)
				checkErr(t, "RecvTimeout on an empty queue", err, impls.ErrTimeout)
				if lo, hi := d*9/10, d+2*time.Second; elapsed < lo || elapsed >= hi {
					t.Errorf("RecvTimeout(%v) returned after %v, want [%v, %v)", d, elapsed, lo, hi)
				}
			})
		}
		t.Run("zero", func(t *testing.T) {
			// Two sends for every receive, so the backlog grows to n and a
			// growing queue has its slow moments too: a value whose Send
			// has returned is there to take, however short the wait.
			const n = 1 << 14
			q := newQueue[int](t, info, impls.Options{Capacity: n + 1})
			var err error
			within(t, wakeWithin, "RecvTimeout(0) on an empty queue", func() { _, err = q.RecvTimeout(0) })
			checkErr(t, "RecvTimeout(0) on an empty queue", err, impls.ErrTimeout)
			for want := range n {
				for _, v := range []int{2 * want, 2*want + 1} {
					if err := q.Send(v); err != nil {
						t.Fatalf("Send(%d): %v", v, err)
					}
				}
				got, err := q.RecvTimeout(0)
				if err != nil || got != want {
					t.Fatalf("RecvTimeout(0) with %d values queued (Len() %d) = %d, %v; want %d, nil", want+2, q.Len(), got, err, want)
				}
			}
		})
		t.Run("ready", func(t *testing.T) {
			q := newQueue[int](t, info, impls.Options{Capacity: 4})
			send(t, q, 5)
			var got int
			var err error
			within(t, wakeWithin, "RecvTimeout with a value queued", func() { got, err = q.RecvTimeout(time.Hour) })
			if err != nil || got != 5 {
				t.Errorf("RecvTimeout with 5 queued = %d, %v; want 5, nil", got, err)
			}
		})
		t.Run("arrives", func(t *testing.T) {
			q := newQueue[int](t, info, impls.Options{Capacity: 4})
			go func() {
				time.Sleep(20 * time.Millisecond)
				q.Send(6)
			}()
			var got int
			var err error
			within(t, hangAfter, "RecvTimeout waiting for a Send", func() { got, err = q.RecvTimeout(time.Hour) })
			if err != nil || got != 6 {
				t.Errorf("RecvTimeout while 6 is sent = %d, %v; want 6, nil", got, err)
			}
		})
	})
}

// TestLenCap checks Cap (the requested capacity, or -1 for an unbounded
// queue) and that Len counts values in and out one by one.
func TestLenCap(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, c := range capacities(info, 0, 1, 2, 5, 1024) {
			t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) {
				q := newQueue[int](t, info, impls.Options{Capacity: c})
				n := c
				if !info.Bounded {
					checkInt(t, "Cap() of an unbounded queue", q.Cap(), -1)
					n = 100
				} else {
					checkInt(t, "Cap()", q.Cap(), c)
				}
				checkInt(t, "Len() of a new queue", q.Len(), 0)
				for i := range n {
					send(t, q, i)
					checkInt(t, fmt.Sprintf("Len() after %d sends", i+1), q.Len(), i+1)
				}
				for i := range n {
					recv(t, q)
					checkInt(t, fmt.Sprintf("Len() after %d of %d receives", i+1, n), q.Len(), n-i-1)
				}
			})
		}
	})
}

// TestCloseReleasesGoroutines checks that a closed, drained queue leaves no
// goroutine behind (pump runs one).
func TestCloseReleasesGoroutines(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		before := goleak.IgnoreCurrent()
		q := newQueue[int](t, info, impls.Options{Capacity: 4})
		for v := range 3 {
			send(t, q, v)
		}
		for range 3 {
			recv(t, q)
		}
		q.Close()
		// goleak.VerifyNone gives up after about half a second; a loaded
		// machine may take longer to let a goroutine finish.
		deadline := time.Now().Add(wakeWithin)
		for err := goleak.Find(before); err != nil; err = goleak.Find(before) {
			if time.Now().After(deadline) {
				t.Fatalf("goroutines still running %v after Close of a drained queue: %v", wakeWithin, err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// policyCases say what each policy does with sends 0..4 into a queue of
// capacity 3, by Send and by TrySend (Block's Send would block, so only
// TrySend): which errors the sends return, what is received, how many values
// are counted as dropped.
type policyCase struct {
	policy   impls.Policy
	trySend  bool
	wantErrs []error
	wantRecv []int
	dropped  uint64
}

func (tc policyCase) String() string {
	if tc.trySend {
		return tc.policy.String() + "/TrySend"
	}
	return tc.policy.String() + "/Send"
}

var policyCases = []policyCase{
	{impls.Block, true, []error{nil, nil, nil, impls.ErrFull, impls.ErrFull}, []int{0, 1, 2}, 0},
	{impls.Reject, false, []error{nil, nil, nil, impls.ErrFull, impls.ErrFull}, []int{0, 1, 2}, 2},
	{impls.Reject, true, []error{nil, nil, nil, impls.ErrFull, impls.ErrFull}, []int{0, 1, 2}, 2},
	{impls.DropOldest, false, []error{nil, nil, nil, nil, nil}, []int{2, 3, 4}, 2},
	{impls.DropOldest, true, []error{nil, nil, nil, nil, nil}, []int{2, 3, 4}, 2},
	{impls.DropNewest, false, []error{nil, nil, nil, nil, nil}, []int{0, 1, 2}, 2},
	{impls.DropNewest, true, []error{nil, nil, nil, nil, nil}, []int{0, 1, 2}, 2},
}

// dropper returns q's Dropper, failing the test if q has none.
func dropper(t testing.TB, q impls.Queue[int]) impls.Dropper {
	t.Helper()
	d, ok := q.(impls.Dropper)
	if !ok {
		t.Fatalf("%T is lossy but does not implement Dropper", q)
	}
	return d
}

// TestPolicy checks each policy of every lossy queue built through NewWith,
// and of bounded built through NewBounded.
func TestPolicy(t *testing.T) {
	check := func(t *testing.T, q impls.Queue[int], tc policyCase) {
		t.Helper()
		d := dropper(t, q)
		for v, want := range tc.wantErrs {
			op, err := "Send", error(nil)
			if tc.trySend {
				op, err = "TrySend", q.TrySend(v)
			} else {
				within(t, wakeWithin, "Send on a full queue with a non-blocking policy", func() { err = q.Send(v) })
			}
			checkErr(t, fmt.Sprintf("%s(%d) into a queue of capacity 3", op, v), err, want)
		}
		checkInt(t, "Len()", q.Len(), 3)
		checkInt(t, "Dropped()", d.Dropped(), tc.dropped)
		var got []int
		for range tc.wantRecv {
			got = append(got, recv(t, q))
		}
		if !slices.Equal(got, tc.wantRecv) {
			t.Errorf("received %v, want %v", got, tc.wantRecv)
		}
		_, err := q.TryRecv()
		checkErr(t, "TryRecv after draining", err, impls.ErrEmpty)
		checkErr(t, "TrySend into the drained queue", q.TrySend(9), nil)
		checkInt(t, "Dropped() after draining", d.Dropped(), tc.dropped)
	}
	t.Run("NewBounded", func(t *testing.T) {
		for _, tc := range policyCases {
			t.Run(tc.String(), func(t *testing.T) {
				q := impls.Queue[int](impls.NewBounded[int](3, tc.policy))
				t.Cleanup(q.Close)
				check(t, q, tc)
			})
		}
	})
	eachQueue(t, func(t *testing.T, info impls.Info) {
		if !info.Lossy {
			t.Skip("not lossy: it has no policies")
		}
		for _, tc := range policyCases {
			t.Run(tc.String(), func(t *testing.T) {
				check(t, newQueue[int](t, info, impls.Options{Capacity: 3, Policy: tc.policy}), tc)
			})
		}
	})
}

// TestPolicyIgnored checks that a bounded queue without policies blocks
// whatever policy it is given.
func TestPolicyIgnored(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		needBounded(t, info, "it is never full")
		if info.Lossy {
			t.Skip("lossy: TestPolicy covers it")
		}
		q := newQueue[int](t, info, impls.Options{Capacity: capacity(info, 2), Policy: impls.DropOldest})
		for v := range q.Cap() {
			checkErr(t, "TrySend", q.TrySend(v), nil)
		}
		checkErr(t, "TrySend on a full queue given DropOldest", q.TrySend(-1), impls.ErrFull)
		for want := range q.Cap() {
			if got := recv(t, q); got != want {
				t.Errorf("Recv = %d, want %d", got, want)
			}
		}
	})
}

// runPolicyLoad has producers send into a small lossy queue with the given
// policy while consumers receive. Unless the policy is Block, the consumers
// start only once each producer has sent half its values, so drops are
// certain. Every send is counted: received + Dropped() must equal it, no
// value may arrive twice or out of its producer's order (for one consumer),
// and a value Reject refused must not arrive at all.
func runPolicyLoad(t *testing.T, info impls.Info, policy impls.Policy, consumers int) {
	t.Helper()
	const producers, perProducer, capacity = 4, 1000, 8
	needSupports(t, info, producers, consumers)
	q := newQueue[int](t, info, impls.Options{Capacity: capacity, Policy: policy})
	d := dropper(t, q)

	total := producers * perProducer
	accepted := make([]bool, total) // producer p writes only its own values
	var refused atomic.Uint64
	var halfway, sendersDone sync.WaitGroup
	sendErrs := make([]error, producers)
	for p := range producers {
		halfway.Add(1)
		sendersDone.Add(1)
		go func() {
			defer sendersDone.Done()
			half := sync.OnceFunc(halfway.Done)
			defer half() // also when a send fails early
			for i := range perProducer {
				if i == perProducer/2 {
					half()
				}
				v := p*perProducer + i
				err := protect(func() error { return q.Send(v) })
				switch {
				case err == nil:
					accepted[v] = true
				case policy == impls.Reject && errors.Is(err, impls.ErrFull):
					refused.Add(1)
				default:
					sendErrs[p] = fmt.Errorf("producer %d: Send(%d) with policy %v: %w", p, v, policy, err)
					return
				}
			}
		}()
	}
	go func() {
		sendersDone.Wait()
		q.Close()
	}()
	if policy != impls.Block {
		await(t, hangAfter, waitDone(&halfway), "producers' first half")
	}

	var consumersDone sync.WaitGroup
	got := make([][]int, consumers)
	recvErrs := make([]error, consumers)
	for c := range consumers {
		consumersDone.Add(1)
		go func() {
			defer consumersDone.Done()
			var err error
			if got[c], err = receiveAll(q.Recv, total); err != nil {
				recvErrs[c] = fmt.Errorf("consumer %d: %w", c, err)
			}
		}()
	}
	await(t, hangAfter, waitDone(&consumersDone), fmt.Sprintf("policy %v load", policy))
	for _, err := range append(sendErrs, recvErrs...) {
		if err != nil {
			t.Fatal(err)
		}
	}

	seen := checkReceived(t, got, producers, perProducer, consumers == 1)
	received := 0
	for v, ok := range seen {
		if !ok {
			continue
		}
		received++
		if policy == impls.Reject && !accepted[v] {
			t.Errorf("received %d, which Send refused with ErrFull", v)
		}
	}
	dropped := d.Dropped()
	if uint64(received)+dropped != uint64(total) {
		t.Errorf("received %d + Dropped() %d = %d, want %d sent", received, dropped, uint64(received)+dropped, total)
	}
	switch policy {
	case impls.Block:
		checkInt(t, "Dropped() with Block", dropped, 0)
	case impls.Reject:
		checkInt(t, "Dropped() with Reject", dropped, refused.Load())
	}
	// With no consumer, each producer's first half overflows the queue.
	if minDropped := uint64(producers*(perProducer/2) - capacity); policy != impls.Block && dropped < minDropped {
		t.Errorf("Dropped() = %d, want at least %d: the first half was sent with no consumer", dropped, minDropped)
	}
}

// TestPolicyLoad checks each policy's accounting under concurrent load.
func TestPolicyLoad(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		if !info.Lossy {
			t.Skip("not lossy: it has no policies")
		}
		for _, p := range []impls.Policy{impls.Block, impls.Reject, impls.DropOldest, impls.DropNewest} {
			for _, consumers := range []int{1, 2} {
				t.Run(fmt.Sprintf("%v/4x%d", p, consumers), func(t *testing.T) { runPolicyLoad(t, info, p, consumers) })
			}
		}
	})
}

// TestStress repeats the concurrent cases -stress.n times; raise it with
// go test ./impls/ -run TestStress -stress.n=50.
func TestStress(t *testing.T) {
	if testing.Short() {
		t.Skip("stress runs are skipped with -short")
	}
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for rep := range *stressN {
			ok := t.Run(fmt.Sprintf("rep=%d", rep+1), func(t *testing.T) {
				for _, l := range loads(info) {
					t.Run(l.String(), func(t *testing.T) { runLoad(t, info, l) })
				}
				if info.Lossy && info.Supports(4, 2) == nil {
					for _, p := range []impls.Policy{impls.Block, impls.Reject, impls.DropOldest, impls.DropNewest} {
						t.Run("policy="+p.String(), func(t *testing.T) { runPolicyLoad(t, info, p, 2) })
					}
				}
				for _, c := range capacities(info, 0, 4) {
					t.Run(fmt.Sprintf("stop-early/cap=%d", c), func(t *testing.T) { runStopEarly(t, info, c) })
				}
			})
			if !ok {
				break // one failing repetition says enough
			}
		}
	})
}
