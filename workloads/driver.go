package workloads

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/chanbench/chanbench/impls"
)

// Latency histograms cover 1ns to 10 minutes with 3 significant digits:
// about 300 KiB each, allocated once before the trial starts, so recording
// never allocates and never pollutes the RSS being measured.
const (
	histMin   = 1
	histMax   = int64(10 * time.Minute)
	histSigFi = 3
)

// progressEvery is how many messages a producer or consumer handles between
// publishing its count for the sampler: often enough for a 20 Hz series,
// rare enough that the atomic store costs nothing measurable. A power of
// two, so that the loops test it with a mask.
const progressEvery = 128

// A Phase is a moment in a trial that the driver reports as it passes.
type Phase string

const (
	PhaseStart         Phase = "start"
	PhaseProducersDone Phase = "producers_done"
	PhaseDrained       Phase = "drained"
	PhaseIdleDone      Phase = "idle_done"
)

// Options tune a trial beyond its Spec.
type Options struct {
	// LatencyEvery stamps one message in LatencyEvery, on average and at
	// random, for the latency histogram; 1 stamps every message, 0 picks
	// AutoLatencyEvery.
	LatencyEvery int
	// PolicyBy says who carries out the spec's policy when the queue is
	// full (see impls.Info.PolicyBy). Empty means the queue does if it
	// counts drops (it implements impls.Dropper), else the producers.
	PolicyBy impls.PolicyBy
	// Seed seeds the consumers' service-time jitter and the producers'
	// choice of messages to stamp.
	Seed uint64
	// OnPhase, if set, is called as each phase is reached, with the time
	// since the start in nanoseconds. It runs on the driver's goroutine.
	OnPhase func(p Phase, tNS int64)
}

// AutoLatencyEvery is the stamping interval the driver uses unless told
// otherwise. Producers that run flat out are sampled one message in 256:
// a stamp costs two clock reads (30 ns each on a virtual machine's
// kvm-clock) and a histogram update, which at one in 64 was still 5-10% of
// what the fastest queue (spsc, 20-50 ns a message) delivered end to end
// (see BenchmarkStamping); one in 256 still gives tens of thousands of
// samples a second. Paced and bursty producers stamp every message; they
// have time to spare.
func AutoLatencyEvery(s *Spec) int {
	if s.Rate == 0 && s.Burst == nil {
		return 256
	}
	return 1
}

// A Driver runs one trial of a workload against one queue.
type Driver[V Value] struct {
	spec   Spec
	q      impls.Queue[V]
	onFull fullAction // what a producer does when TrySend finds the queue full
	// plainSend: an unsampled message can go straight to Send, because the
	// queue carries out the policy itself (blockSend, queueDropped).
	plainSend bool
	opts      Options
	every     uint64 // one message in every, on average, is stamped for latency

	// The paced producers' schedule (see intended): bursts of burstSize
	// every burstEvery ns, or one message every interval ns.
	interval, burstSize, burstEvery int64

	epoch     int64
	producers []producer
	consumers []consumer
	stop      atomic.Bool // consumers stop at once (drain: false)
	gone      atomic.Bool // a consumer crashed: producers stop (see disconnect)
}

// producer is one sending goroutine's state, padded so that producers do
// not share cache lines.
type producer struct {
	sent      atomic.Int64 // published every progressEvery messages
	blockedNS int64        // time spent blocked in the sampled Sends, each scaled by every
	blockedSq float64      // the sum of the squares of the sampled blocked times, in ns²
	dropped   int64        // values this producer discarded by policy (onFull dropNew or dropOld)
	busyNS    int64        // time from start until this producer finished
	rng       uint64       // xorshift state for the gaps between sampled messages
	_         [64]byte
}

// consumer is one receiving goroutine's state.
type consumer struct {
	received atomic.Int64 // published every progressEvery messages
	doneNS   int64        // when it stopped receiving
	streams  []stream     // what this consumer saw of each producer
	dups     int64
	reorders int64
	lat      *hdrhistogram.Histogram
	intended *hdrhistogram.Histogram
	panicked any
	_        [64]byte
}

