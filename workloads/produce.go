// The producers' side of a trial: building, pacing and sending messages,
// and what a producer does when the queue is full.

package workloads

import (
	"errors"
	"sync"

	"github.com/chanbench/chanbench/impls"
)

// produce is producer i's loop: build each message, pace it as the spec
// says, send it through snd, and count; then release drops snd.
func (d *Driver[V]) produce(i int, snd impls.SendEnd[V], release func(), start <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	p := &d.producers[i]
	s := &d.spec
	quota := s.quota(i)
	defer release() // drop this producer's Sender: the last one ends the receivers' wait
	<-start
	end := d.epoch + int64(s.Duration)
	timed := quota < 0
	paced := d.paced()
	payload := int(s.PayloadBytes)
	countdown := int64(1)
	// Go's channel (chan) is sent on with Go's send statement, as a
	// program sends on its own channel: no call through an interface per
	// message. Such a send does not see a Disconnect, so the producer looks
	// at d.gone every 64 messages.
	var direct chan<- V
	if cs, ok := snd.(*impls.ChanSender[V]); ok && d.plainSend {
		direct = cs.SendChan()
	}
	var seq int64
	for ; timed || seq < quota; seq++ {
		// What need not be done for every message is done every 64, behind
		// one test: publishing the count, a flat-out producer's look at the
		// clock, a direct sender's look for a crashed consumer.
		if seq&63 == 0 {
			if seq&(progressEvery-1) == 0 {
				p.sent.Store(seq)
			}
			if timed && !paced && nanotime() >= end || direct != nil && d.gone.Load() {
				break
			}
		}
		// A paced producer stops when its schedule or the clock passes the
		// end (backpressure can hold it far behind its schedule).
		if paced {
			intended := d.intended(seq)
			if timed && (intended >= end || nanotime() >= end) {
				break
			}
			waitUntil(intended)
		}
		var m V
		h := headOf(&m)
		h.ID = makeID(i, seq)
		if payload > 0 {
			setPayload(&m, newPayload(payload, seq))
		}
		// One message in every is sampled, on average: a countdown, because
		// a division per message costs more than the rest of the loop. A
		// sampled message is stamped for latency and offered with TrySend
		// first, so that a send that finds the queue full is timed (see
		// full). The others go straight to Send, as a program's would,
		// unless the producer carries out a drop policy.
		sampled := false
		if countdown--; countdown == 0 {
			countdown = p.gap(d.every)
			h.SentNS = nanotime()
			sampled = true
		}
		var err error
		if !sampled && direct != nil {
			direct <- m
		} else if !sampled && d.plainSend {
			err = snd.Send(m) // a Lossy queue's own refusal (ErrFull) is counted by the queue
		} else if err = snd.TrySend(m); err != nil {
			err = d.full(p, snd, m, err)
		}
		if err != nil && errors.Is(err, impls.ErrClosed) {
			break // closed: a consumer crashed
		}
	}
	p.sent.Store(seq)
	p.busyNS = nanotime() - d.epoch
}

// quota is how many messages producer i sends: its share of Messages,
// the first Messages%Producers producers taking one more; -1 in a timed
// run, which the clock ends.
func (s *Spec) quota(i int) int64 {
	if s.Messages <= 0 {
		return -1
	}
	q := s.Messages / int64(s.Producers)
	if int64(i) < s.Messages%int64(s.Producers) {
		q++
	}
	return q
}

// paced reports whether the producers follow a schedule (a rate or bursts)
// rather than running flat out.
func (d *Driver[V]) paced() bool { return d.spec.Rate > 0 || d.spec.Burst != nil }

// intended is when a paced producer's schedule means its message seq to be
// sent, on the nanotime clock. Producers and consumers both compute it, so
// that a message need not carry it.
func (d *Driver[V]) intended(seq int64) int64 {
	if d.burstSize > 0 {
		return d.epoch + (seq/d.burstSize)*d.burstEvery
	}
	return d.epoch + seq*d.interval
}

