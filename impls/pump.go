package impls

// Pump is the common Go "infinite channel" idiom: an input channel, an
// output channel, and a goroutine that moves values from one to the other
// through a slice that grows as long as the consumer lags. It is here
// because it is what many Go programs use when they want an unbounded
// channel, and it shows the cost: every value crosses two channels and a
// goroutine, and the slice keeps its largest size until the backlog is
// gone (append copies only the live values when it grows, so the garbage
// is at most about the live size).
//
// Close shuts a gate (park.go) in front of in, so no send can panic. The
// pump goroutine watches gate.drained: once the last admitted sender has
// left, in is unbuffered and so holds nothing, and the goroutine delivers
// what it has buffered, closes out and exits. Receivers see out closed
// after the last value: ErrClosed. A Pump that is never closed keeps its
// goroutine for the life of the program, and one closed but not drained
// keeps it until a receiver takes the rest.
//
// Invariants:
//
//	Only the pump goroutine receives from in and sends on out; in is never
//	closed, and out is closed once, by the pump, after gate.drained closed
//	and buf emptied.
//	count = values admitted by Send minus values received from out: every
//	value in a sender's hands, in buf, or being offered on out.

import (
	"runtime"
	"sync/atomic"
	"time"
)

var _ Queue[int] = (*Pump[int])(nil)

// A Pump is an unbounded queue run by a goroutine between two channels.
// The zero value is not usable; call NewPump.
type Pump[T any] struct {
	in    chan T       // senders to the pump; unbuffered, never closed
	out   chan T       // the pump to receivers; unbuffered, closed when done
	gate  *gate        // admits senders; drained tells the pump to finish
	count atomic.Int64 // values admitted and not yet received (see Invariants)
}

// NewPump returns an empty Pump and starts its goroutine, which runs until
// the Pump is closed and drained.
func NewPump[T any]() *Pump[T] {
	q := &Pump[T]{in: make(chan T), out: make(chan T), gate: new(gate)}
	q.gate.init()
	go pump(q.in, q.out, q.gate.drained)
	return q
}

// pump is the goroutine. It holds only the channels, not the Pump.
func pump[T any](in <-chan T, out chan<- T, drained <-chan struct{}) {
	var buf []T
	for {
		if len(buf) == 0 {
			if in == nil {
				close(out)
				return
			}
			select {
			case v := <-in:
				buf = append(buf, v)
			case <-drained:
				in, drained = nil, nil // no sender is left and in is unbuffered
			}
			continue
		}
		select {
		case v := <-in:
			buf = append(buf, v)
		case out <- buf[0]:
			var zero T
			buf[0] = zero // let the GC have what the value points to
			buf = buf[1:]
		case <-drained:
			in, drained = nil, nil
		}
	}
}

// Send hands v to the pump goroutine, which is never blocked for long, so
// Send returns promptly.
func (q *Pump[T]) Send(v T) error {
	if !q.gate.enter() {
		return ErrClosed
	}
	q.count.Add(1)
	select {
	case q.in <- v:
		q.gate.leave()
		return nil
	default:
	}
	select {
	case q.in <- v:
		q.gate.leave()
		return nil
	case <-q.gate.done:
		q.count.Add(-1)
		q.gate.leave()
		return ErrClosed
	}
}

// TrySend is Send: a Pump is never full, and the hand-off to the pump
// goroutine waits only for it to come round its loop.
func (q *Pump[T]) TrySend(v T) error { return q.Send(v) }

// Recv waits for a value.
func (q *Pump[T]) Recv() (T, error) {
	v, ok := <-q.out
	return q.took(v, ok)
}

// took accounts for a receive from out: a value, or ErrClosed once the pump
// has closed out.
func (q *Pump[T]) took(v T, ok bool) (T, error) {
	if !ok {
		return v, ErrClosed
	}
	q.count.Add(-1)
	return v, nil
}

// TryRecv returns a value if one is queued. The pump goroutine may be busy
// appending when a value is buffered, so while count says values are
// admitted TryRecv waits for the pump to offer one (or for another receiver
// to take it); it does not wait for senders that have not come.
func (q *Pump[T]) TryRecv() (T, error) {
	for {
		select {
		case v, ok := <-q.out:
			return q.took(v, ok)
		default:
		}
		if q.count.Load() <= 0 {
			if q.gate.isClosed() {
				// Nothing is left or coming; the pump is about to close
				// out, if it has not already.
				return q.Recv()
			}
			var zero T
			return zero, ErrEmpty
		}
		runtime.Gosched()
	}
}

// RecvTimeout waits at most d for a value.
func (q *Pump[T]) RecvTimeout(d time.Duration) (T, error) {
	select {
	case v, ok := <-q.out:
		return q.took(v, ok)
	default:
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case v, ok := <-q.out:
		return q.took(v, ok)
	case <-t.C:
		// A value whose Send has returned may not be on offer yet (the
		// pump goroutine is coming round its loop), and a closed queue may
		// not have closed out yet: TryRecv waits for both, so a queued
		// value is returned and a closed, drained queue says ErrClosed.
		v, err := q.TryRecv()
		if err == ErrEmpty {
			err = ErrTimeout
		}
		return v, err
	}
}

// Close refuses further sends and wakes blocked senders; the pump goroutine
// delivers what it holds, then closes out, which wakes blocked receivers.
func (q *Pump[T]) Close() { q.gate.close() }

// Len reports the number of values queued, counting those being handed in.
func (q *Pump[T]) Len() int { return int(max(q.count.Load(), 0)) }

// Cap reports -1: a Pump is unbounded.
func (q *Pump[T]) Cap() int { return -1 }
