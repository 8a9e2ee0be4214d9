package impls

// Ring is a bounded lock-free multi-producer multi-consumer queue: Dmitry
// Vyukov's bounded MPMC queue (1024cores.net, "Bounded MPMC queue"), in the
// form crossbeam-channel's array flavor gives it (src/flavors/array.rs):
// stamps that pack a lap and an index so that any capacity is exact, and a
// mark bit in the tail that closes the queue.
//
// Every slot carries a stamp. A sender that reads tail and finds the slot's
// stamp equal to tail owns the slot once it moves tail forward with a CAS;
// it writes the value and sets the stamp to tail+1, which tells receivers
// the slot is full. A receiver that finds the stamp equal to head+1 claims
// the slot with a CAS on head, reads the value and sets the stamp to
// head+oneLap: empty again, ready for the sender of the next lap.
//
// Stamps. markBit is the smallest power of two above cap, and oneLap is
// 2*markBit. A stamp (head, tail, or a slot's) is lap | index, where index
// (the bits below markBit) is a position in slots, in [0, cap), and lap (the
// bits from oneLap up) counts the passes over the buffer, in units of
// oneLap. Moving past the last index adds oneLap and resets the index to 0,
// so the buffer needs no power-of-two size. The bit markBit itself is zero
// everywhere except in tail, where Close sets it.
//
// One departure from crossbeam: the blocking Send and Recv never read the
// other side's index (head for a sender, tail for a receiver) while the
// queue is open. A slot that is not ready means "wait" whether the ring is
// full (empty) or a peer is mid-operation, and not reading the index spares
// its cache line, which every operation on that side writes. TrySend and
// TryRecv still tell the cases apart exactly.
//
// Invariants:
//
//	head&markBit == 0; tail&markBit is set by Close and never cleared.
//	closed implies tail&markBit.
//	Slot i's stamp is lap|i when it is empty and ready for the sender of that
//	lap, and lap|i + 1 when it holds the value of that lap.
//	head <= tail&^markBit in (lap, index) order, and they are at most cap apart.
//	A slot is written only by the sender whose CAS moved tail off its index,
//	and read and cleared only by the receiver whose CAS moved head off it.

import (
	"fmt"
	"sync/atomic"
	"time"
)

var _ Queue[int] = (*Ring[int])(nil)

// A Ring is a bounded lock-free MPMC queue with sequence-stamped slots. The
// zero value is not usable; call NewRing.
type Ring[T any] struct {
	_    pad
	head atomic.Uint64 // next slot to receive from; receivers CAS it
	_    pad
	tail atomic.Uint64 // next slot to send into, | markBit once closed; senders CAS it
	_    pad

	// Read by every operation; written only by NewRing and, once, Close,
	// so the line stays shared.
	slots   []ringSlot[T]
	cap     uint64 // len(slots)
	markBit uint64 // smallest power of two > cap; set in tail by Close
	oneLap  uint64 // 2*markBit: one pass over the buffer

	closed atomic.Bool // set by Close after the mark bit

	_     pad
	sendq waitq // senders waiting for room
	_     pad
	recvq waitq // receivers waiting for a value
	_     pad
}

type ringSlot[T any] struct {
	stamp atomic.Uint64 // see Invariants: says whether the slot is full and for which lap
	val   T             // owned by whoever the stamp says
}

// NewRing returns a Ring holding up to capacity values. It panics unless
// capacity is at least 1.
func NewRing[T any](capacity int) *Ring[T] {
	if capacity < 1 {
		panic(fmt.Sprintf("impls: NewRing: capacity %d, want at least 1", capacity))
	}
	c := uint64(capacity)
	q := &Ring[T]{slots: make([]ringSlot[T], c), cap: c}
	q.markBit = 1
	for q.markBit <= c {
		q.markBit <<= 1
	}
	q.oneLap = 2 * q.markBit
	for i := range q.slots {
		q.slots[i].stamp.Store(uint64(i))
	}
	return q
}

// next returns the stamp after s (which has no mark bit).
func (q *Ring[T]) next(s uint64) uint64 {
	if s&(q.markBit-1)+1 < q.cap {
		return s + 1
	}
	return s&^(q.oneLap-1) + q.oneLap
}

// A sendMode says how send answers a full ring.
type sendMode uint8

const (
	// sendTry (TrySend) reports ErrFull only when the ring holds cap values.
	sendTry sendMode = iota
	// sendPoll (Send's retries) reports ErrFull also while a receiver is
	// still taking the value out of the slot this send needs, which spares
	// a read of head (the receivers' cache line) where both answers mean
	// "wait".
	sendPoll
	// sendBlock (Send) waits in sendWait.
	sendBlock
)