// seedXorshift derives a producer's xorshift state from the trial's seed
// with a splitmix64 step, so that neighbouring seeds give unrelated
// sequences; xorshift must not start at 0, where it stays.
func seedXorshift(seed, producer uint64) uint64 {
	x := seed + (producer+1)*0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	if x == 0 {
		x = 1
	}
	return x
}

// gap returns how many messages to the next sampled one: uniform on
// [1, 2*every-1], so every on average. A fixed gap would alias with the
// queue's own period (a gap of 64 divides a capacity of 1024) and sample
// the same phase of it each time.
func (p *producer) gap(every uint64) int64 {
	if every <= 1 {
		return 1
	}
	x := p.rng
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	p.rng = x
	return int64(1 + x%(2*every-1))
}

// A fullAction is what a producer does when TrySend finds the queue full.
type fullAction int

const (
	// blockSend waits in Send, timed: backpressure (policy block, or an
	// unbounded queue that was briefly full).
	blockSend fullAction = iota
	// queueDropped: the queue carried out a non-blocking policy itself and
	// counted the value (a Lossy queue answering ErrFull under Reject).
	queueDropped
	// dropNew: the producer discards the value (Reject or DropNewest for a
	// queue that only blocks).
	dropNew
	// dropOld: the producer takes the oldest value out and tries again
	// (DropOldest for a queue that only blocks).
	dropOld
)

func fullActionFor(p impls.Policy, by impls.PolicyBy) fullAction {
	switch {
	case p == impls.Block || by == impls.ByNobody:
		return blockSend
	case by == impls.ByQueue:
		return queueDropped
	case p == impls.DropOldest:
		return dropOld
	}
	return dropNew
}

// full handles a TrySend of m that did not succeed, as the trial's policy
// says, and returns nil once m is sent or accounted for as dropped, or
// ErrClosed. Under backpressure it times the blocking Send: two clock reads
// where the producer is about to wait anyway.
//
// Only sampled messages come here under backpressure (plainSend), so with
// every above 1 the blocked time is an estimate: each sampled wait stands
// for every sends. Blocked time often comes as much from a few long waits
// (a producer descheduled for a while) as from many short ones, and a run
// samples only a few of the long ones, so one run's estimate spreads
// widely; BlockedSE says how widely. Offering every message with TrySend
// first would make it exact, but a TrySend is not always as cheap as a
// Send (ring's reads the receivers' index to tell full from nearly full),
// so it would slow down the queue being measured.
func (d *Driver[V]) full(p *producer, snd impls.SendEnd[V], m V, err error) error {
	if err != impls.ErrFull && !errors.Is(err, impls.ErrFull) {
		return err
	}
	switch d.onFull {
	case queueDropped:
		return nil
	case dropNew:
		p.dropped++
		return nil
	case dropOld:
		for {
			if _, err := d.q.TryRecv(); err == nil {
				p.dropped++
			} else if errors.Is(err, impls.ErrClosed) {
				return err
			}
			err := snd.TrySend(m)
			if err == nil || !errors.Is(err, impls.ErrFull) {
				return err
			}
		}
	}
	t0 := nanotime()
	err = snd.Send(m)
	b := nanotime() - t0
	p.blockedNS += b * int64(d.every)
	p.blockedSq += float64(b) * float64(b)
	if err != nil && !errors.Is(err, impls.ErrClosed) {
		// A Send that refuses to block breaks the contract: the value
		// is not counted as dropped, so the trial shows it as lost.
		return nil
	}
	return err
}

// newPayload allocates a payload of n bytes and writes to each of its
// pages, so that the memory is resident (RSS), not merely reserved. It
// returns the first byte, which keeps the whole allocation alive.
func newPayload(n int, seq int64) *byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		b[i] = byte(seq)
	}
	return &b[0]
}
