package impls

// Segment is an unbounded lock-free MPMC queue made of linked blocks of
// slots: crossbeam-channel's list flavor (src/flavors/list.rs), itself in the
// family of Vyukov's and Michael-Scott's linked queues, with one block
// allocated per segBlockCap values instead of one node per value.
//
// head and tail are positions: an index and the block it falls in. A sender
// claims index i by moving tail.index past it with a CAS, writes slot i of
// the tail block and marks the slot written. A receiver claims an index the
// same way on head.index, waits for the slot's written mark (the sender may
// still be writing) and takes the value. The sender that claims the last
// slot of a block links the next block (allocated before its CAS, so others
// wait as briefly as possible); the receiver that claims the last slot moves
// head to that next block. The old block is then unreachable from the queue
// and the GC frees it; receivers clear each slot they read, so a goroutine
// still holding the block cannot keep payloads alive.
//
// Where crossbeam frees blocks by hand (the READ and DESTROY bits), the GC
// does it here, so a slot needs only the written mark.
//
// Index layout. An index counts in units of 1<<segShift; the bit below,
// segMark, is metadata. Each block covers one lap of segLap indices, of
// which the first segBlockCap are slots and the last, offset segBlockCap,
// is never a slot: tail and head rest on it only while the block after is
// being installed, and others wait for them to move on. segMark means
// "closed" in tail.index and "head's block is not the last one" in
// head.index (so a receiver can skip reading tail).
//
// Invariants:
//
//	head.index>>segShift <= tail.index>>segShift.
//	tail.index&segMark is set by Close and never cleared.
//	head.block and tail.block hold the indices of head.index and tail.index,
//	except while the index rests on offset segBlockCap.
//	A slot's val is written only by the sender that claimed its index and
//	is read and cleared only by the receiver that claimed it, after state
//	reads slotWritten.
//	A block's next is nil until the sender of its last slot links the next block.

import (
	"sync/atomic"
	"time"
)

var _ Queue[int] = (*Segment[int])(nil)

const (
	segShift    = 1                     // low index bits reserved for segMark
	segMark     = 1                     // in tail: closed; in head: not the last block
	segLap      = 32                    // indices per block: a power of two, so % is a mask
	segBlockCap = segLap - 1            // slots per block
	slotWritten = uint32(1)             // slot state once the sender has written val
	segStep     = uint64(1) << segShift // one index
)

// A Segment is an unbounded lock-free MPMC queue of linked blocks. The zero
// value is not usable; call NewSegment.
type Segment[T any] struct {
	_     pad
	head  segPosition[T] // where receivers claim; CAS by receivers
	_     pad
	tail  segPosition[T] // where senders claim; CAS by senders, Or by Close
	_     pad
	recvq waitq // receivers waiting for a value
	_     pad
}

type segPosition[T any] struct {
	index atomic.Uint64               // see Index layout in the file comment
	block atomic.Pointer[segBlock[T]] // the block index falls in
}

type segBlock[T any] struct {
	next  atomic.Pointer[segBlock[T]] // nil until the sender of the last slot links it
	slots [segBlockCap]segSlot[T]
}

type segSlot[T any] struct {
	val   T
	state atomic.Uint32 // 0, then slotWritten
}

// NewSegment returns an empty Segment with its first block allocated (where
// crossbeam allocates it on the first send, which costs a branch on every
// operation).
func NewSegment[T any]() *Segment[T] {
	q := &Segment[T]{}
	b := new(segBlock[T])
	q.head.block.Store(b)
	q.tail.block.Store(b)
	return q
}

// Send appends v. It never blocks, though it may yield while another sender
// links the next block.
func (q *Segment[T]) Send(v T) error {
	var b backoff
	tail := q.tail.index.Load()
	block := q.tail.block.Load()
	var next *segBlock[T]
	for {
		if tail&segMark != 0 {
			return ErrClosed
		}
		offset := (tail >> segShift) % segLap
		if offset == segBlockCap {
			// Another sender is installing the next block.
			b.snooze()
			tail = q.tail.index.Load()
			block = q.tail.block.Load()
			continue
		}
		if offset+1 == segBlockCap && next == nil {
			// Claiming the last slot means installing the next block:
			// allocate it before the CAS so the others wait less. If the
			// CAS goes to someone else the block is garbage.
			next = new(segBlock[T])
		}
		// The CAS fails if another sender claimed this index or Close set
		// segMark: no index is claimed after Close, so a receiver that
		// finds head == tail with the mark set knows nothing is in flight.
		// block is the right one for tail: the block changes only while
		// the index rests on segBlockCap, and the CAS succeeds only if the
		// index has not moved since it was loaded, before block was.
		if !q.tail.index.CompareAndSwap(tail, tail+segStep) {
			tail = q.tail.index.Load()
			block = q.tail.block.Load()
			continue
		}
		if offset+1 == segBlockCap {
			// tail.index rests on segBlockCap now. Install the block before
			// moving the index on, so a sender that sees the new index
			// sees the new block. Add, not Store: Close may have set
			// segMark in the meantime (crossbeam fixed the same bug).
			q.tail.block.Store(next)
			q.tail.index.Add(segStep)
			block.next.Store(next)
		}
		s := &block.slots[offset]
		s.val = v
		// The atomic store publishes val to the receiver that waits for it,
		// and comes before notify's load of recvq.n (see park.go).
		s.state.Store(slotWritten)
		q.recvq.notify()
		return nil
	}
}

