package impls

import (
	"errors"
	"time"
)

// A Queue is a FIFO channel between producers and consumers. Every
// implementation in this package satisfies it, and so must a queue that is
// registered from outside (see Register).
//
// The semantics mirror Rust's std::sync::mpsc in Go terms: a bounded queue
// pushes back on Send, Close plays the part of dropping the last sender, and
// receivers drain what was queued before they see ErrClosed.
type Queue[T any] interface {
	// Send queues v. It blocks while a bounded queue with the Block policy is
	// full, and returns ErrClosed after Close (it never panics).
	Send(v T) error
	// TrySend queues v without blocking: nil, ErrFull or ErrClosed.
	TrySend(v T) error
	// Recv blocks until a value arrives. It returns ErrClosed once the queue
	// is closed and drained.
	Recv() (T, error)
	// TryRecv never blocks: a value, ErrEmpty, or ErrClosed once the queue
	// is closed and drained.
	TryRecv() (T, error)
	// RecvTimeout waits at most d for a value and returns ErrTimeout when
	// none arrived in time.
	RecvTimeout(d time.Duration) (T, error)
	// Close stops further sends. It is idempotent and wakes every blocked
	// sender and receiver.
	Close()
	// Len reports the number of values queued now. Under concurrent use it
	// is a snapshot that may already be stale.
	Len() int
	// Cap reports the capacity, or -1 for an unbounded queue.
	Cap() int
}

// A Dropper is a Queue that may discard values by policy (see Bounded). The
// harness adds Dropped to its loss accounting: a dropped value is not lost.
type Dropper interface {
	// Dropped reports how many values the queue has discarded so far.
	Dropped() uint64
}

// The sentinel errors of the Queue contract; compare with errors.Is.
var (
	ErrClosed  = errors.New("queue closed")
	ErrFull    = errors.New("queue full")
	ErrEmpty   = errors.New("queue empty")
	ErrTimeout = errors.New("receive timed out")
)

// A Sender is one producer's own end of a queue, as in Rust's std::sync::mpsc
// and crossbeam: each producer holds one, and dropping the last one (after
// the queue's Close) is what tells the receivers that nothing more will
// come. See Splitter.
type Sender[T any] interface {
	// Send queues v, blocking while the queue is full. It returns
	// ErrClosed once the queue's Close or Disconnect has been called.
	Send(v T) error
	// TrySend queues v without blocking: nil, ErrFull or ErrClosed.
	TrySend(v T) error
	// Close drops this end. It is idempotent; after it, this end's Send
	// and TrySend return ErrClosed.
	Close()
}

// A Splitter is a Queue that hands each producer a Sender of its own, so
// that a send needs no state shared by all producers (such as a count of
// senders in flight). The harness uses the Senders when a queue offers
// them, and the Queue's own Send otherwise.
//
// The receivers see ErrClosed once Close has been called and every Sender
// has been dropped, after draining what was queued. Close does not wake a
// Sender blocked in Send: its value goes in when a receiver makes room, as
// a blocked send on a Go channel would. When the receivers go away instead,
// Disconnect does what dropping the receiver does in Rust: it discards what
// is queued and what blocked Senders are offering, and every Send from then
// on returns ErrClosed, so that no producer hangs.
type Splitter[T any] interface {
	Queue[T]
	// NewSender returns a new sender end, or ErrClosed after Close.
	NewSender() (Sender[T], error)
	// Disconnect says that the receivers have gone. It implies Close, is
	// idempotent, and returns at once.
	Disconnect()
}

// A SendEnd is what one producer sends through: a Sender of its own, or
// the Queue itself.
type SendEnd[T any] interface {
	Send(v T) error
	TrySend(v T) error
}

// NewSendEnd returns the end one producer of q sends through, and the
// function that drops it once the producer is done: a Sender of its own
// when q is a Splitter (release closes it), else q itself (release does
// nothing; the queue is not the producer's to close). It fails only when a
// Splitter has been closed.
func NewSendEnd[T any](q Queue[T]) (end SendEnd[T], release func(), err error) {
	sp, ok := q.(Splitter[T])
	if !ok {
		return q, func() {}, nil
	}
	s, err := sp.NewSender()
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}