// NewDriver prepares a trial of spec against q. The spec must be valid and
// q must be able to serve it.
func NewDriver[V Value](spec Spec, q impls.Queue[V], opts Options) (*Driver[V], error) {
	policy := spec.Policy
	if opts.LatencyEvery == 0 {
		opts.LatencyEvery = AutoLatencyEvery(&spec)
	}
	if opts.PolicyBy == "" {
		opts.PolicyBy = impls.ByProducer
		if _, ok := q.(impls.Dropper); ok {
			opts.PolicyBy = impls.ByQueue
		}
	}
	d := &Driver[V]{
		spec:      spec,
		q:         q,
		onFull:    fullActionFor(policy, opts.PolicyBy),
		opts:      opts,
		every:     uint64(opts.LatencyEvery),
		producers: make([]producer, spec.Producers),
		consumers: make([]consumer, spec.Consumers),
	}
	d.plainSend = d.onFull == blockSend || d.onFull == queueDropped
	if spec.Burst != nil {
		d.burstSize, d.burstEvery = int64(spec.Burst.Size), int64(spec.Burst.Every)
	} else if spec.Rate > 0 {
		d.interval = int64(float64(time.Second) / spec.Rate)
	}
	for i := range d.producers {
		d.producers[i].rng = seedXorshift(opts.Seed, uint64(i))
	}
	for i := range d.consumers {
		c := &d.consumers[i]
		c.streams = make([]stream, spec.Producers)
		c.lat = hdrhistogram.New(histMin, histMax, histSigFi)
		c.intended = hdrhistogram.New(histMin, histMax, histSigFi)
	}
	return d, nil
}

// Now returns the time since the trial started, in nanoseconds.
func (d *Driver[V]) Now() int64 { return nanotime() - d.epoch }

// Progress returns the messages sent and received so far and the queue's
// length. It is safe to call from another goroutine while the trial runs.
//
// Both counts are published in batches of progressEvery, so each lags the
// truth by up to a batch per goroutine, and a consumer can have published
// more than the producers have. Received is read first, and everything
// received by then had been sent by the time sent is read: max(sent,
// received) is still a count the producers have reached, and sent is never
// shown below received.
func (d *Driver[V]) Progress() (sent, received, depth int64) {
	for i := range d.consumers {
		received += d.consumers[i].received.Load()
	}
	for i := range d.producers {
		sent += d.producers[i].sent.Load()
	}
	return max(sent, received), received, int64(d.q.Len())
}

// A Result is what a trial measured.
type Result struct {
	// ElapsedNS is the measured window: from the start until the last
	// consumer stopped.
	ElapsedNS int64
	// ProducersNS is how long the producers ran (the slowest one).
	ProducersNS int64
	// BlockedNS is the time producers spent blocked in Send, summed: exact
	// when LatencyEvery is 1 (every send that found the queue full was
	// timed), else estimated from the sampled sends, each standing for
	// LatencyEvery of them. BlockedSE is that estimate's standard error in
	// nanoseconds (0 when exact).
	BlockedNS int64
	BlockedSE float64
	// ProducerNS is the producers' running time, summed.
	ProducerNS int64

	// Sent counts the messages the producers handed over, whatever became
	// of them; Dropped those discarded by the policy, by the queue or by the
	// producers (PolicyBy says which); Lost = Sent - Received - Dropped.
	Sent, Received, Dropped, Lost, Duplicates, Reordered int64
	PolicyBy                                             impls.PolicyBy

	// Latency is enqueue-to-dequeue time; Intended is from the scheduled
	// send time (nil for producers that run flat out). LatencyEvery says
	// one message in how many, on average, was stamped.
	Latency, Intended *hdrhistogram.Histogram
	LatencyEvery      int

	// Phases, in nanoseconds from the start.
	ProducersDoneNS, DrainedNS, IdleDoneNS int64
}