// send is Send, TrySend and Send's retries in one body, so that an
// interface call reaches it with one call (see "One body per side" in
// spsc.go): nil, ErrFull or ErrClosed.
func (q *Ring[T]) send(v T, mode sendMode) error {
	var b backoff
	tail := q.tail.Load()
	for {
		if tail&q.markBit != 0 {
			return ErrClosed
		}
		s := &q.slots[tail&(q.markBit-1)]
		stamp := s.stamp.Load()
		switch {
		case stamp == tail:
			// The slot is empty for this lap. Whoever moves tail past it
			// owns it. The CAS also fails if Close set the mark bit, so no
			// sender can claim a slot after Close: a receiver that sees
			// tail == head with the mark set knows nothing is in flight.
			if q.tail.CompareAndSwap(tail, q.next(tail)) {
				s.val = v
				// Publishing the stamp is what makes the value visible;
				// it is an atomic store, so it happens before the
				// receiver's load of the stamp and its read of val, and
				// it is ordered before notify's load of recvq.n.
				s.stamp.Store(tail + 1)
				q.recvq.notify()
				return nil
			}
			tail = q.tail.Load()
		case stamp+q.oneLap == tail+1:
			// The slot still holds the value of the previous lap. If head
			// is a whole lap behind tail the queue is full; otherwise a
			// receiver has claimed that value and is about to reset the
			// stamp, so try again.
			switch {
			case mode == sendBlock:
				return q.sendWait(v)
			case mode == sendPoll || q.head.Load()+q.oneLap == tail:
				return ErrFull
			}
			b.snooze()
			tail = q.tail.Load()
		default:
			// Either tail is stale (another sender moved past), or the
			// sender of the previous lap has claimed this slot and not
			// yet written it, so the ring is full until it does.
			b.snooze()
			tail = q.tail.Load()
		}
	}
}

// recv is Recv, TryRecv and RecvTimeout in one body, so that an interface
// call reaches it with one call (see "One body per side" in spsc.go): a
// value, ErrClosed, or on an empty ring ErrEmpty with wait noWait and
// otherwise a wait of at most wait (forever: without limit).
//
// With exact it finds the ring empty only when no send has claimed a slot,
// and waits for one that is writing its slot, as crossbeam does; without,
// it counts both as empty and reads tail (the senders' cache line, written
// by every send) only once the queue is closed. Recv uses that: for it both
// answers mean "wait", and not reading tail keeps a consumer polling an
// empty ring from slowing the producers down. TryRecv and RecvTimeout use
// exact, because their callers are told that the queue was empty.
func (q *Ring[T]) recv(exact bool, wait time.Duration) (T, error) {
	var b backoff
	head := q.head.Load()
	for {
		s := &q.slots[head&(q.markBit-1)]
		stamp := s.stamp.Load()
		switch {
		case stamp == head+1:
			// The slot holds this lap's value; whoever moves head past it
			// owns it.
			if q.head.CompareAndSwap(head, q.next(head)) {
				v := s.val
				var zero T
				s.val = zero // let the GC have what the value points to
				// Hand the slot to the sender of the next lap.
				s.stamp.Store(head + q.oneLap)
				q.sendq.notify()
				return v, nil
			}
			head = q.head.Load()
		case stamp == head:
			// The slot is empty. If tail is at head the queue is empty,
			// and closed when the mark is set: no CAS on tail can succeed
			// after the mark, so nothing is in flight. Otherwise a sender
			// has claimed the slot and is writing it: wait for it. That
			// window is a few instructions unless the sender was
			// preempted, hence the backoff.
			if !exact && !q.closed.Load() {
				return q.empty(exact, wait)
			}
			tail := q.tail.Load()
			if tail&^q.markBit == head {
				if tail&q.markBit != 0 {
					var zero T
					return zero, ErrClosed
				}
				return q.empty(exact, wait)
			}
			if !exact {
				return q.empty(exact, wait)
			}
			b.snooze()
			head = q.head.Load()
		default:
			// Another receiver has moved past: head is stale.
			b.snooze()
			head = q.head.Load()
		}
	}
}

// Send queues v, waiting while the ring is full.
func (q *Ring[T]) Send(v T) error { return q.send(v, sendBlock) }

// sendWait is Send on a full ring.
func (q *Ring[T]) sendWait(v T) error {
	var err error
	await(&q.sendq, forever, func() bool {
		err = q.send(v, sendPoll)
		return err != ErrFull
	})
	return err
}

// TrySend queues v if there is room now.
func (q *Ring[T]) TrySend(v T) error { return q.send(v, sendTry) }

// Recv waits for a value.
func (q *Ring[T]) Recv() (T, error) { return q.recv(false, forever) }

// TryRecv returns a value if one is queued now.
func (q *Ring[T]) TryRecv() (T, error) { return q.recv(true, noWait) }

// RecvTimeout waits at most d for a value. It waits for a send that is
// writing its slot, like TryRecv, so that a value sent before the call is
// found even with a timeout of zero.
func (q *Ring[T]) RecvTimeout(d time.Duration) (T, error) { return q.recv(true, max(d, 0)) }

// empty is emptyRecv for a receive with or without exact.
func (q *Ring[T]) empty(exact bool, wait time.Duration) (T, error) {
	return emptyRecv(&q.recvq, wait, func() (T, error) { return q.recv(exact, noWait) })
}

// Close sets the mark bit in tail, refusing further sends, and wakes every
// waiter. Values already sent stay receivable.
func (q *Ring[T]) Close() {
	if q.tail.Or(q.markBit)&q.markBit == 0 {
		q.closed.Store(true)
		q.sendq.notify()
		q.recvq.notify()
	}
}

// Len reports the number of values queued (crossbeam's method: read tail,
// head, then tail again until tail did not move in between).
func (q *Ring[T]) Len() int {
	for {
		tail := q.tail.Load()
		head := q.head.Load()
		if q.tail.Load() != tail {
			continue
		}
		tail &^= q.markBit
		hix, tix := head&(q.markBit-1), tail&(q.markBit-1)
		switch {
		case hix < tix:
			return int(tix - hix)
		case hix > tix:
			return int(q.cap - hix + tix)
		case tail == head:
			return 0
		default:
			return int(q.cap)
		}
	}
}

// Cap reports the capacity given to NewRing.
func (q *Ring[T]) Cap() int { return int(q.cap) }
