package impls

// List is the classic unbounded queue: a singly linked list under a mutex,
// one node allocated per send (the two-pointer queue that countless Go
// "unbounded channel" and mpsc packages hand-roll). It is here as the
// allocation-heavy reference point for Segment and Pump: every value costs
// a heap object, and the GC has to trace the chain.
//
// Receivers wait on a waitq (park.go) rather than a sync.Cond so that
// RecvTimeout can give up.
//
// Invariants:
//
//	head == nil if and only if tail == nil if and only if n == 0.
//	Following next from head reaches tail after n-1 steps; tail.next == nil.
//	closed is set by Close and never cleared.

import (
	"sync"
	"time"
)

var _ Queue[int] = (*List[int])(nil)

// A List is an unbounded mutex-protected linked-list queue. The zero value
// is not usable; call NewList.
type List[T any] struct {
	mu     sync.Mutex   // protects head, tail, n and closed; never held while parked
	head   *listNode[T] // oldest value, or nil
	tail   *listNode[T] // newest value, or nil
	n      int          // number of values queued
	closed bool         // set by Close

	recvq waitq // receivers waiting for a value
}

type listNode[T any] struct {
	next *listNode[T]
	val  T
}

// NewList returns an empty List.
func NewList[T any]() *List[T] { return &List[T]{} }

// Send appends v. It never blocks.
func (q *List[T]) Send(v T) error {
	node := &listNode[T]{val: v} // allocated outside the lock
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	if q.tail == nil {
		q.head = node
	} else {
		q.tail.next = node
	}
	q.tail = node
	q.n++
	q.mu.Unlock()
	q.recvq.notify()
	return nil
}

// TrySend is Send: a List is never full.
func (q *List[T]) TrySend(v T) error { return q.Send(v) }

// recv is Recv (wait forever), RecvTimeout (wait >= 0) and TryRecv (wait
// noWait) in one body, so that an interface call reaches it with one call
// (see "One body per side" in spsc.go).
func (q *List[T]) recv(wait time.Duration) (T, error) {
	var zero T
	q.mu.Lock()
	node := q.head
	if node == nil {
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return zero, ErrClosed
		}
		return emptyRecv(&q.recvq, wait, q.tryRecv)
	}
	q.head = node.next
	if q.head == nil {
		q.tail = nil
	}
	q.n--
	q.mu.Unlock()
	// The node is unreachable from the list now; unlink it so a stale
	// reference to it cannot keep the rest of the chain alive.
	v := node.val
	node.next = nil
	return v, nil
}

// tryRecv is one receive that does not wait: awaitRecv's retries.
func (q *List[T]) tryRecv() (T, error) { return q.recv(noWait) }

// Recv waits for a value.
func (q *List[T]) Recv() (T, error) { return q.recv(forever) }

// TryRecv returns a value if one is queued now.
func (q *List[T]) TryRecv() (T, error) { return q.recv(noWait) }

// RecvTimeout waits at most d for a value.
func (q *List[T]) RecvTimeout(d time.Duration) (T, error) { return q.recv(max(d, 0)) }

// Close refuses further sends and wakes every waiting receiver. Queued
// values stay receivable.
func (q *List[T]) Close() {
	q.mu.Lock()
	was := q.closed
	q.closed = true
	q.mu.Unlock()
	if !was {
		q.recvq.notify()
	}
}

// Len reports the number of values queued.
func (q *List[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Cap reports -1: a List is unbounded.
func (q *List[T]) Cap() int { return -1 }
