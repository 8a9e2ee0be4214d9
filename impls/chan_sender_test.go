package impls_test

// Chan's sender ends (Splitter): values sent through Senders arrive once
// each and in each Sender's order, receivers see ErrClosed only once the
// queue is closed and every Sender dropped, a Sender never panics, and
// Disconnect releases Senders blocked with nobody receiving. Where a test
// needs callers blocked, it waits until their goroutines are parked on a
// channel (awaitParked); no assertion depends on how long anything takes.

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chanbench/chanbench/impls"
)

// chanSource packs a producer's number and its sequence number into a value.
func chanSource(src, seq int) int { return src<<32 | seq }

// newSender returns a new Sender of q, failing the test on an error.
func newSender(t *testing.T, q *impls.Chan[int]) impls.Sender[int] {
	t.Helper()
	s, err := q.NewSender()
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return s
}

// awaitParked waits until at least n goroutines started by the running test
// function are parked on a channel operation with frame (a function name)
// on their stack. It fails the test after hangAfter.
func awaitParked(t *testing.T, n int, frame string) {
	t.Helper()
	test, _, _ := strings.Cut(t.Name(), "/")
	test = "impls_test." + test + "."
	deadline := time.Now().Add(hangAfter)
	buf := make([]byte, 1<<16)
	for {
		k := runtime.Stack(buf, true)
		if k == len(buf) {
			buf = make([]byte, 2*len(buf))
			continue
		}
		parked := 0
		for _, g := range strings.Split(string(buf[:k]), "\n\n") {
			header, _, _ := strings.Cut(g, "\n") // goroutine 42 [chan send]:
			_, state, _ := strings.Cut(header, "[")
			waiting := strings.HasPrefix(state, "chan send") || strings.HasPrefix(state, "chan receive") || strings.HasPrefix(state, "select")
			if waiting && strings.Contains(g, frame) && strings.Contains(g, test) {
				parked++
			}
		}
		if parked >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hung: %d of %d goroutines in %s parked after %v", parked, n, frame, hangAfter)
		}
		time.Sleep(time.Millisecond)
	}
}

// checkClosedDrained checks that every receive method says ErrClosed.
func checkClosedDrained(t *testing.T, q impls.Queue[int]) {
	t.Helper()
	var errs [3]error
	within(t, hangAfter, "receives on a closed, drained queue", func() {
		_, errs[0] = q.Recv()
		_, errs[1] = q.TryRecv()
		_, errs[2] = q.RecvTimeout(0)
	})
	for i, name := range []string{"Recv", "TryRecv", "RecvTimeout(0)"} {
		checkErr(t, name+" on a closed, drained queue", errs[i], impls.ErrClosed)
	}
}

// A chanLoad is a concurrent run on a Chan: goroutines sending through
// Senders of their own (each round-robin over several), goroutines calling
// the Queue's Send, and receivers.
type chanLoad struct {
	capacity      int
	handleSenders int // goroutines sending through Senders
	handlesEach   int // Senders per such goroutine
	queueSenders  int // goroutines calling Queue.Send
	receivers     int
	n             int // values per Sender and per queue sender
}

func (l chanLoad) String() string {
	return fmt.Sprintf("cap=%d/senders=%dx%d/queue-senders=%d/receivers=%d",
		l.capacity, l.handleSenders, l.handlesEach, l.queueSenders, l.receivers)
}

