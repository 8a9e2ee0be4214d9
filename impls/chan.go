package impls

// Chan adapts Go's built-in channel to the Queue contract: the baseline every
// other queue is measured against.
//
// A Go channel panics on a send after close, and closing it is the only way
// to wake its blocked receivers. Chan therefore closes the channel only when
// no send can follow: senders pass through a gate (park.go), Queue.Send and
// TrySend for one send each, a Sender (NewSender) for as long as its
// producer keeps it. Close shuts the gate and closes gate.done, which wakes
// the Queue.Send callers blocked in a select; the gate drains, and closes c,
// once the last of them has left and the last Sender has been dropped. From
// then on receivers are plain channel receives that see the close.
//
// A Sender's Send is what a Go program does with its own channel: one atomic
// load of the gate's state, which no send writes, and a plain blocking send.
// The Sender's place in the gate is what makes that send safe, so Close
// cannot wake it, as closing a Go channel cannot wake a send on another
// one; Disconnect starts a goroutine that receives and discards until the
// channel closes instead, which unblocks every such send. That goroutine
// exits once the last Sender is dropped.
//
// A caller that wants no call per value at all can have the channel itself:
// RecvChan for the receivers, a ChanSender's SendChan for one producer.
// chanbench's driver does, so that chan is measured as Go programs use
// their channels.
//
// Invariants:
//
//	Only senders inside the gate send on c: a Queue.Send or TrySend call
//	between enter and leave, or a Sender between NewSender and Close.
//	c is closed once, by gate.drain, when the gate is closed and no sender
//	is inside or held; so no send ever finds c closed.
//	Once the gate is closed no sender enters and no Sender is made.

import (
	"sync/atomic"
	"time"
)

var (
	_ Splitter[int] = (*Chan[int])(nil)
	_ Sender[int]   = (*ChanSender[int])(nil)
)

// A Chan is a Go channel behind the Queue contract. Capacity 0 makes it a
// rendezvous channel: Send waits for a receiver.
type Chan[T any] struct {
	c            chan T        // the values; closed when the gate drains
	gate         gate          // admits senders; closes c once none can send
	disconnected atomic.Bool   // set by the first Disconnect, which starts discard
	discarded    atomic.Uint64 // values received by discard
}

