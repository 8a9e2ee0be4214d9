package main

import (
	"sync"
	"time"

	"github.com/chanbench/chanbench/impls"
)

// Slice is an unbounded queue: a slice guarded by a mutex, with a condition
// variable for receivers. Received values are cleared so the garbage
// collector can free them; the slice is compacted when half of it is spent.
//
// Invariants:
//
//	items[head:] are the queued values, oldest first.
//	closed never goes back to false.
type Slice[T any] struct {
	mu     sync.Mutex // guards every field below
	cond   *sync.Cond // signalled on Send and broadcast on Close
	items  []T
	head   int
	closed bool
}

var _ impls.Queue[int] = (*Slice[int])(nil)

// NewSlice returns an empty Slice.
func NewSlice[T any]() *Slice[T] {
	q := &Slice[T]{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Slice[T]) Send(v T) error { return q.TrySend(v) }

func (q *Slice[T]) TrySend(v T) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return impls.ErrClosed
	}
	q.items = append(q.items, v)
	q.cond.Signal()
	return nil
}

// pop removes the oldest value; q.mu must be held and the queue non-empty.
func (q *Slice[T]) pop() T {
	var zero T
	v := q.items[q.head]
	q.items[q.head] = zero
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	} else if q.head > len(q.items)/2 && q.head > 1024 {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	return v
}

func (q *Slice[T]) Recv() (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.head == len(q.items) && !q.closed {
		q.cond.Wait()
	}
	if q.head == len(q.items) {
		var zero T
		return zero, impls.ErrClosed
	}
	return q.pop(), nil
}

func (q *Slice[T]) TryRecv() (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.head == len(q.items) {
		var zero T
		if q.closed {
			return zero, impls.ErrClosed
		}
		return zero, impls.ErrEmpty
	}
	return q.pop(), nil
}

// RecvTimeout polls, backing off to a millisecond: simple, and good enough
// for an example (chanbench's driver uses Recv).
func (q *Slice[T]) RecvTimeout(d time.Duration) (T, error) {
	deadline := time.Now().Add(d)
	wait := time.Microsecond
	for {
		v, err := q.TryRecv()
		if err != impls.ErrEmpty {
			return v, err
		}
		if time.Now().After(deadline) {
			return v, impls.ErrTimeout
		}
		time.Sleep(min(wait, time.Until(deadline)))
		wait = min(2*wait, time.Millisecond)
	}
}

func (q *Slice[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.cond.Broadcast()
}

func (q *Slice[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) - q.head
}

func (q *Slice[T]) Cap() int { return -1 }