// runChanLoad runs l. The producers drop their Senders when done and the
// queue is closed after that; the receivers run until ErrClosed. Then every
// value must have arrived exactly once, each receiver must have seen each
// source's values in order, and the queue must say ErrClosed.
func runChanLoad(t *testing.T, l chanLoad) {
	q := impls.NewChan[int](l.capacity)
	var sq impls.Splitter[int] = q
	var producing sync.WaitGroup
	sendErrs := make(chan error, l.handleSenders+l.queueSenders)
	src := 0
	for range l.handleSenders {
		handles := make([]impls.Sender[int], l.handlesEach)
		first := src
		for h := range handles {
			s, err := sq.NewSender()
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			handles[h] = s
			src++
		}
		producing.Add(1)
		go func() {
			defer producing.Done()
			for seq := range l.n {
				for h, s := range handles {
					if err := s.Send(chanSource(first+h, seq)); err != nil {
						sendErrs <- fmt.Errorf("Sender.Send: %w", err)
						return
					}
				}
			}
			for _, s := range handles {
				s.Close()
			}
		}()
	}
	for range l.queueSenders {
		me := src
		src++
		producing.Add(1)
		go func() {
			defer producing.Done()
			for seq := range l.n {
				if err := sq.Send(chanSource(me, seq)); err != nil {
					sendErrs <- fmt.Errorf("Queue.Send: %w", err)
					return
				}
			}
		}()
	}
	sources := src

	var receiving sync.WaitGroup
	got := make([][]int, l.receivers)
	recvErrs := make([]error, l.receivers)
	for r := range l.receivers {
		receiving.Add(1)
		go func() {
			defer receiving.Done()
			for {
				var v int
				var err error
				if r%2 == 0 {
					v, err = sq.Recv()
				} else {
					v, err = sq.RecvTimeout(hangAfter)
				}
				if err != nil {
					if !errors.Is(err, impls.ErrClosed) {
						recvErrs[r] = err
					}
					return
				}
				got[r] = append(got[r], v)
			}
		}()
	}

	await(t, hangAfter, waitDone(&producing), "producers")
	close(sendErrs)
	for err := range sendErrs {
		t.Fatal(err)
	}
	sq.Close()
	await(t, hangAfter, waitDone(&receiving), "receivers after Close and the last Sender dropped")

	seen := make([][]int, sources) // seen[src][seq]: times received
	for s := range seen {
		seen[s] = make([]int, l.n)
	}
	for r, vs := range got {
		if recvErrs[r] != nil {
			t.Errorf("receiver %d: %v", r, recvErrs[r])
		}
		last := make([]int, sources)
		for s := range last {
			last[s] = -1
		}
		for _, v := range vs {
			s, seq := v>>32, v&(1<<32-1)
			if s >= sources || seq >= l.n {
				t.Fatalf("receiver %d got %#x, which nobody sent", r, v)
			}
			seen[s][seq]++
			if seq <= last[s] {
				t.Errorf("receiver %d got value %d of source %d after value %d", r, seq, s, last[s])
			}
			last[s] = seq
		}
	}
	for s := range seen {
		for seq, times := range seen[s] {
			if times != 1 {
				t.Errorf("value %d of source %d received %d times, want once", seq, s, times)
			}
		}
	}
	checkClosedDrained(t, sq)
}

// TestChanSenderDelivery sends through several Senders from several
// goroutines, to one receiver and to several.
func TestChanSenderDelivery(t *testing.T) {
	for _, c := range []int{0, 1, 1024} {
		for _, receivers := range []int{1, 3} {
			l := chanLoad{capacity: c, handleSenders: 3, handlesEach: 2, receivers: receivers, n: 1000}
			t.Run(l.String(), func(t *testing.T) { runChanLoad(t, l) })
		}
	}
}

// TestChanSenderMixed sends through Senders and through the Queue's Send on
// one Chan.
func TestChanSenderMixed(t *testing.T) {
	for _, c := range []int{0, 1, 1024} {
		l := chanLoad{capacity: c, handleSenders: 2, handlesEach: 1, queueSenders: 2, receivers: 2, n: 1000}
		t.Run(l.String(), func(t *testing.T) { runChanLoad(t, l) })
	}
}

