package impls

// SPSC is a bounded single-producer single-consumer ring in the FastForward
// style (Giacomoni, Moseley and Vachharajani, "FastForward for Efficient
// Pipeline Parallelism", PPoPP 2008): the two sides hand values over through
// the slots themselves and never read each other's index. Each slot carries
// a sequence stamp, as in Vyukov's bounded queue, so that any T works where
// FastForward needs a nil pointer to mark an empty slot.
//
// Why not a Lamport ring with cached indices (rigtorp/SPSCQueue, folly's
// ProducerConsumerQueue)? The cached copy of the other side's index saves
// reads only while the ring is neither nearly empty nor nearly full. Under
// load it hovers at one end, and then every value makes one side reread
// the other's index and pull its cache line across; measured on chanbench's
// spsc benchmark that ring took 15-30 ns a value against 5-8 ns for this
// one. Here each side polls only the slot it is about to use, whose line
// has to travel anyway.
//
// The consumer still keeps a cached bound on the producer's count, read
// from the slots: when it finds the value of count h it also loads the
// stamp of count h+ahead-1 (ahead = min(spscAhead, cap)), and if that value
// is there it takes the ones between without loading their stamps (ready,
// below). That made the spsc benchmark about 15% faster (8.2 against 9.8 ns
// a value, medians of interleaved runs). The producer keeps no such bound:
// its publishing CAS must reach each slot's stamp anyway.
//
// One body per side. Send and TrySend are one method, send, and Recv,
// TryRecv and RecvTimeout are one, recv, with the waiting split off into
// sendWait and emptyRecv (park.go). The exported methods are then small
// enough for the compiler to inline into the wrappers that an interface
// call on an SPSC[T] goes through, and those wrappers reach the fast path
// with one call. Generic code calls a method of its own type through a dictionary,
// which the compiler does not inline, so a separate trySend behind Send
// cost one more call per value: 8.4 against 6.5 ns a value on the spsc
// benchmark (medians of 20 interleaved runs).
//
// Stamps. Counts are free-running: the producer's count t is the number of
// values sent, the consumer's count h the number received, and count c
// lives in slot c mod cap. Slot stamps say, for count c of that slot:
//
//	2c            empty, ready for the producer's value of count c
//	2c+1          holds the value of count c
//	2c|closedBit  poisoned by the consumer after Close: no value will come
//
// The producer publishes with a CAS from 2c to 2c+1 and the consumer hands
// the slot to the next lap with a store of 2(c+cap). Doubling keeps "holds
// c" apart from "empty for c+cap" even when cap is 1. Each side keeps its count
// in a private field; it publishes a copy every spscPublish values for Len
// only, which walks the stamps from there.
//
// Close sets closed. A consumer that finds its slot empty and the queue
// closed poisons the slot with a CAS; the producer's publishing CAS on the
// same slot fails if the poison came first, and the poison fails if the
// value came first. So a Send that returned nil always reaches the
// consumer, and a consumer that reports ErrClosed knows nothing more can
// arrive.
//
// Only one goroutine may send and one receive at a time (calls may move
// between goroutines if each hands over with a happens-before edge); Close,
// Len and Cap may be called from anywhere.
//
// Invariants:
//
//	head <= tail <= head + cap.
//	Slot stamps are as above: for c in [head, tail) slot c mod cap holds 2c+1;
//	every other slot is empty (its count's stamp) or poisoned, and its val is
//	zero but for the one a send in progress has written and not yet published.
//	headIdx == head mod cap, tailIdx == tail mod cap.
//	Every count in [head, ready) holds its value; ready <= tail (ready may lag head).
//	headPub <= head and tailPub <= tail, each behind by at most pubMask < cap.
//	At most one slot is poisoned, only after closed is set, and only at head == tail.

import (
	"fmt"
	"sync/atomic"
	"time"
)

var _ Queue[int] = (*SPSC[int])(nil)

const (
	// closedBit marks a poisoned stamp: far above any count a queue reaches.
	closedBit = 1 << 63
	// spscBatch is the most free slots a blocked producer holds out for
	// (an eighth of the capacity when that is less; see Send).
	spscBatch = 32
	// spscPublish is how often each side publishes its count for Len (or
	// the largest power of two up to the capacity, if that is less); Len
	// walks at most that many stamps past a published count.
	spscPublish = 32
	// spscAhead is how many counts, head's included, the consumer covers
	// with one stamp load (or the capacity, if that is less); see readyFrom.
	spscAhead = 128
)

