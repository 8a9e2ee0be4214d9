// The consumers' side of a trial: receiving, validating each message
// (streams), recording latencies, serving.

package workloads

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/chanbench/chanbench/impls"
)

// consume is consumer i's loop: receive until the queue is closed and
// drained, validate each message, record its latency, do its work.
func (d *Driver[V]) consume(i int, start <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	c := &d.consumers[i]
	defer func() {
		if r := recover(); r != nil {
			c.panicked = r
			d.disconnect() // release the producers; the trial is a crash
		}
	}()
	s := &d.spec
	service := int64(s.Consumer.ServiceTime)
	jitter := int64(s.Consumer.Jitter)
	rng := rand.New(rand.NewPCG(d.opts.Seed, uint64(i)))
	stoppable := !s.DrainEnabled()
	<-start
	q := d.q
	// Go's channel is received from with Go's receive operator, as a
	// program receives: it is closed when Recv would say ErrClosed. Only
	// chan itself: a queue that wraps it may do more in its Recv.
	var direct <-chan V
	if c, ok := q.(*impls.Chan[V]); ok {
		direct = c.RecvChan()
	}
	var n int64
	for {
		var m V
		if direct != nil {
			var ok bool
			if m, ok = <-direct; !ok {
				break
			}
		} else {
			var err error
			if m, err = q.Recv(); err != nil {
				if !errors.Is(err, impls.ErrClosed) {
					panic(fmt.Sprintf("consumer %d: Recv: %v", i, err))
				}
				break
			}
		}
		h := headOf(&m)
		var now int64
		if h.SentNS != 0 {
			now = d.record(c, h)
		}
		if p, seq := splitID(h.ID); !c.inOrder(p, seq) {
			c.checkSlow(p, seq)
		}
		if n++; n&(progressEvery-1) == 0 {
			c.received.Store(n)
		}
		if service > 0 {
			serve(now, service, jitter, rng)
		}
		if stoppable && d.stop.Load() {
			break
		}
	}
	c.received.Store(n)
	c.doneNS = nanotime() - d.epoch
}

// record adds a stamped message's latencies to consumer c's histograms
// and returns the time it read.
func (d *Driver[V]) record(c *consumer, h *head) int64 {
	now := nanotime()
	c.lat.RecordValue(clampLatency(now - h.SentNS))
	if d.paced() {
		_, seq := splitID(h.ID)
		c.intended.RecordValue(clampLatency(now - d.intended(seq)))
	}
	return now
}

// disconnect tells the queue that the receivers have gone, so that no
// producer stays blocked: Disconnect for a queue that hands out Senders
// (Close would not wake a Sender blocked in Send), Close for the others.
func (d *Driver[V]) disconnect() {
	d.gone.Store(true)
	if sp, ok := d.q.(impls.Splitter[V]); ok {
		sp.Disconnect()
		return
	}
	d.q.Close()
}

// serve does a consumer's work on one message: the service time, plus up
// to jitter more, from now (or from the clock, when now is 0).
func serve(now, service, jitter int64, rng *rand.Rand) {
	if now == 0 {
		now = nanotime()
	}
	if jitter > 0 {
		service += rng.Int64N(jitter)
	}
	busyUntil(now + service)
}

func clampLatency(v int64) int64 {
	return min(max(v, histMin), histMax)
}

// stream is what one consumer saw of one producer's messages. It starts
// as a counter — while the messages arrive in order with no gap, "every
// sequence number below next, none above" says everything — and switches to
// a bitset at the first gap or repeat (several consumers, a drop policy, or
// a faulty queue). The counter keeps the common case to a compare and an
// increment, and costs no memory.
type stream struct {
	next int64    // counter mode: sequence numbers [0, next) received; bitset mode: -1, which no number matches
	bits []uint64 // nil in counter mode; else a bit per sequence number received
	last int64    // bitset mode: the highest sequence number received
}

// toBits switches s to bitset mode.
func (s *stream) toBits() {
	if s.bits != nil {
		return
	}
	full := s.next / 64
	s.bits = make([]uint64, full, full+1024)
	for i := range s.bits {
		s.bits[i] = ^uint64(0)
	}
	if rem := s.next % 64; rem != 0 {
		s.bits = append(s.bits, uint64(1)<<rem-1)
	}
	s.last = s.next - 1
	s.next = -1
}

// inOrder counts producer p's message seq and reports true when it is the
// next number in order: the common case of validating a message. It runs
// for every message, on the path that limits a fast queue's throughput when
// the consumer is the bottleneck, so it is one comparison (a stream in
// bitset mode holds next at -1, which no number matches) and small enough
// to inline, which a body that also called checkSlow would not be.
func (c *consumer) inOrder(p int, seq int64) bool {
	if p < len(c.streams) && seq == c.streams[p].next {
		c.streams[p].next++
		return true
	}
	return false
}

// checkSlow validates a message that was not the next in order: a
// duplicate if it was received before, a reordering if an earlier sequence
// number of the same producer follows a later one at this consumer.
func (c *consumer) checkSlow(p int, seq int64) {
	if p >= len(c.streams) {
		panic(fmt.Sprintf("received a message from producer %d, which does not exist", p))
	}
	st := &c.streams[p]
	st.toBits() // seq is not next: a gap or a repeat
	w := int(seq >> 6)
	if w >= len(st.bits) {
		st.bits = append(st.bits, make([]uint64, w-len(st.bits)+1)...)
	}
	word, bit := &st.bits[w], uint64(1)<<(seq&63)
	if *word&bit != 0 {
		c.dups++
		return
	}
	*word |= bit
	if seq < st.last {
		c.reorders++
	} else {
		st.last = seq
	}
}
