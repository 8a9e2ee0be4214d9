package impls

// SPSC is a bounded single-producer single-consumer ring: Lamport's
// lock-free ring (L. Lamport, "Specifying Concurrent Program Modules", 1983)
// with cached indices, the refinement of FastForward and MCRingBuffer that
// rigtorp/SPSCQueue and folly's ProducerConsumerQueue use.
//
// head and tail are free-running counts of values received and sent; the
// buffer position of count c is c mod cap, which each side tracks in a
// private index so that no division is needed and any capacity is exact.
// Each side keeps a private copy of the other side's count and reads the
// shared one only when the copy says the ring is full (producer) or empty
// (consumer). In a steady stream that happens about once per lap instead of
// once per value, so each side mostly touches only its own cache line.
//
// Close sets closedBit in tail, and the producer publishes with a CAS on
// tail rather than a store, so a publish after Close fails and its Send
// reports ErrClosed. A consumer that sees tail == head with the bit set
// therefore knows no value can still arrive. On amd64 the CAS costs the
// same as the XCHG that a sync/atomic Store compiles to.
//
// Only one goroutine may send and one receive at a time (calls may move
// between goroutines if each hands over with a happens-before edge); Close,
// Len and Cap may be called from anywhere.
//
// Invariants:
//
//	head <= tail&^closedBit <= head + cap.
//	The values of counts head to tail&^closedBit (exclusive) are in buf at
//	positions head mod cap onward; every other element of buf is zero.
//	headCache <= head, tailCache <= tail&^closedBit.
//	headIdx == head mod cap and tailIdx == tail&^closedBit mod cap.
//	tail&closedBit is set by Close and never cleared.

import (
	"fmt"
	"sync/atomic"
	"time"
)

var _ Queue[int] = (*SPSC[int])(nil)

// closedBit marks a closed SPSC in tail: far above any count a queue reaches.
const closedBit = 1 << 63

// An SPSC is a bounded lock-free queue for exactly one producer and one
// consumer. The zero value is not usable; call NewSPSC.
type SPSC[T any] struct {
	_ pad

	// The consumer's cache line.
	head      atomic.Uint64 // values received; written by the consumer only
	tailCache uint64        // consumer's last reading of tail, without closedBit
	headIdx   uint64        // head mod cap; consumer-private
	_         pad

	// The producer's cache line.
	tail      atomic.Uint64 // values sent, | closedBit once closed; CAS by the producer, Or by Close
	headCache uint64        // producer's last reading of head
	tailIdx   uint64        // tail mod cap; producer-private
	_         pad

	// Read-only after NewSPSC.
	buf []T
	cap uint64

	_     pad
	sendq waitq // the producer, waiting for room
	_     pad
	recvq waitq // the consumer, waiting for a value
	_     pad
}

// NewSPSC returns an SPSC holding up to capacity values. It panics unless
// capacity is at least 1.
func NewSPSC[T any](capacity int) *SPSC[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("impls: NewSPSC: capacity %d, want at least 1", capacity))
	}
	return &SPSC[T]{buf: make([]T, capacity), cap: uint64(capacity)}
}

// trySend is one non-blocking send by the producer.
func (q *SPSC[T]) trySend(v T) error {
	t := q.tail.Load() // the producer's own line: cheap
	if t&closedBit != 0 {
		return ErrClosed
	}
	if t-q.headCache == q.cap {
		// Full as far as the cached head knows: read the real one. The
		// consumer cleared the slots below head before storing it.
		q.headCache = q.head.Load()
		if t-q.headCache == q.cap {
			return ErrFull
		}
	}
	i := q.tailIdx
	q.buf[i] = v // slot i is past tail: the consumer does not read it yet
	// Publish. The CAS orders the write of buf[i] before the consumer's
	// load of tail (and so before its read of buf[i]), and it fails only if
	// Close set closedBit since the load above.
	if !q.tail.CompareAndSwap(t, t+1) {
		var zero T
		q.buf[i] = zero
		return ErrClosed
	}
	if i+1 == q.cap {
		q.tailIdx = 0
	} else {
		q.tailIdx = i + 1
	}
	// The CAS is sequentially consistent, so this load of recvq.n comes
	// after it: see park.go for why no wake-up is lost.
	q.recvq.notify()
	return nil
}

// tryRecv is one non-blocking receive by the consumer.
func (q *SPSC[T]) tryRecv() (T, error) {
	h := q.head.Load() // only the consumer writes head
	if h == q.tailCache {
		// Empty as far as the cached tail knows: read the real one.
		t := q.tail.Load()
		q.tailCache = t &^ closedBit
		if h == q.tailCache {
			var zero T
			if t&closedBit != 0 {
				// Closed and drained: every publish after Close fails,
				// so no value can still arrive.
				return zero, ErrClosed
			}
			return zero, ErrEmpty
		}
	}
	i := q.headIdx
	v := q.buf[i]
	var zero T
	q.buf[i] = zero // let the GC have what the value points to
	if i+1 == q.cap {
		q.headIdx = 0
	} else {
		q.headIdx = i + 1
	}
	// Hand the slot back: the store orders the reads and the clearing of
	// buf[i] before the producer's next write there, and comes before the
	// load of sendq.n in notify.
	q.head.Store(h + 1)
	q.sendq.notify()
	return v, nil
}

// Send queues v, waiting while the ring is full. Only the producer may call it.
func (q *SPSC[T]) Send(v T) error {
	err := q.trySend(v)
	if err != ErrFull {
		return err
	}
	await(&q.sendq, forever, func() bool {
		err = q.trySend(v)
		return err != ErrFull
	})
	return err
}

// TrySend queues v if there is room now. Only the producer may call it.
func (q *SPSC[T]) TrySend(v T) error { return q.trySend(v) }

// Recv waits for a value. Only the consumer may call it.
func (q *SPSC[T]) Recv() (T, error) {
	v, err := q.tryRecv()
	if err != ErrEmpty {
		return v, err
	}
	await(&q.recvq, forever, func() bool {
		v, err = q.tryRecv()
		return err != ErrEmpty
	})
	return v, err
}

// TryRecv returns a value if one is queued now. Only the consumer may call it.
func (q *SPSC[T]) TryRecv() (T, error) { return q.tryRecv() }

// RecvTimeout waits at most d for a value. Only the consumer may call it.
func (q *SPSC[T]) RecvTimeout(d time.Duration) (T, error) {
	v, err := q.tryRecv()
	if err != ErrEmpty {
		return v, err
	}
	if !await(&q.recvq, max(d, 0), func() bool {
		v, err = q.tryRecv()
		return err != ErrEmpty
	}) {
		return v, ErrTimeout
	}
	return v, err
}

// Close sets closedBit in tail, refusing further sends, and wakes both sides.
func (q *SPSC[T]) Close() {
	if q.tail.Or(closedBit)&closedBit == 0 {
		q.sendq.notify()
		q.recvq.notify()
	}
}

// Len reports the number of values queued. It reads head before tail, so
// the difference is never negative; it may exceed cap when both moved in
// between, hence the clamp.
func (q *SPSC[T]) Len() int {
	h := q.head.Load()
	t := q.tail.Load() &^ closedBit
	return int(min(t-h, q.cap))
}

// Cap reports the capacity given to NewSPSC.
func (q *SPSC[T]) Cap() int { return int(q.cap) }