// TestChanSenderHoldsReceivers closes a Chan while a Sender is live:
// receivers drain what was sent, then wait rather than see ErrClosed, and
// see it once the Sender is dropped. At capacity 0 the Sender's last value
// is one it was blocked sending when Close came: it still goes in.
func TestChanSenderHoldsReceivers(t *testing.T) {
	for _, c := range []int{0, 4} {
		t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) {
			q := impls.NewChan[int](c)
			s := newSender(t, q)
			var want []int
			sent := make(chan error, 1)
			if c == 0 {
				go func() { sent <- s.Send(1) }()
				awaitParked(t, 1, "(*ChanSender[...]).Send(")
				want = []int{1}
			} else {
				for v := 1; v <= 2; v++ {
					checkErr(t, fmt.Sprintf("Send(%d)", v), s.Send(v), nil)
				}
				want = []int{1, 2}
				sent <- nil
			}
			q.Close()
			for _, v := range want {
				if got := recv(t, q); got != v {
					t.Errorf("Recv after Close = %d, want %d", got, v)
				}
			}
			checkErr(t, "the Send blocked when Close came", <-sent, nil)
			checkErr(t, "Sender.Send after Close", s.Send(3), impls.ErrClosed)

			// The Sender is live: nothing is queued, but the queue is not
			// finished either.
			_, err := q.TryRecv()
			checkErr(t, "TryRecv on a closed, empty queue with a live Sender", err, impls.ErrEmpty)
			_, err = q.RecvTimeout(time.Millisecond)
			checkErr(t, "RecvTimeout on a closed, empty queue with a live Sender", err, impls.ErrTimeout)

			var dropped atomic.Bool
			const receivers = 3
			errs := make([]error, receivers)
			early := make([]bool, receivers)
			var wg sync.WaitGroup
			for r := range receivers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if r == 0 {
						_, errs[r] = q.RecvTimeout(time.Hour)
					} else {
						_, errs[r] = q.Recv()
					}
					early[r] = !dropped.Load()
				}()
			}
			awaitParked(t, receivers, "(*Chan[...]).Recv")
			dropped.Store(true)
			s.Close()
			await(t, hangAfter, waitDone(&wg), "receivers after the last Sender was dropped")
			for r := range receivers {
				if early[r] {
					t.Errorf("receiver %d returned %v while a Sender was live", r, errs[r])
				}
				checkErr(t, fmt.Sprintf("receiver %d after the last Sender was dropped", r), errs[r], impls.ErrClosed)
			}
			checkClosedDrained(t, q)
		})
	}
}

// TestChanCloseWakesQueueSendersOnly closes a full Chan while a Queue.Send
// caller is blocked and a Sender is live: Close releases the caller with
// ErrClosed and its value does not get in, and the receivers wait for the
// Sender.
func TestChanCloseWakesQueueSendersOnly(t *testing.T) {
	q := impls.NewChan[int](1)
	s := newSender(t, q)
	checkErr(t, "Sender.TrySend into an empty queue", s.TrySend(1), nil)
	checkErr(t, "Sender.TrySend into a full queue", s.TrySend(2), impls.ErrFull)
	sent := make(chan error, 1)
	go func() { sent <- q.Send(3) }()
	awaitParked(t, 1, "(*Chan[...]).Send(")
	q.Close()
	var err error
	within(t, wakeWithin, "Queue.Send blocked when Close came", func() { err = <-sent })
	checkErr(t, "Queue.Send blocked when Close came", err, impls.ErrClosed)
	if got := recv(t, q); got != 1 {
		t.Errorf("Recv = %d, want 1", got)
	}
	_, err = q.TryRecv()
	checkErr(t, "TryRecv with a live Sender", err, impls.ErrEmpty)
	s.Close()
	checkClosedDrained(t, q)
}

// TestChanSenderAfterClose checks that a Sender says ErrClosed, and never
// panics, once the queue or the Sender itself has been closed, that Close
// is idempotent, and that NewSender says ErrClosed after the queue's Close.
func TestChanSenderAfterClose(t *testing.T) {
	for _, c := range []int{0, 1} {
		t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) {
			q := impls.NewChan[int](c)
			early, late := newSender(t, q), newSender(t, q)
			early.Close()
			for range 2 {
				checkErr(t, "Send on a closed Sender", protect(func() error { return early.Send(1) }), impls.ErrClosed)
				checkErr(t, "TrySend on a closed Sender", protect(func() error { return early.TrySend(1) }), impls.ErrClosed)
			}
			q.Close()
			q.Close()
			if s, err := q.NewSender(); err != impls.ErrClosed || s != nil {
				t.Errorf("NewSender after Close = %v, %v; want nil, %v", s, err, impls.ErrClosed)
			}
			checkErr(t, "Sender.Send after Close", protect(func() error { return late.Send(1) }), impls.ErrClosed)
			checkErr(t, "Sender.TrySend after Close", protect(func() error { return late.TrySend(1) }), impls.ErrClosed)
			for i := range 3 {
				checkErr(t, fmt.Sprintf("Sender.Close #%d", i+1), protect(func() error { late.Close(); return nil }), nil)
				checkErr(t, "Send on a closed Sender of a closed queue", protect(func() error { return late.Send(1) }), impls.ErrClosed)
			}
			checkErr(t, "Sender.Close #2 of the early Sender", protect(func() error { early.Close(); return nil }), nil)
			checkClosedDrained(t, q)
		})
	}
}

