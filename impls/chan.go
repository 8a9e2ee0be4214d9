package impls

// Chan adapts Go's built-in channel to the Queue contract: the baseline every
// other queue is measured against.
//
// A Go channel panics on a send after close, and closing it is the only way
// to wake its blocked receivers. Chan therefore never closes the channel.
// Senders pass through a gate (park.go) that counts them in and out; Close
// shuts the gate and closes gate.done, which wakes the senders blocked in a
// select. Once the last admitted sender has left, gate.drained closes and
// wakes the receivers: from then on nothing can be added to the channel, so
// a receiver that finds it empty may report ErrClosed without losing a value.
//
// Invariants:
//
//	Only senders admitted by gate send on c, and c is never closed.
//	Once gate.drained is closed, len(c) only shrinks.

import "time"

var _ Queue[int] = (*Chan[int])(nil)

// A Chan is a Go channel behind the Queue contract. Capacity 0 makes it a
// rendezvous channel: Send waits for a receiver.
type Chan[T any] struct {
	c    chan T // the values; never closed
	gate gate   // admits senders; says when no more values can arrive
}

// NewChan returns a Chan holding up to capacity values. It panics if
// capacity is negative, as make does.
func NewChan[T any](capacity int) *Chan[T] {
	if capacity < 0 {
		panic("impls: NewChan: negative capacity")
	}
	q := &Chan[T]{c: make(chan T, capacity)}
	q.gate.init()
	return q
}

// Send queues v, waiting for room (or a receiver, at capacity 0).
func (q *Chan[T]) Send(v T) error {
	if !q.gate.enter() {
		return ErrClosed
	}
	// Fast path: a one-case select with default is a plain non-blocking
	// send, far cheaper than the two-case select below.
	select {
	case q.c <- v:
		q.gate.leave()
		return nil
	default:
	}
	// If Close and room arrive together the select may still send: that is
	// fine, because this sender is inside the gate and receivers wait for
	// it to leave before they give up on the channel.
	select {
	case q.c <- v:
		q.gate.leave()
		return nil
	case <-q.gate.done:
		q.gate.leave()
		return ErrClosed
	}
}

// TrySend queues v if there is room now (at capacity 0: if a receiver is
// waiting).
func (q *Chan[T]) TrySend(v T) error {
	if !q.gate.enter() {
		return ErrClosed
	}
	select {
	case q.c <- v:
		q.gate.leave()
		return nil
	default:
		q.gate.leave()
		return ErrFull
	}
}

// Recv waits for a value.
func (q *Chan[T]) Recv() (T, error) {
	select {
	case v := <-q.c:
		return v, nil
	default:
	}
	select {
	case v := <-q.c:
		return v, nil
	case <-q.gate.drained:
		return q.final()
	}
}

// TryRecv returns a value if one is queued now. After Close it waits for
// the senders still inside the gate to leave — Close has already woken them,
// so the wait is short — because until they have, one of them may yet add a
// value, and ErrEmpty on a closed queue would be a wrong answer either way.
func (q *Chan[T]) TryRecv() (T, error) {
	select {
	case v := <-q.c:
		return v, nil
	default:
	}
	if q.gate.isClosed() {
		<-q.gate.drained
		return q.final()
	}
	var zero T
	return zero, ErrEmpty
}

// RecvTimeout waits at most d for a value.
func (q *Chan[T]) RecvTimeout(d time.Duration) (T, error) {
	select {
	case v := <-q.c:
		return v, nil
	default:
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case v := <-q.c:
		return v, nil
	case <-q.gate.drained:
		return q.final()
	case <-t.C:
		// The timer and a closed, drained gate (or a value) may have been
		// ready together, and select picks at random: ask once more, so
		// that a closed queue says ErrClosed.
		v, err := q.TryRecv()
		if err == ErrEmpty {
			err = ErrTimeout
		}
		return v, err
	}
}

// final is a receive after gate.drained closed: whatever is left in c, then
// ErrClosed. Both cases of the caller's select may have been ready, so the
// channel must be checked once more.
func (q *Chan[T]) final() (T, error) {
	select {
	case v := <-q.c:
		return v, nil
	default:
		var zero T
		return zero, ErrClosed
	}
}

// Close refuses further sends and wakes blocked senders at once and blocked
// receivers as soon as the senders that were already inside have left.
func (q *Chan[T]) Close() { q.gate.close() }

// Len reports the number of values buffered in the channel.
func (q *Chan[T]) Len() int { return len(q.c) }

// Cap reports the channel's capacity.
func (q *Chan[T]) Cap() int { return cap(q.c) }
