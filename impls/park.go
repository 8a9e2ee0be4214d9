package impls

// Waiting, shared by every queue that does not lean on a Go channel: a
// bounded spin, then parking on a channel that is closed to wake everyone.
//
// A goroutine that finds the queue full (or empty) calls await with a try
// function that retries the operation. await yields the processor between
// tries for a few microseconds, and only then parks on a waitq.
// The queue calls notify on the waitq after every state change that may let
// a waiter proceed. notify costs one atomic load while nobody is parked, so
// the fast paths stay cheap, and a parked goroutine uses no CPU.
//
// No lost wake-ups. A waiter registers itself (n.Add, sequentially
// consistent like every sync/atomic operation) and only then retries the
// operation. A notifier first publishes its state change with an atomic
// store or read-modify-write and only then loads n. Go's atomics form a
// single total order, so one of two things holds: the waiter's retry comes
// after the state change and succeeds, or the notifier's load of n comes
// after the registration, sees a waiter and closes the channel that the
// waiter took under mu before registering. Queues protected by a mutex get
// the same guarantee from the mutex instead: either the waiter's retry runs
// after the notifier's critical section and sees the change, or it ran
// before, and then the registration happened before the notifier's load.

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// pad keeps fields written by different goroutines on different cache lines.
// It is 128 bytes, not 64, because x86's spatial prefetcher pulls lines in
// adjacent pairs (crossbeam's CachePadded uses 128 on amd64 and arm64 for the
// same reason).
type pad [128]byte

const (
	// spinTries is how many tries await makes before it parks, yielding
	// with runtime.Gosched between them: a few microseconds, long enough
	// that a busy queue rarely parks. Yielding rather than retrying at once
	// matters even with a processor to spare: every retry reads a cache
	// line the other side is writing, and pulling it away slows that side
	// down more than the retry gains.
	spinTries = 64
	// snoozeSpins is how many times a backoff retries at once before it
	// yields: enough to ride out a peer that is a few instructions away
	// from finishing a step it has begun.
	snoozeSpins = 4
	// forever is the timeout of a wait that never gives up.
	forever time.Duration = -1
	// noWait, as the wait of a queue's one receive body, makes it try once
	// and report ErrEmpty: TryRecv.
	noWait time.Duration = -2
)

// A waitq is a set of parked goroutines that are woken all at once.
//
// Invariants:
//
//	n counts the goroutines between prepare and cancel: parked, or about to.
//	ch is nil, or open and shared by every waiter registered since it was made.
//	A closed ch is never stored in ch again.
type waitq struct {
	n  atomic.Int32 // registered waiters; notify reads it on every fast path
	mu sync.Mutex   // protects ch; held only to swap ch, never while blocked
	ch chan struct{}
}

// prepare registers the caller as a waiter and returns the channel that the
// next notify closes. The caller must retry its operation after prepare and
// call cancel once it stops waiting, whether it parked or not.
func (w *waitq) prepare() <-chan struct{} {
	w.mu.Lock()
	if w.ch == nil {
		w.ch = make(chan struct{}) // the only allocation: someone is parking
	}
	ch := w.ch
	w.n.Add(1)
	w.mu.Unlock()
	return ch
}

// cancel unregisters a waiter registered by prepare.
func (w *waitq) cancel() { w.n.Add(-1) }

// notify wakes every parked waiter. Call it after the state change that lets
// them proceed has been published (see the file comment for why).
func (w *waitq) notify() {
	if w.n.Load() != 0 {
		w.wake()
	}
}

func (w *waitq) wake() {
	w.mu.Lock()
	if w.ch != nil {
		close(w.ch)
		w.ch = nil
	}
	w.mu.Unlock()
}

// await calls try until it reports that the operation is finished, whether
// it succeeded or failed for good (a closed queue). It spins, then parks on
// w. With timeout >= 0 it gives up after about timeout and returns false;
// with forever it returns only when try does.
//
// try reports false when the operation would block. It must not wait, except
// briefly for a peer to finish a step it has already begun (a slot claimed
// and not yet written).
func await(w *waitq, timeout time.Duration, try func() bool) bool {
	var deadline time.Time
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	for i := range spinTries {
		if try() {
			return true
		}
		if timeout >= 0 && i%8 == 7 && !time.Now().Before(deadline) {
			return false
		}
		runtime.Gosched()
	}
	var timer *time.Timer
	for {
		ch := w.prepare()
		if try() {
			w.cancel()
			stopTimer(timer)
			return true
		}
		if timeout < 0 {
			<-ch
		} else {
			left := time.Until(deadline)
			if left <= 0 {
				w.cancel()
				stopTimer(timer)
				return false
			}
			if timer == nil {
				timer = time.NewTimer(left)
			} else {
				timer.Reset(left)
			}
			select {
			case <-ch:
			case <-timer.C:
			}
		}
		w.cancel()
	}
}

