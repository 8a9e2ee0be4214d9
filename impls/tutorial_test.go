package impls_test

// Ports of the situations of the classic std::sync::mpsc tutorial to the
// Queue contract, run against every registered queue.
//
// Rust closes a channel when its last Sender is dropped (or its Receiver,
// for the senders' side). Go has no drop: here the producers' WaitGroup, or
// a consumer that stops early, calls Close, and ErrClosed plays the part of
// Rust's disconnection errors (RecvError, TryRecvError::Disconnected,
// RecvTimeoutError::Disconnected, SendError).

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chanbench/chanbench/impls"
)

// TestTutorialHello: one spawned sender, the receiver blocks until the
// value arrives. A rendezvous channel works too.
func TestTutorialHello(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		q := newQueue[string](t, info, impls.Options{Capacity: capacity(info, 0)})
		sent := make(chan error, 1)
		go func() { sent <- q.Send("hello from thread") }()
		if got := recv(t, q); got != "hello from thread" {
			t.Errorf("Recv = %q, want %q", got, "hello from thread")
		}
		checkErr(t, "Send", <-sent, nil)
	})
}

// TestTutorialFiveProducers: five producers send one message each; the
// receiver iterates until every sender is done.
func TestTutorialFiveProducers(t *testing.T) {
	const producers = 5
	var want []string
	for id := range producers {
		want = append(want, fmt.Sprintf("Message from thread %d", id))
	}
	eachQueue(t, func(t *testing.T, info impls.Info) {
		needSupports(t, info, producers, 1)
		for _, c := range capacities(info, 0, 1, 16) {
			t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) {
				q := newQueue[string](t, info, impls.Options{Capacity: c})
				var wg sync.WaitGroup
				errs := make([]error, producers)
				for id := range producers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[id] = protect(func() error { return q.Send(fmt.Sprintf("Message from thread %d", id)) })
					}()
				}
				// Rust's drop(tx) after the last clone: the receiver's loop
				// ends when every producer is done. Go has no drop of the last
				// sender, so the producers' WaitGroup closes the queue.
				go func() {
					wg.Wait()
					q.Close()
				}()

				var got []string
				var err error
				within(t, hangAfter, "receiving until the queue is closed", func() { got, err = receiveAll(q.Recv, producers) })
				if err != nil {
					t.Errorf("receiving until the queue is closed: %v", err)
				}
				for id, err := range errs {
					checkErr(t, fmt.Sprintf("producer %d: Send", id), err, nil)
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("received %q, want each of %q once", got, want)
				}
			})
		}
	})
}

// TestTutorialForgottenDrop: without the drop (here: without Close) the
// receiver cannot tell that the producers are done. After the last message
// an open queue says "nothing yet", never "closed".
func TestTutorialForgottenDrop(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		q := newQueue[string](t, info, impls.Options{Capacity: 8})
		send(t, q, "the only message")
		recv(t, q)
		_, err := q.RecvTimeout(20 * time.Millisecond)
		checkErr(t, "RecvTimeout on an open queue after the last message", err, impls.ErrTimeout)
		_, err = q.TryRecv()
		checkErr(t, "TryRecv on an open queue after the last message", err, impls.ErrEmpty)
	})
}

// TestTutorialNonBlocking ports the try_recv and recv_timeout matches: data,
// empty (or timed out), and disconnected.
func TestTutorialNonBlocking(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, q impls.Queue[string])
		// wantMsg and wantErr are what both TryRecv and RecvTimeout return;
		// timeoutErr replaces wantErr for RecvTimeout when set.
		wantMsg             string
		wantErr, timeoutErr error
	}{
		{
			name:    "data",
			setup:   func(t *testing.T, q impls.Queue[string]) { send(t, q, "work") },
			wantMsg: "work",
		},
		{
			name:       "empty",
			setup:      func(t *testing.T, q impls.Queue[string]) {},
			wantErr:    impls.ErrEmpty,
			timeoutErr: impls.ErrTimeout,
		},
		{
			name:    "disconnected",
			setup:   func(t *testing.T, q impls.Queue[string]) { q.Close() },
			wantErr: impls.ErrClosed,
		},
		{
			name: "data, then disconnected",
			setup: func(t *testing.T, q impls.Queue[string]) {
				send(t, q, "last words")
				q.Close()
			},
			wantMsg: "last words",
		},
	}
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				wantTimeout := tc.wantErr
				if tc.timeoutErr != nil {
					wantTimeout = tc.timeoutErr
				}
				methods := []struct {
					name    string
					recv    func(q impls.Queue[string]) (string, error)
					wantErr error
				}{
					{"TryRecv", impls.Queue[string].TryRecv, tc.wantErr},
					{"RecvTimeout", func(q impls.Queue[string]) (string, error) { return q.RecvTimeout(20 * time.Millisecond) }, wantTimeout},
				}
				for _, m := range methods {
					q := newQueue[string](t, info, impls.Options{Capacity: 4})
					tc.setup(t, q)
					var got string
					var err error
					within(t, hangAfter, m.name, func() { got, err = m.recv(q) })
					if got != tc.wantMsg || !errors.Is(err, m.wantErr) {
						t.Errorf("%s = %q, %v; want %q, %v", m.name, got, err, tc.wantMsg, m.wantErr)
					}
				}
			})
		}
	})
}