// An SPSC is a bounded lock-free queue for exactly one producer and one
// consumer. The zero value is not usable; call NewSPSC.
type SPSC[T any] struct {
	_ pad

	// The consumer's cache line.
	head    uint64        // values received; consumer-private
	headIdx uint64        // head mod cap; consumer-private
	ready   uint64        // counts in [head, ready) hold values (see readyFrom); consumer-private
	headPub atomic.Uint64 // head as last published, for Len
	_       pad

	// The producer's cache line.
	tail    uint64        // values sent; producer-private
	tailIdx uint64        // tail mod cap; producer-private
	tailPub atomic.Uint64 // tail as last published, for Len
	_       pad

	// Read by both sides, written once: the line stays shared.
	slots   []spscSlot[T]
	cap     uint64
	batch   uint64      // free slots a blocked producer holds out for while it spins
	ahead   uint64      // min(spscAhead, cap): counts one stamp load covers
	pubMask uint64      // a count c is published when c&pubMask == 0
	closed  atomic.Bool // set by Close

	_     pad
	sendq waitq // the producer, waiting for room
	_     pad
	recvq waitq // the consumer, waiting for a value
	_     pad
}

type spscSlot[T any] struct {
	stamp atomic.Uint64 // see Stamps in the file comment
	val   T
}

// NewSPSC returns an SPSC holding up to capacity values. It panics unless
// capacity is at least 1.
func NewSPSC[T any](capacity int) *SPSC[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("impls: NewSPSC: capacity %d, want at least 1", capacity))
	}
	c := uint64(capacity)
	q := &SPSC[T]{slots: make([]spscSlot[T], c), cap: c, batch: max(1, min(spscBatch, c/8)), ahead: min(spscAhead, c)}
	pub := uint64(1)
	for pub*2 <= min(spscPublish, c) {
		pub *= 2
	}
	q.pubMask = pub - 1
	for i := range q.slots {
		q.slots[i].stamp.Store(2 * uint64(i))
	}
	return q
}

// send is Send (block true) and TrySend in one body: see "One body per
// side" in the file comment.
func (q *SPSC[T]) send(v T, block bool) error {
	if q.closed.Load() {
		return ErrClosed
	}
	t := q.tail
	s := &q.slots[q.tailIdx]
	if stamp := s.stamp.Load(); stamp != 2*t {
		if stamp&closedBit != 0 {
			return ErrClosed
		}
		// The slot still holds the value of count t-cap.
		if !block {
			return ErrFull
		}
		return q.sendWait(v)
	}
	// The slot is free, and only this producer writes a free slot's val.
	s.val = v
	// Publish. The CAS orders the write of val before the consumer's load
	// of the stamp, and it fails only if the consumer poisoned the slot
	// after Close, in which case the value must not count as sent.
	if !s.stamp.CompareAndSwap(2*t, 2*t+1) {
		var zero T
		s.val = zero
		return ErrClosed
	}
	q.tail = t + 1
	if q.tailIdx++; q.tailIdx == q.cap {
		q.tailIdx = 0
	}
	if (t+1)&q.pubMask == 0 {
		q.tailPub.Store(t + 1)
	}
	// The CAS is sequentially consistent, so this load of recvq.n comes
	// after it: see park.go for why no wake-up is lost.
	q.recvq.notify()
	return nil
}

// recv is Recv (wait forever), RecvTimeout (wait >= 0) and TryRecv (wait
// noWait) in one body: see "One body per side" in the file comment.
func (q *SPSC[T]) recv(wait time.Duration) (T, error) {
	var zero T
	h := q.head
	s := &q.slots[q.headIdx]
	if h >= q.ready {
		if stamp := s.stamp.Load(); stamp != 2*h+1 {
			if stamp&closedBit != 0 {
				return zero, ErrClosed // poisoned by an earlier call
			}
			if !q.closed.Load() {
				return emptyRecv(&q.recvq, wait, q.tryRecv)
			}
			// Closed and empty here: poison the slot so no send can land in
			// it. If the CAS fails, the producer published first (it is the
			// only other writer of this stamp) and the value is ours.
			if s.stamp.CompareAndSwap(2*h, 2*h|closedBit) {
				return zero, ErrClosed
			}
		}
		q.ready = q.readyFrom(h)
	}
	v := s.val
	s.val = zero // let the GC have what the value points to
	// Hand the slot to the producer's next lap: the store orders the read
	// and the clearing of val before the producer's next write there, and
	// comes before the load of sendq.n in notify.
	s.stamp.Store(2 * (h + q.cap))
	q.head = h + 1
	if q.headIdx++; q.headIdx == q.cap {
		q.headIdx = 0
	}
	if (h+1)&q.pubMask == 0 {
		q.headPub.Store(h + 1)
	}
	q.sendq.notify()
	return v, nil
}

