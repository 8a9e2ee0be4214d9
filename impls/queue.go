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