// NewChan returns a Chan holding up to capacity values. It panics if
// capacity is negative, as make does.
func NewChan[T any](capacity int) *Chan[T] {
	if capacity < 0 {
		panic("impls: NewChan: negative capacity")
	}
	c := make(chan T, capacity)
	q := &Chan[T]{c: c}
	q.gate.init()
	// The closure holds c, not q: a q that reached itself could never be
	// finalized (see runtime.SetFinalizer).
	q.gate.drain = func() { close(c) }
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
	// fine, because this sender is inside the gate, so c stays open and
	// receivers wait for it to leave before they see the close.
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

// RecvChan returns the channel itself, so that a receiver can receive as a
// Go program does, with the receive operator or range: no call per value.
// Receiving from it is Recv; it is closed when Recv would return ErrClosed.
func (q *Chan[T]) RecvChan() <-chan T { return q.c }

// Recv waits for a value. It receives straight into its result: with a
// large T, each copy of the value costs as much as a small queue's whole
// hand-over.
func (q *Chan[T]) Recv() (v T, err error) {
	v, ok := <-q.c
	if !ok {
		err = ErrClosed
	}
	return v, err
}

// received turns a receive from c into Recv's answer: the value, or
// ErrClosed once c is closed and empty.
func received[T any](v T, ok bool) (T, error) {
	if !ok {
		return v, ErrClosed
	}
	return v, nil
}

// TryRecv returns a value if one is queued now. On a closed queue that holds
// no Sender it waits for the Queue.Send callers still inside the gate to
// leave — Close has already woken them, so the wait is short — because until
// they have, one of them may yet add a value, and ErrEmpty on a closed queue
// would be a wrong answer either way. While a Sender is held the queue is
// not finished, closed or not, and TryRecv says ErrEmpty: the Sender may
// send again, or be blocked until Disconnect, and waiting for it could be
// forever.
func (q *Chan[T]) TryRecv() (T, error) {
	select {
	case v, ok := <-q.c:
		return received(v, ok)
	default:
	}
	if q.gate.draining() {
		v, ok := <-q.c
		return received(v, ok)
	}
	var zero T
	return zero, ErrEmpty
}

// RecvTimeout waits at most d for a value.
func (q *Chan[T]) RecvTimeout(d time.Duration) (T, error) {
	select {
	case v, ok := <-q.c:
		return received(v, ok)
	default:
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case v, ok := <-q.c:
		return received(v, ok)
	case <-t.C:
		// The timer and a closed channel (or a value) may have been ready
		// together, and select picks at random; and a closed queue may
		// not have closed c yet. TryRecv settles both, so that a closed,
		// drained queue says ErrClosed.
		v, err := q.TryRecv()
		if err == ErrEmpty {
			err = ErrTimeout
		}
		return v, err
	}
}

// Close refuses further sends and new Senders. It wakes blocked Queue.Send
// callers at once, and blocked receivers once those have left and every
// Sender has been dropped. A Sender blocked in Send stays blocked until a
// receiver (or Disconnect) takes its value.
func (q *Chan[T]) Close() { q.gate.close() }

// Len reports the number of values buffered in the channel.
func (q *Chan[T]) Len() int { return len(q.c) }

// Cap reports the channel's capacity.
func (q *Chan[T]) Cap() int { return cap(q.c) }

// NewSender returns a sender end of q for one producer, or ErrClosed after
// Close. The producer must Close it when done: receivers see ErrClosed only
// once q is closed and every Sender has been closed.
func (q *Chan[T]) NewSender() (Sender[T], error) {
	if !q.gate.hold() {
		return nil, ErrClosed
	}
	return &ChanSender[T]{c: q.c, gate: &q.gate}, nil
}

// Disconnect closes q and starts a goroutine that receives and discards
// everything queued and sent until c closes, that is until every Sender has
// been dropped, so that no Sender blocked in Send hangs. Discarded counts
// what it took. A Sender that is never closed keeps the goroutine waiting.
func (q *Chan[T]) Disconnect() {
	q.gate.close()
	if q.disconnected.CompareAndSwap(false, true) {
		go discard(q.c, &q.discarded)
	}
}

// discard is Disconnect's goroutine. It holds only the channel and the
// counter, not the Chan.
func discard[T any](c <-chan T, n *atomic.Uint64) {
	for range c {
		n.Add(1)
	}
}

// Discarded reports how many values Disconnect's goroutine has received and
// thrown away so far. Chan is not a Dropper: it drops nothing by policy, only
// what nobody is left to receive.
func (q *Chan[T]) Discarded() uint64 { return q.discarded.Load() }

// A ChanSender is a Chan's Sender. It holds a place in the gate from
// NewSender to Close, so c stays open while it may send. It is not safe for
// concurrent use: one goroutine at a time calls its methods, and Close must
// not race with its own Send.
type ChanSender[T any] struct {
	c      chan<- T
	gate   *gate
	closed bool // set by Close; the gate may have closed c since
}

// Send checks that neither the queue nor this end is closed and sends on c
// as a Go program does. The check reads the gate's state, which changes
// only when a Sender is made or dropped, the queue is closed, or a
// Queue.Send caller passes through, so producers holding Senders share no
// written word. A Send that passed the check when Close came still goes
// in, as its value would on a Go channel.
func (s *ChanSender[T]) Send(v T) error {
	if s.closed || s.gate.isClosed() {
		return ErrClosed
	}
	s.c <- v
	return nil
}

// SendChan returns the channel itself, so that a producer can send as a Go
// program does, with the send statement: no call per value. Such a send is
// Send without its check for Close and Disconnect. The channel stays open
// until this Sender is closed, so the send never panics, and after
// Disconnect it is received and thrown away; the caller must stop sending
// on it before it calls Close, and should stop soon after a Disconnect.
func (s *ChanSender[T]) SendChan() chan<- T { return s.c }

// TrySend is Send without blocking: ErrFull when c has no room (at capacity
// 0: no receiver waiting).
func (s *ChanSender[T]) TrySend(v T) error {
	if s.closed || s.gate.isClosed() {
		return ErrClosed
	}
	select {
	case s.c <- v:
		return nil
	default:
		return ErrFull
	}
}

// Close drops this end. The last Sender dropped from a closed queue closes
// c, which tells the receivers that nothing more will come.
func (s *ChanSender[T]) Close() {
	if s.closed {
		return
	}
	s.closed = true
	s.gate.release()
}