// Run runs the trial to its end: producers, then the drain, then the idle
// hold. A panic in the queue is re-raised on the calling goroutine so that
// the process dies with its message, as a crash should.
func (d *Driver[V]) Run() (*Result, error) {
	// Each producer sends through a Sender of its own where the queue hands
	// them out, as each thread holds a clone of the Sender in Rust: a send
	// then touches no state shared by all producers, and the last one
	// dropped after Close is what ends the receivers' wait. Every send end
	// is made before any goroutine starts: a consumer that crashes early
	// closes the queue, and no Sender can be had after that.
	ends := make([]impls.SendEnd[V], len(d.producers))
	releases := make([]func(), len(d.producers))
	for i := range ends {
		snd, release, err := impls.NewSendEnd(d.q)
		if err != nil {
			for _, r := range releases[:i] {
				r()
			}
			return nil, fmt.Errorf("producer %d: %w", i, err)
		}
		ends[i], releases[i] = snd, release
	}
	var pwg, cwg sync.WaitGroup
	start := make(chan struct{})
	cwg.Add(len(d.consumers))
	for i := range d.consumers {
		go d.consume(i, start, &cwg)
	}
	pwg.Add(len(d.producers))
	for i := range d.producers {
		go d.produce(i, ends[i], releases[i], start, &pwg)
	}
	d.epoch = nanotime()
	d.phase(PhaseStart, 0)
	close(start)

	pwg.Wait()
	res := &Result{ProducersDoneNS: d.Now()}
	d.phase(PhaseProducersDone, res.ProducersDoneNS)
	if !d.spec.DrainEnabled() {
		d.stop.Store(true)
	}
	// Closing is how consumers learn that no more messages will come: in
	// Rust's terms, the last sender is dropped.
	d.q.Close()
	cwg.Wait()
	for i := range d.consumers {
		if p := d.consumers[i].panicked; p != nil {
			panic(p)
		}
	}
	// Without a drain, whatever the consumers left behind is taken out now,
	// outside the measured window, so that it is validated all the same.
	leftover := &d.consumers[0]
	for {
		m, err := d.q.TryRecv()
		if err != nil {
			break
		}
		if p, seq := splitID(headOf(&m).ID); !leftover.inOrder(p, seq) {
			leftover.checkSlow(p, seq)
		}
	}
	res.DrainedNS = d.Now()
	d.phase(PhaseDrained, res.DrainedNS)
	if d.spec.Idle > 0 {
		time.Sleep(d.spec.Idle.D())
		res.IdleDoneNS = d.Now()
		d.phase(PhaseIdleDone, res.IdleDoneNS)
	}
	// The queue stays reachable through the idle hold, as it would in a
	// program that keeps its queue after a burst.
	runtime.KeepAlive(d.q)
	return d.result(res)
}

func (d *Driver[V]) phase(p Phase, t int64) {
	if d.opts.OnPhase != nil {
		d.opts.OnPhase(p, t)
	}
}

func (d *Driver[V]) result(res *Result) (*Result, error) {
	res.LatencyEvery = d.opts.LatencyEvery
	var blockedSq float64
	for i := range d.producers {
		p := &d.producers[i]
		res.Sent += p.sent.Load()
		res.BlockedNS += p.blockedNS
		blockedSq += p.blockedSq
		res.Dropped += p.dropped
		res.ProducerNS += p.busyNS
		res.ProducersNS = max(res.ProducersNS, p.busyNS)
	}
	res.Latency = hdrhistogram.New(histMin, histMax, histSigFi)
	res.Intended = hdrhistogram.New(histMin, histMax, histSigFi)
	merged := make([][]uint64, d.spec.Producers)
	for i := range d.consumers {
		c := &d.consumers[i]
		res.ElapsedNS = max(res.ElapsedNS, c.doneNS)
		res.Duplicates += c.dups
		res.Reordered += c.reorders
		res.Latency.Merge(c.lat)
		res.Intended.Merge(c.intended)
		// A message seen by two consumers is a duplicate too.
		for p := range c.streams {
			c.streams[p].toBits()
			set := c.streams[p].bits
			if len(merged[p]) < len(set) {
				merged[p] = append(merged[p], make([]uint64, len(set)-len(merged[p]))...)
			}
			for w, bitsW := range set {
				res.Duplicates += int64(bits.OnesCount64(merged[p][w] & bitsW))
				merged[p][w] |= bitsW
			}
		}
	}
	for _, set := range merged {
		for _, w := range set {
			res.Received += int64(bits.OnesCount64(w))
		}
	}
	if dr, ok := d.q.(impls.Dropper); ok {
		res.Dropped += int64(dr.Dropped())
	}
	res.PolicyBy = d.opts.PolicyBy
	res.Lost = res.Sent - res.Received - res.Dropped
	if d.every > 1 {
		// Each message is sampled with probability 1/every, so the sum of
		// the sampled blocked times times every is an unbiased estimate of
		// the total (Horvitz-Thompson), with an estimated variance of
		// (1-1/every) every² Σb².
		e := float64(d.every)
		res.BlockedSE = e * math.Sqrt((1-1/e)*blockedSq)
	}
	if res.Intended.TotalCount() == 0 {
		res.Intended = nil
	}
	return res, nil
}

// produce is producer i's loop: build each message, pace it as the spec
// says, send it through snd, and count; then release drops snd.
func (d *Driver[V]) produce(i int, snd impls.SendEnd[V], release func(), start <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	p := &d.producers[i]
	s := &d.spec
	quota := int64(-1) // a timed run: no quota, the clock ends it
	if s.Messages > 0 {
		quota = s.Messages / int64(s.Producers)
		if int64(i) < s.Messages%int64(s.Producers) {
			quota++
		}
	}
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
