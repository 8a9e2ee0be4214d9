package impls

// Bounded is the textbook blocking queue: a ring buffer guarded by a mutex,
// with a condition for "not full" and one for "not empty" (as in Java's
// ArrayBlockingQueue and Go's own channel, which is this design plus direct
// hand-off). What a full queue does with a send is a Policy: block, reject,
// evict the oldest value or discard the new one; discarded values are
// counted.
//
// The conditions are waitqs (park.go) rather than sync.Cond, because
// RecvTimeout must be able to stop waiting, and a sync.Cond wait cannot be
// cancelled. A waitq wakes all its waiters, which is what Broadcast would
// do; they retry under the mutex and the losers wait again.
//
// Invariants:
//
//	0 <= n <= len(buf); the values are buf[head], buf[head+1], ... (mod len(buf)).
//	Every element of buf outside those n is zero.
//	closed is set by Close and never cleared.
//	dropped counts every value a policy discarded: Reject's refused sends,
//	DropOldest's evictions and DropNewest's discards.

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

var (
	_ Queue[int] = (*Bounded[int])(nil)
	_ Dropper    = (*Bounded[int])(nil)
)

// A Bounded is a mutex-protected ring buffer with a Policy for sends to a
// full queue. The zero value is not usable; call NewBounded.
type Bounded[T any] struct {
	mu     sync.Mutex // protects buf, head, n and closed; never held while parked
	buf    []T        // the ring; len(buf) is the capacity
	head   int        // index of the oldest value
	n      int        // number of values queued
	closed bool       // set by Close

	policy  Policy        // read-only after NewBounded
	dropped atomic.Uint64 // values discarded by policy; written under mu, read without it

	sendq waitq // senders waiting for room (policy Block only)
	recvq waitq // receivers waiting for a value
}

// NewBounded returns a Bounded holding up to capacity values that treats
// sends to a full queue as policy says. It panics unless capacity is at
// least 1 and policy is one of the four policies.
func NewBounded[T any](capacity int, policy Policy) *Bounded[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("impls: NewBounded: capacity %d, want at least 1", capacity))
	}
	if !policy.valid() {
		panic(fmt.Sprintf("impls: NewBounded: unknown policy %d", int(policy)))
	}
	return &Bounded[T]{buf: make([]T, capacity), policy: policy}
}

// send is Send (block true) and TrySend in one body, so that an interface
// call reaches it with one call (see "One body per side" in spsc.go). It
// returns ErrFull only for Reject, and for Block when it does not block;
// the drop policies always make the send succeed.
func (q *Bounded[T]) send(v T, block bool) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	if q.n == len(q.buf) {
		switch q.policy {
		case Block:
			q.mu.Unlock()
			if block {
				return q.sendWait(v)
			}
			return ErrFull
		case Reject:
			q.dropped.Add(1)
			q.mu.Unlock()
			return ErrFull
		case DropNewest:
			q.dropped.Add(1)
			q.mu.Unlock()
			return nil
		case DropOldest:
			// Evict the oldest value; the slot it frees is the one the new
			// value goes into, after the newest.
			var zero T
			q.buf[q.head] = zero
			q.head = q.inc(q.head)
			q.n--
			q.dropped.Add(1)
		}
	}
	i := q.head + q.n
	if i >= len(q.buf) {
		i -= len(q.buf)
	}
	q.buf[i] = v
	q.n++
	q.mu.Unlock()
	q.recvq.notify()
	return nil
}

// recv is Recv (wait forever), RecvTimeout (wait >= 0) and TryRecv (wait
// noWait) in one body, so that an interface call reaches it with one call
// (see "One body per side" in spsc.go).
func (q *Bounded[T]) recv(wait time.Duration) (T, error) {
	var zero T
	q.mu.Lock()
	if q.n == 0 {
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return zero, ErrClosed
		}
		return emptyRecv(&q.recvq, wait, q.tryRecv)
	}
	v := q.buf[q.head]
	q.buf[q.head] = zero // let the GC have what the value points to
	q.head = q.inc(q.head)
	q.n--
	q.mu.Unlock()
	q.sendq.notify()
	return v, nil
}

// tryRecv is one receive that does not wait: awaitRecv's retries.
func (q *Bounded[T]) tryRecv() (T, error) { return q.recv(noWait) }

func (q *Bounded[T]) inc(i int) int {
	if i+1 == len(q.buf) {
		return 0
	}
	return i + 1
}

// Send queues v. When the queue is full, Block waits for room, Reject
// returns ErrFull, DropOldest evicts the oldest value and DropNewest
// discards v; the last two report success.
func (q *Bounded[T]) Send(v T) error { return q.send(v, true) }

// sendWait is Send on a full queue with the Block policy.
func (q *Bounded[T]) sendWait(v T) error {
	var err error
	await(&q.sendq, forever, func() bool {
		err = q.send(v, false)
		return err != ErrFull
	})
	return err
}

// TrySend queues v without waiting. With Block it returns ErrFull when the
// queue is full; with the other policies it does what Send does.
func (q *Bounded[T]) TrySend(v T) error { return q.send(v, false) }

// Recv waits for a value.
func (q *Bounded[T]) Recv() (T, error) { return q.recv(forever) }

// TryRecv returns a value if one is queued now.
func (q *Bounded[T]) TryRecv() (T, error) { return q.recv(noWait) }

// RecvTimeout waits at most d for a value.
func (q *Bounded[T]) RecvTimeout(d time.Duration) (T, error) { return q.recv(max(d, 0)) }

// Close refuses further sends and wakes every waiter. Queued values stay
// receivable.
func (q *Bounded[T]) Close() {
	q.mu.Lock()
	was := q.closed
	q.closed = true
	q.mu.Unlock()
	if !was {
		q.sendq.notify()
		q.recvq.notify()
	}
}

// Len reports the number of values queued.
func (q *Bounded[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Cap reports the capacity given to NewBounded.
func (q *Bounded[T]) Cap() int { return len(q.buf) }

// Dropped reports how many values the policy has discarded.
func (q *Bounded[T]) Dropped() uint64 { return q.dropped.Load() }