func stopTimer(t *time.Timer) {
	if t != nil {
		t.Stop()
	}
}

// A backoff paces a retry loop that waits for another goroutine to finish a
// step it has already begun (a slot claimed but not yet written, a block
// being linked): a few immediate retries, then yielding, so that a peer
// preempted mid-step gets the processor back.
type backoff int

func (b *backoff) snooze() {
	if *b < snoozeSpins {
		*b++
		return
	}
	runtime.Gosched()
}

// A gate admits senders to a Go channel that no send may ever find closed,
// and reports when the last sender has left after Close: after that nothing
// more can arrive. Pump's goroutine waits for drained; Chan closes its
// channel in drain.
//
// A sender is admitted for one send (enter, leave) or, as a sender end that
// a producer keeps, until it is dropped (hold, release). The gate drains
// only when it is closed and neither kind is inside, so a queue may close
// its channel for real in drain: no send can race with that close. Go's
// race detector sees why too: every sender's last send happens before its
// leave or release (program order), that Add happens before the Add that
// finds the gate drained (the atomics' total order), and that one happens
// before the close.
//
// Invariants:
//
//	state&gateClosed is set by close and never cleared.
//	(state&gateHeld)/gateHeldOne counts the sender ends between hold and release.
//	state%gateHeldOne counts the senders between enter and leave.
//	No sender is admitted once gateClosed is set.
//	drained is closed, and drain called, exactly once: when gateClosed is
//	set and no sender is inside or held.
type gate struct {
	state   atomic.Int64  // gateClosed | sender ends held | senders inside
	done    chan struct{} // closed by close: wakes senders blocked in a select
	drained chan struct{} // closed once closed and the last sender has left
	drain   func()        // if set, called once drained is closed; set before use
	once    sync.Once     // guards close(drained) and drain
}

// The layout of gate.state: the closed bit, then 31 bits counting the sender
// ends held and 31 counting the senders inside. Neither count comes near its
// limit: each sender inside is a goroutine, each end held an allocation.
const (
	gateClosed  = 1 << 62
	gateHeldOne = 1 << 31
	gateHeld    = gateClosed - gateHeldOne
)

func (g *gate) init() {
	g.done = make(chan struct{})
	g.drained = make(chan struct{})
}

// enter admits a sender; false means the gate is closed. An admitted sender
// must call leave when its send has finished or given up.
func (g *gate) enter() bool {
	if g.state.Add(1)&gateClosed != 0 {
		g.leave()
		return false
	}
	return true
}

// leave lets a sender out. The sender that leaves a closed gate empty drains
// it; a refused sender may be that one too, hence the Once.
func (g *gate) leave() {
	if g.state.Add(-1) == gateClosed {
		g.once.Do(g.finish)
	}
}

// hold admits a sender end that stays inside until release; false means the
// gate is closed.
func (g *gate) hold() bool {
	if g.state.Add(gateHeldOne)&gateClosed != 0 {
		g.release()
		return false
	}
	return true
}

// release lets out a sender end admitted by hold, draining a closed gate
// that it leaves empty.
func (g *gate) release() {
	if g.state.Add(-gateHeldOne) == gateClosed {
		g.once.Do(g.finish)
	}
}

// close refuses further senders and wakes the blocked ones. It reports
// whether this call closed the gate.
func (g *gate) close() bool {
	old := g.state.Or(gateClosed)
	if old&gateClosed != 0 {
		return false
	}
	close(g.done)
	if old == 0 {
		g.once.Do(g.finish)
	}
	return true
}

// finish drains the gate; call it only through once.
func (g *gate) finish() {
	close(g.drained)
	if g.drain != nil {
		g.drain()
	}
}

func (g *gate) isClosed() bool { return g.state.Load()&gateClosed != 0 }

// draining reports whether the gate is closed and holds no sender end: it
// drains as soon as the senders inside leave, and close has woken them.
func (g *gate) draining() bool {
	s := g.state.Load()
	return s&gateClosed != 0 && s&gateHeld == 0
}

// emptyRecv answers a receive that found its queue empty: ErrEmpty when
// wait is noWait, else awaitRecv for at most wait with try.
func emptyRecv[T any](w *waitq, wait time.Duration, try func() (T, error)) (T, error) {
	if wait == noWait {
		var zero T
		return zero, ErrEmpty
	}
	return awaitRecv(w, wait, try)
}

// awaitRecv is the waiting half of a blocking receive, shared by every queue
// that waits with await: it waits on w, at most timeout (forever when
// negative), until try finds a value or a closed, drained queue, and
// returns ErrTimeout when the time ran out. Callers try once themselves
// first, so that the fast path stays a direct call.
func awaitRecv[T any](w *waitq, timeout time.Duration, try func() (T, error)) (T, error) {
	var v T
	var err error
	if !await(w, timeout, func() bool {
		v, err = try()
		return err != ErrEmpty
	}) {
		return v, ErrTimeout
	}
	return v, err
}