// TestChanDisconnect blocks Senders on a full Chan with nobody receiving and
// calls Disconnect: every blocked Send returns, the next one says ErrClosed,
// Disconnect's goroutine discards exactly what was accepted and not
// received, and it exits once the Senders are dropped.
func TestChanDisconnect(t *testing.T) {
	for _, c := range []int{0, 1} {
		t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			q := impls.NewChan[int](c)
			const producers, received = 3, 5
			accepted := make([]int, producers)
			errs := make([]error, producers)
			var wg sync.WaitGroup
			for p := range producers {
				s := newSender(t, q)
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer s.Close()
					for seq := 0; ; seq++ {
						if err := s.Send(chanSource(p, seq)); err != nil {
							errs[p] = err
							return
						}
						accepted[p]++
					}
				}()
			}
			for range received {
				recv(t, q)
			}
			awaitParked(t, producers, "(*ChanSender[...]).Send(")
			q.Disconnect()
			q.Disconnect()
			await(t, hangAfter, waitDone(&wg), "Senders blocked when Disconnect came")
			total := 0
			for p := range producers {
				checkErr(t, fmt.Sprintf("producer %d's last Send", p), errs[p], impls.ErrClosed)
				total += accepted[p]
			}
			if total < received+producers {
				t.Errorf("%d values accepted, want at least %d: the %d received and one per blocked Sender", total, received+producers, received)
			}
			checkGone(t, before, "Disconnect's goroutine, once every Sender was dropped,")
			checkInt(t, "Discarded()", q.Discarded(), uint64(total-received))
			if s, err := q.NewSender(); err != impls.ErrClosed || s != nil {
				t.Errorf("NewSender after Disconnect = %v, %v; want nil, %v", s, err, impls.ErrClosed)
			}
			checkErr(t, "Queue.Send after Disconnect", q.Send(1), impls.ErrClosed)
			checkErr(t, "Queue.TrySend after Disconnect", q.TrySend(1), impls.ErrClosed)
			checkClosedDrained(t, q)
		})
	}
	t.Run("queued", func(t *testing.T) {
		// With no Sender, Disconnect still discards what is queued.
		before := goleak.IgnoreCurrent()
		q := impls.NewChan[int](4)
		for v := range 3 {
			send(t, q, v)
		}
		q.Disconnect()
		checkGone(t, before, "Disconnect's goroutine")
		checkInt(t, "Discarded()", q.Discarded(), 3)
		checkClosedDrained(t, q)
	})
}

// checkGone waits until the goroutines are those in before, failing the
// test after wakeWithin.
func checkGone(t *testing.T, before goleak.Option, what string) {
	t.Helper()
	deadline := time.Now().Add(wakeWithin)
	for err := goleak.Find(before); err != nil; err = goleak.Find(before) {
		if time.Now().After(deadline) {
			t.Fatalf("%s still running after %v: %v", what, wakeWithin, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNewSendEnd: a Splitter gives each producer a Sender of its own, which
// release drops; any other queue is its own send end, which release leaves
// open.
func TestNewSendEnd(t *testing.T) {
	ch := impls.NewChan[int](4)
	end, release, err := impls.NewSendEnd[int](ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := end.(impls.Sender[int]); !ok {
		t.Fatalf("the send end of a Chan is a %T, want a Sender", end)
	}
	if err := end.Send(1); err != nil {
		t.Fatal(err)
	}
	ch.Close()
	release() // the last Sender: receivers drain, then see ErrClosed
	if v, err := ch.Recv(); v != 1 || err != nil {
		t.Fatalf("Recv = %d, %v; want 1, nil", v, err)
	}
	if _, err := ch.Recv(); !errors.Is(err, impls.ErrClosed) {
		t.Fatalf("Recv after the last Sender was dropped: %v, want ErrClosed", err)
	}
	if _, _, err := impls.NewSendEnd[int](ch); !errors.Is(err, impls.ErrClosed) {
		t.Errorf("NewSendEnd on a closed Chan: %v, want ErrClosed", err)
	}

	ring := impls.NewRing[int](4)
	end, release, err = impls.NewSendEnd[int](ring)
	if err != nil {
		t.Fatal(err)
	}
	if end != impls.SendEnd[int](ring) {
		t.Fatalf("the send end of a Ring is a %T, want the Ring", end)
	}
	release()
	if err := ring.Send(2); err != nil {
		t.Errorf("Send after release: %v; release must leave the queue open", err)
	}
}
