package workloads

import (
	"fmt"
	"math"
	"math/bits"
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