// readyFrom returns how far the consumer may take values without loading
// their stamps, given that count h holds its value: past the next ahead-1
// counts if the last of them holds its value too, else just past h.
//
// Values are published in order and only the consumer takes them out, so
// if count h+ahead-1 holds its value, so do all counts below it; and the
// load of its stamp comes after the producer's writes of every val up to
// there. This is the consumer's cached copy of the producer's index, read
// from the slots rather than from an index the producer would share.
func (q *SPSC[T]) readyFrom(h uint64) uint64 {
	j := h + q.ahead - 1
	i := q.headIdx + q.ahead - 1
	if i >= q.cap {
		i -= q.cap
	}
	if q.slots[i].stamp.Load() == 2*j+1 {
		return j + 1
	}
	return h + 1
}

// Send queues v, waiting while the ring is full. Only the producer may call it.
func (q *SPSC[T]) Send(v T) error { return q.send(v, true) }

// sendWait is Send on a full ring.
func (q *SPSC[T]) sendWait(v T) error {
	// While it spins, the producer holds out for a batch of free slots
	// rather than the first one (the batching of B-Queue and MCRingBuffer):
	// otherwise, with a consumer that frees one slot at a time, the two
	// sides pass the same cache line back and forth for every value. Once
	// it is about to park it takes any room, so the hold-out costs only
	// time while spinning, never progress; a closed queue ends it at once.
	var err error
	tries := 0
	await(&q.sendq, forever, func() bool {
		if tries++; tries < spinTries && !q.roomFor(q.batch) {
			return false
		}
		err = q.send(v, false)
		return err != ErrFull
	})
	return err
}

// roomFor reports whether the next n slots are free or the queue is closed.
// n must be at most cap. Only the producer may call it.
func (q *SPSC[T]) roomFor(n uint64) bool {
	i := q.tailIdx + n - 1
	if i >= q.cap {
		i -= q.cap
	}
	// The slots free up in order, so the last of the n being free means
	// all of them are.
	return q.slots[i].stamp.Load() == 2*(q.tail+n-1) || q.closed.Load()
}

// TrySend queues v if there is room now. Only the producer may call it.
func (q *SPSC[T]) TrySend(v T) error { return q.send(v, false) }

// Recv waits for a value. Only the consumer may call it.
func (q *SPSC[T]) Recv() (T, error) { return q.recv(forever) }

// TryRecv returns a value if one is queued now. Only the consumer may call it.
func (q *SPSC[T]) TryRecv() (T, error) { return q.recv(noWait) }

// RecvTimeout waits at most d for a value. Only the consumer may call it.
func (q *SPSC[T]) RecvTimeout(d time.Duration) (T, error) { return q.recv(max(d, 0)) }

// tryRecv is one receive that does not wait: awaitRecv's retries.
func (q *SPSC[T]) tryRecv() (T, error) { return q.recv(noWait) }

// Close refuses further sends and wakes both sides. Values already sent
// stay receivable.
func (q *SPSC[T]) Close() {
	if !q.closed.Swap(true) {
		q.sendq.notify()
		q.recvq.notify()
	}
}

// Len reports the number of values queued: exact when neither side is
// active, a snapshot otherwise. It starts from the published counts and
// walks the stamps to the real ones, fewer than pubMask+1 <= cap steps each.
func (q *SPSC[T]) Len() int {
	h := q.headPub.Load()
	for n := uint64(0); n < q.cap; n++ {
		// Count h was received if its slot has been handed to the next
		// lap (2(h+cap)), or the producer has already filled it again
		// (2(h+cap)+1). That cannot be a later lap: headPub lags head by
		// less than cap.
		if st := q.slots[h%q.cap].stamp.Load(); st>>1 != h+q.cap {
			break
		}
		h++
	}
	t := max(q.tailPub.Load(), h)
	for n := uint64(0); n < q.cap && q.slots[t%q.cap].stamp.Load() == 2*t+1; n++ {
		t++ // count t was sent and not yet received
	}
	return int(min(t-h, q.cap))
}

// Cap reports the capacity given to NewSPSC.
func (q *SPSC[T]) Cap() int { return int(q.cap) }
