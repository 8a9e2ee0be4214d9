package impls_test

// Regression tests: short reproductions of behaviour that broke the Queue
// contract once (TestLinearizable found each of them), each under a name of
// its own. Like the conformance suite, whose helpers they use, they run
// against every registered queue that can serve them, and no assertion
// depends on how long anything takes: where a caller must be blocked, the
// test waits until it is parked (awaitParked), and any timeout reported is
// a real violation.

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chanbench/chanbench/impls"
)

// TestRecvTimeoutZeroFindsQueuedValue: goroutines that each send and then
// receive with RecvTimeout(0) always find a value, because every receive is
// preceded by its own goroutine's completed send, so the queue holds at
// least one value for every receive in progress. A timeout means the queue
// reported nothing while holding values.
func TestRecvTimeoutZeroFindsQueuedValue(t *testing.T) {
	const perGoroutine = 5000
	eachQueue(t, func(t *testing.T, info impls.Info) {
		goroutines := 4
		if info.Supports(goroutines, goroutines) != nil {
			goroutines = 1
		}
		q := newQueue[int](t, info, impls.Options{Capacity: 8})
		var timeouts, others atomic.Int64
		var firstOther atomic.Pointer[error]
		other := func(err error) {
			others.Add(1)
			firstOther.CompareAndSwap(nil, &err)
		}
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for i := range perGoroutine {
					if err := protect(func() error { return q.Send(g<<20 | i) }); err != nil {
						other(fmt.Errorf("Send: %w", err))
						return
					}
					_, err := q.RecvTimeout(0)
					switch {
					case err == nil:
					case errors.Is(err, impls.ErrTimeout):
						timeouts.Add(1)
					default:
						other(fmt.Errorf("RecvTimeout(0): %w", err))
					}
				}
			})
		}
		await(t, hangAfter, waitDone(&wg), "senders receiving with RecvTimeout(0)")
		q.Close()
		// Take what a failing queue left behind, so that its goroutines can end.
		within(t, hangAfter, "draining the closed queue", func() {
			receiveAll(q.Recv, goroutines*perGoroutine)
		})
		if n := timeouts.Load(); n > 0 {
			t.Errorf("RecvTimeout(0) timed out %d times in %d receives, each made while the queue held a value", n, goroutines*perGoroutine)
		}
		if n := others.Load(); n > 0 {
			t.Errorf("%d sends or receives failed with another error, the first: %v", n, *firstOther.Load())
		}
	})
}

// TestRecvTimeoutOnClosedDrainedQueue: once a queue is closed and drained,
// RecvTimeout reports ErrClosed at once, as Recv and TryRecv do, whatever the
// timeout, not ErrTimeout. RecvTimeout(0) is called right after the receive
// that drained the queue, when a queue that finishes closing in the
// background (pump's goroutine) is least likely to have got there.
func TestRecvTimeoutOnClosedDrainedQueue(t *testing.T) {
	const tries = 200
	eachQueue(t, func(t *testing.T, info impls.Info) {
		wrong := map[error]int{}
		for range tries {
			q := newQueue[int](t, info, impls.Options{Capacity: capacity(info, 1)})
			send(t, q, 1)
			q.Close()
			if v, err := q.TryRecv(); v != 1 || err != nil {
				t.Fatalf("TryRecv after Close = %d, %v; want the queued 1, nil", v, err)
			}
			if _, err := q.RecvTimeout(0); !errors.Is(err, impls.ErrClosed) {
				wrong[err]++
			}
			// Let a queue that had not finished closing get there.
			within(t, hangAfter, "Recv on a closed, drained queue", func() { q.Recv() })
		}
		if len(wrong) > 0 {
			t.Errorf("RecvTimeout(0) on a closed, drained queue: got %v (error: times) in %d tries, want %v every time", wrong, tries, impls.ErrClosed)
		}
	})
}

// TestCloseWakesBlockedSenderWithErrClosed: a sender blocked on a full
// queue when Close is called gets ErrClosed, and a receiver that drains the
// queue after Close returned sees the queued values and then ErrClosed,
// never ErrEmpty: the queue is closed and drained, and the blocked send
// cannot succeed (the queue was full until after Close). The test waits
// until the sender is parked in Send before it closes the queue, and runs
// with GOMAXPROCS 1 so that the woken sender has not run yet when the
// receiver drains.
func TestCloseWakesBlockedSenderWithErrClosed(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const tries = 20
	eachQueue(t, func(t *testing.T, info impls.Info) {
		needBounded(t, info, "Send never blocks")
		var wrongDrain, sendSucceeded int
		var example []string
		for range tries {
			q := newQueue[int](t, info, impls.Options{Capacity: capacity(info, 2)})
			for v := 1; v <= q.Cap(); v++ {
				if err := q.TrySend(v); err != nil {
					t.Fatalf("TrySend(%d): %v", v, err)
				}
			}
			sent := make(chan error, 1)
			go func() { sent <- protect(func() error { return q.Send(100) }) }()
			awaitParked(t, 1, ").Send(") // the queue is full
			q.Close()
			var got []string
			ok := true
			for i := range q.Cap() + 2 {
				v, err := q.TryRecv()
				if err != nil {
					got = append(got, err.Error())
				} else {
					got = append(got, fmt.Sprint(v))
				}
				if i < q.Cap() {
					ok = ok && err == nil && v == i+1
				} else {
					ok = ok && errors.Is(err, impls.ErrClosed)
				}
			}
			if !ok {
				wrongDrain++
				example = got
			}
			var err error
			within(t, wakeWithin, "the Send blocked when Close was called", func() { err = <-sent })
			switch {
			case errors.Is(err, impls.ErrClosed):
			case err == nil:
				sendSucceeded++
			default:
				t.Fatalf("the blocked Send returned %v", err)
			}
			// Take the value of a Send that succeeded.
			within(t, hangAfter, "Recv on the closed queue", func() { q.Recv() })
		}
		if wrongDrain > 0 {
			t.Errorf("in %d of %d tries TryRecv after Close did not return the queued values 1..%d and then %v twice: got %q",
				wrongDrain, tries, capacity(info, 2), impls.ErrClosed, example)
		}
		if sendSucceeded > 0 {
			t.Errorf("in %d of %d tries the Send blocked on the full queue when Close was called succeeded after Close had returned", sendSucceeded, tries)
		}
	})
}