// TestTutorialStopEarly: the consumer stops early while the producers keep
// sending. Rust's senders get SendError once the receiver is dropped; here
// the consumer closes the queue and every producer's Send returns ErrClosed,
// without panicking, including a producer blocked on a full queue.
func TestTutorialStopEarly(t *testing.T) {
	eachQueue(t, func(t *testing.T, info impls.Info) {
		for _, c := range capacities(info, 0, 1, 4) {
			t.Run(fmt.Sprintf("cap=%d", c), func(t *testing.T) { runStopEarly(t, info, c) })
		}
	})
}

// runStopEarly runs producers that send until Send fails, against a
// consumer that takes a few values and closes the queue. Every value whose
// Send succeeded must still be received, by the consumer or by draining the
// closed queue, exactly once and in its producer's order.
func runStopEarly(t *testing.T, info impls.Info, capacity int) {
	t.Helper()
	const (
		keep = 10 // values the consumer takes before it stops
		// maxSends bounds each producer's sends, in case Close never
		// reaches it; the consumer stops long before.
		maxSends = 1 << 20
	)
	producers := 4
	if info.MaxProducers > 0 {
		producers = min(producers, info.MaxProducers)
	}
	q := newQueue[int](t, info, impls.Options{Capacity: capacity})

	var wg sync.WaitGroup
	sent := make([]int, producers)
	errs := make([]error, producers)
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sent[p] < maxSends {
				if errs[p] = protect(func() error { return q.Send(p*maxSends + sent[p]) }); errs[p] != nil {
					return
				}
				sent[p]++
				// Let the consumer run even on one processor, where an
				// unbounded queue would otherwise take a whole time slice
				// of sends from each producer before every value it gets.
				runtime.Gosched()
			}
		}()
	}

	var got []int
	var recvErr error
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		for len(got) < keep {
			v, err := q.Recv()
			if err != nil {
				recvErr = err
				return
			}
			got = append(got, v)
		}
		q.Close() // the consumer stops early
	}()
	await(t, hangAfter, consumed, fmt.Sprintf("receiving the first %d values", keep))
	if recvErr != nil {
		t.Fatalf("Recv while the producers send: %v", recvErr)
	}
	await(t, wakeWithin, waitDone(&wg), "producers after the consumer closed the queue")

	total := 0
	for p := range producers {
		total += sent[p]
		if errs[p] == nil {
			t.Errorf("producer %d: sent %d values and never got %v", p, sent[p], impls.ErrClosed)
		} else if !errors.Is(errs[p], impls.ErrClosed) {
			t.Errorf("producer %d: after %d sends, Send returned %v, want %v", p, sent[p], errs[p], impls.ErrClosed)
		}
	}
	var rest []int
	var err error
	within(t, hangAfter, "draining the closed queue", func() { rest, err = receiveAll(q.Recv, max(total-len(got), 0)) })
	if err != nil {
		t.Errorf("draining the closed queue: %v", err)
	}
	got = append(got, rest...)
	checkInt(t, "values received, before Close and by draining", len(got), total)
	next := make([]int, producers)
	for _, v := range got {
		p, i := v/maxSends, v%maxSends
		if p < 0 || p >= producers || i != next[p] {
			t.Fatalf("received value %d of producer %d, want its value %d (each producer's values once, in order)", i, p, next[p])
		}
		next[p]++
	}
}