// TrySend is Send: a Segment is never full.
func (q *Segment[T]) TrySend(v T) error { return q.Send(v) }

// recv is Recv (wait forever), RecvTimeout (wait >= 0) and TryRecv (wait
// noWait) in one body, so that an interface call reaches it with one call
// (see "One body per side" in spsc.go).
func (q *Segment[T]) recv(wait time.Duration) (T, error) {
	var b backoff
	head := q.head.index.Load()
	block := q.head.block.Load()
	for {
		offset := (head >> segShift) % segLap
		if offset == segBlockCap {
			// Another receiver is moving head to the next block.
			b.snooze()
			head = q.head.index.Load()
			block = q.head.block.Load()
			continue
		}
		newHead := head + segStep
		if newHead&segMark == 0 {
			// head may be in the last block: compare with tail.
			tail := q.tail.index.Load()
			if head>>segShift == tail>>segShift {
				var zero T
				if tail&segMark != 0 {
					return zero, ErrClosed
				}
				return emptyRecv(&q.recvq, wait, q.tryRecv)
			}
			if (head>>segShift)/segLap != (tail>>segShift)/segLap {
				newHead |= segMark
			}
		}
		if !q.head.index.CompareAndSwap(head, newHead) {
			head = q.head.index.Load()
			block = q.head.block.Load()
			continue
		}
		if offset+1 == segBlockCap {
			// Claimed the last slot: move head to the next block. Its
			// sender claimed that slot, so it is linking the block now.
			next := block.waitNext()
			nextIndex := (newHead &^ segMark) + segStep
			if next.next.Load() != nil {
				nextIndex |= segMark
			}
			q.head.block.Store(next)
			q.head.index.Store(nextIndex)
		}
		s := &block.slots[offset]
		s.waitWritten()
		v := s.val
		var zero T
		s.val = zero // let the GC have what the value points to
		return v, nil
	}
}

// tryRecv is one receive that does not wait: awaitRecv's retries.
func (q *Segment[T]) tryRecv() (T, error) { return q.recv(noWait) }

// waitNext waits for the sender of the block's last slot to link the next
// block; it has claimed the slot, so it is a few instructions away.
func (b *segBlock[T]) waitNext() *segBlock[T] {
	var bo backoff
	for {
		if next := b.next.Load(); next != nil {
			return next
		}
		bo.snooze()
	}
}

// waitWritten waits for the sender that claimed the slot to write it.
func (s *segSlot[T]) waitWritten() {
	var bo backoff
	for s.state.Load() != slotWritten {
		bo.snooze()
	}
}

// Recv waits for a value.
func (q *Segment[T]) Recv() (T, error) { return q.recv(forever) }

// TryRecv returns a value if one is queued now.
func (q *Segment[T]) TryRecv() (T, error) { return q.recv(noWait) }

// RecvTimeout waits at most d for a value.
func (q *Segment[T]) RecvTimeout(d time.Duration) (T, error) { return q.recv(max(d, 0)) }

// Close sets segMark in tail, refusing further sends, and wakes every
// waiting receiver. Values already sent stay receivable.
func (q *Segment[T]) Close() {
	if q.tail.index.Or(segMark)&segMark == 0 {
		q.recvq.notify()
	}
}

// Len reports the number of values queued (crossbeam's method).
func (q *Segment[T]) Len() int {
	for {
		tail := q.tail.index.Load()
		head := q.head.index.Load()
		if q.tail.index.Load() != tail {
			continue
		}
		tail &^= segStep - 1
		head &^= segStep - 1
		// An index resting on offset segBlockCap stands for the first slot
		// of the next block.
		if (tail>>segShift)&(segLap-1) == segLap-1 {
			tail += segStep
		}
		if (head>>segShift)&(segLap-1) == segLap-1 {
			head += segStep
		}
		// Rebase both on head's block so the division below is exact,
		// then subtract one for each block boundary (offset segBlockCap is
		// not a slot).
		lap := (head >> segShift) / segLap
		tail -= (lap * segLap) << segShift
		head -= (lap * segLap) << segShift
		tail >>= segShift
		head >>= segShift
		return int(tail - head - tail/segLap)
	}
}

// Cap reports -1: a Segment is unbounded.
func (q *Segment[T]) Cap() int { return -1 }
