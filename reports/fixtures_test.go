package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// The fixtures in testdata/ are results a real run would plausibly write,
// made by a small model of each queue so that the charts and reports have
// the shapes they meet in practice: on slow-consumer the unbounded queues
// climb to the memory budget and are killed while the bounded ones stay
// flat; on burst every queue survives and the unbounded ones keep memory
// after the drain; the sweep varies the producers, with a queue skipped and
// one killed. TestFixtures checks the committed files match the model;
// run it with -update to rewrite them.

// fixtureNames lists the fixtures, each in testdata/NAME/results.json.
var fixtureNames = []string{"slow-consumer", "burst", "sweep"}

func TestFixtures(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			data, err := json.Marshal(makeFixture(name))
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, '\n')
			path := filepath.Join("testdata", name, schema.FileName)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			old, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(old, data) {
				t.Errorf("%s differs from the fixture model; run go test -update", path)
			}
		})
	}
}

// loadFixture reads a committed fixture the way chanbench report does.
func loadFixture(t *testing.T, name string) *schema.Results {
	t.Helper()
	r, err := schema.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var fixtureMachine = schema.Machine{
	CPU:         "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
	Cores:       2,
	GOMAXPROCS:  2,
	MemoryBytes: 8 << 30,
	OS:          "linux",
	Arch:        "amd64",
	GoVersion:   "go1.26.0",
}

func makeFixture(name string) *schema.Results {
	switch name {
	case "slow-consumer":
		return slowConsumerFixture()
	case "burst":
		return burstFixture()
	case "sweep":
		return sweepFixture()
	}
	panic("no fixture " + name)
}

func fixtureRun(spec workloads.Spec, count int) *schema.Results {
	return &schema.Results{
		Schema:   schema.Schema,
		Tool:     schema.Tool{Version: "v0.1.0", Commit: "9dd40e4c1a2b"},
		Created:  time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC),
		Command:  []string{"chanbench", "run", "--workload", spec.Name, "--count", fmt.Sprint(count)},
		Machine:  fixtureMachine,
		Workload: spec,
		Count:    count,
	}
}

func yes() *bool { t := true; return &t }

// model describes one queue in one trial of a fixture.
type model struct {
	impl        string
	bounded     bool
	inRate      float64 // messages offered per second, all producers together
	outRate     float64 // messages the consumers take per second
	bytesPerMsg float64 // RSS per queued message, GC headroom included
	baseRSS     float64 // bytes
	steps       bool    // RSS grows in doublings (a slice being regrown)
}

const sampleMS = 20 // fixtures sample at 50 Hz to stay small

func slowConsumerFixture() *schema.Results {
	spec := workloads.Spec{
		Name: "slow-consumer",
		Description: "One producer sends 200,000 messages of 1 KiB per second to a consumer that " +
			"needs 50µs for each (20,000 per second): a tenfold imbalance. Unbounded queues grow " +
			"until the memory budget kills them, within seconds; bounded queues stay flat and push " +
			"back on the producer.",
		Producers: 1, Consumers: 1, Capacity: 1024, Policy: impls.Block,
		PayloadBytes: 1 << 10, Rate: 200000, Duration: workloads.Duration(4 * time.Second),
		Consumer: workloads.Consumer{ServiceTime: workloads.Duration(50 * time.Microsecond)},
		Drain:    yes(), MemLimit: 256 << 20, Timeout: workloads.Duration(64 * time.Second),
	}
	r := fixtureRun(spec, 3)
	rng := rand.New(rand.NewPCG(1, 2))
	models := []model{
		{impl: "chan", bounded: true, outRate: 19600},
		{impl: "list", inRate: 197000, outRate: 19700, bytesPerMsg: 1640},
		{impl: "ring", bounded: true, outRate: 19750},
		{impl: "bounded", bounded: true, outRate: 19500},
		{impl: "spsc", bounded: true, outRate: 19800},
		{impl: "segment", inRate: 198000, outRate: 19700, bytesPerMsg: 1560},
		{impl: "pump", inRate: 190000, outRate: 19400, bytesPerMsg: 1700, steps: true},
	}
	for rep := 1; rep <= r.Count; rep++ {
		for _, m := range models {
			m.baseRSS = 9.6*(1<<20) + rng.Float64()*0.6*(1<<20)
			jitter := 1 + (rng.Float64()-0.5)*0.04
			m.outRate *= jitter
			m.inRate *= jitter
			m.bytesPerMsg *= jitter
			r.Trials = append(r.Trials, slowTrial(rng, spec, m, rep))
		}
	}
	return r
}

// slowTrial models a trial whose producer outpaces its consumer for the
// whole spec.Duration.
func slowTrial(rng *rand.Rand, spec workloads.Spec, m model, rep int) schema.Trial {
	tr := schema.Trial{
		Impl: m.impl, Workload: spec.Name, Repetition: rep,
		Params:        fixtureParams(spec),
		MemLimitBytes: int64(spec.MemLimit),
	}
	dur := spec.Duration.D().Seconds()
	budget := float64(spec.MemLimit)
	var sent, recv, depth float64
	var killed bool
	for ms := 0.0; ms <= dur*1000+100; ms += sampleMS {
		t := ms / 1000
		producing := t <= dur
		var rss float64
		if m.bounded {
			capacity := float64(spec.Capacity)
			if producing {
				recv = m.outRate * t
				depth = capacity - float64(rng.IntN(3))
				sent = recv + depth
			} else {
				depth = math.Max(0, capacity-m.outRate*(t-dur))
				recv = sent - depth
			}
			rss = m.baseRSS + 2.4*(1<<20) + rng.Float64()*0.4*(1<<20)
		} else {
			sent = m.inRate * t
			recv = m.outRate * t
			depth = sent - recv
			live := depth * m.bytesPerMsg
			if m.steps {
				// A slice regrown by doubling: memory jumps at each regrowth
				// and holds the old and new arrays together for a moment.
				live = math.Pow(2, math.Ceil(math.Log2(math.Max(live, 1<<20))))
			}
			rss = m.baseRSS + live*(0.97+0.06*rng.Float64())
			if rss > budget {
				tr.Series.Append(ms, int64(rss), int64(live*0.8), int64(depth), int64(sent), int64(recv))
				tr.Kill = &schema.Kill{AtMS: ms, RSSBytes: int64(rss), Depth: int64(depth), Sent: int64(sent), Received: int64(recv)}
				killed = true
				break
			}
		}
		heap := 2.1*(1<<20) + depth*1100*0.8
		tr.Series.Append(ms, int64(rss), int64(heap), int64(depth), int64(sent), int64(recv))
	}
	tr.PeakRSSBytes = maxInt64(tr.Series.RSS)
	tr.PeakHeapBytes = maxInt64(tr.Series.Heap)
	tr.PeakDepth = maxInt64(tr.Series.Depth)
	if killed {
		tr.Outcome = schema.OOM
		tr.Reason = fmt.Sprintf("RSS %.0f MiB passed the %s budget", float64(tr.Kill.RSSBytes)/(1<<20), spec.MemLimit)
		tr.ElapsedSec = tr.Kill.AtMS / 1000
		tr.Sent, tr.Received = tr.Kill.Sent, tr.Kill.Received
		tr.SendRate = float64(tr.Sent) / tr.ElapsedSec
		tr.AllocsPerMsg = 2
		return tr
	}
	n := tr.Series.Len()
	tr.Outcome = schema.OK
	tr.Sent = tr.Series.Sent[n-1]
	tr.Received = tr.Sent
	drainSec := float64(spec.Capacity) / m.outRate
	tr.ElapsedSec = dur + drainSec
	tr.Throughput = float64(tr.Received) / tr.ElapsedSec
	tr.SendRate = float64(tr.Sent) / dur
	tr.BlockedFraction = 1 - m.outRate/200000 - rng.Float64()*0.004
	tr.AllocsPerMsg = 1
	tr.RetainedRSSBytes = tr.Series.RSS[n-1]
	tr.Phases = schema.Phases{ProducersDoneMS: dur * 1000, DrainedMS: tr.ElapsedSec * 1000}
	// Every message waits behind a full queue; measured from the schedule,
	// the wait grows with the backlog of sends the producer could not make.
	wait := float64(spec.Capacity) / m.outRate * 1e9
	tr.Latency = fixtureLatency(tr.Received, func(p float64) float64 {
		return wait*(0.985+0.02*p) + 2e6*math.Pow(p, 40)
	})
	behind := dur * (1 - m.outRate/200000) * 1e9
	tr.IntendedLatency = fixtureLatency(tr.Received, func(p float64) float64 {
		return wait + behind*p
	})
	return tr
}

func burstFixture() *schema.Results {
	spec := workloads.Spec{
		Name: "burst",
		Description: "Every second each of 4 producers sends 25,000 messages of 1 KiB back to back, " +
			"far faster than the consumer's 2µs per message, then goes quiet. Shows how each queue " +
			"absorbs a burst, the tail latency it costs, and how much memory stays resident after " +
			"the queue has drained.",
		Producers: 4, Consumers: 1, Capacity: 1024, Policy: impls.Block,
		PayloadBytes: 1 << 10, Duration: workloads.Duration(3 * time.Second),
		Burst:    &workloads.Burst{Size: 25000, Every: workloads.Duration(time.Second)},
		Consumer: workloads.Consumer{ServiceTime: workloads.Duration(2 * time.Microsecond)},
		Drain:    yes(), Idle: workloads.Duration(time.Second),
		MemLimit: 1 << 30, Timeout: workloads.Duration(64 * time.Second),
	}
	r := fixtureRun(spec, 3)
	rng := rand.New(rand.NewPCG(3, 4))
	type queue struct {
		impl       string
		bounded    bool
		sendRate   float64 // messages per second the producers manage together
		bytesPer   float64 // RSS per queued message
		keep       float64 // share of the peak growth still resident after the idle
		outRate    float64 // messages the consumer takes per second
		supportsMP bool
	}
	// The consumer needs 2µs per message plus the receive itself; it
	// receives slower from a long unbounded queue, whose nodes are cold in
	// the cache, so those queues drain later.
	queues := []queue{
		{impl: "chan", bounded: true, sendRate: 8e6, outRate: 480000, supportsMP: true},
		{impl: "list", sendRate: 5e6, bytesPer: 1500, keep: 0.86, outRate: 400000, supportsMP: true},
		{impl: "ring", bounded: true, sendRate: 12e6, outRate: 480000, supportsMP: true},
		{impl: "bounded", bounded: true, sendRate: 6e6, outRate: 470000, supportsMP: true},
		{impl: "spsc", bounded: true},
		{impl: "segment", sendRate: 7e6, bytesPer: 1420, keep: 0.55, outRate: 420000, supportsMP: true},
		{impl: "pump", sendRate: 2.5e6, bytesPer: 1900, keep: 0.97, outRate: 330000, supportsMP: true},
	}
	burst := float64(spec.Burst.Size * spec.Producers)
	for rep := 1; rep <= r.Count; rep++ {
		for _, q := range queues {
			tr := schema.Trial{Impl: q.impl, Workload: spec.Name, Repetition: rep, Params: fixtureParams(spec), MemLimitBytes: int64(spec.MemLimit)}
			if !q.supportsMP {
				tr.Outcome = schema.Skipped
				tr.Reason = "spsc supports at most 1 producer, not 4"
				r.Trials = append(r.Trials, tr)
				continue
			}
			base := 9.8*(1<<20) + rng.Float64()*0.5*(1<<20)
			jit := 1 + (rng.Float64()-0.5)*0.05
			sendRate := q.sendRate * jit
			outRate := q.outRate
			var sent, recv, heldRSS, blocked float64
			for ms := 0.0; ms <= 4000; ms += sampleMS {
				t := ms / 1000
				k := math.Min(math.Floor(t), 2) // the burst in progress or last
				into := t - k                   // seconds since it began
				if t >= 3 {
					into = t - 2
				}
				// Messages of this burst sent and received so far.
				var s, rc float64
				if q.bounded {
					// Producers block: they send only as fast as the consumer frees room.
					rc = math.Min(burst, outRate*into)
					s = math.Min(burst, rc+float64(spec.Capacity))
				} else {
					s = math.Min(burst, sendRate*into)
					rc = math.Min(s, outRate*into)
				}
				sent, recv = k*burst+s, k*burst+rc
				depth := s - rc
				rss := base + 2*(1<<20)
				if !q.bounded {
					grow := depth * q.bytesPer
					heldRSS = math.Max(heldRSS, grow)
					if depth == 0 && t > 0.25 {
						// After the drain the runtime hands memory back slowly.
						heldRSS *= 1 - (1-q.keep)*sampleMS/2000
					}
					rss += math.Max(grow, heldRSS)
				}
				rss += rng.Float64() * 0.3 * (1 << 20)
				tr.Series.Append(ms, int64(rss), int64(2e6+depth*1100), int64(depth), int64(sent), int64(recv))
			}
			// The last burst starts at 2s: the producers stop once it is
			// sent, the consumer once it is received.
			sendSec := burst / sendRate
			if q.bounded {
				// Producers wait out each burst's drain, once a second.
				blocked = burst/outRate - burst/sendRate
				sendSec = (burst - float64(spec.Capacity)) / outRate
			}
			drainSec := burst / outRate
			n := tr.Series.Len()
			tr.Outcome = schema.OK
			tr.Sent, tr.Received = tr.Series.Sent[n-1], tr.Series.Received[n-1]
			tr.ElapsedSec = 2 + drainSec + rng.Float64()*0.002
			tr.Throughput = float64(tr.Received) / tr.ElapsedSec
			tr.SendRate = float64(tr.Sent) / 3
			tr.BlockedFraction = blocked * (0.98 + 0.04*rng.Float64())
			tr.PeakRSSBytes = maxInt64(tr.Series.RSS)
			tr.PeakHeapBytes = maxInt64(tr.Series.Heap)
			tr.PeakDepth = maxInt64(tr.Series.Depth)
			tr.RetainedRSSBytes = tr.Series.RSS[n-1]
			tr.AllocsPerMsg = 1
			if !q.bounded {
				tr.AllocsPerMsg = 2
			}
			tr.Phases = schema.Phases{ProducersDoneMS: 1000 * (2 + sendSec), DrainedMS: 1000 * tr.ElapsedSec, IdleDoneMS: 1000 * (tr.ElapsedSec + 1)}
			drain := burst / outRate * 1e9 // ns to drain one burst
			if q.bounded {
				wait := float64(spec.Capacity) / outRate * 1e9
				tr.Latency = fixtureLatency(tr.Received, func(p float64) float64 { return wait * (0.02 + 0.98*math.Min(1, p*1.02)) })
			} else {
				// The i-th message of a burst is sent at i/sendRate and
				// received at i/outRate.
				worst := burst * (1.0/outRate - 1/sendRate) * 1e9
				tr.Latency = fixtureLatency(tr.Received, func(p float64) float64 { return 2e3 + worst*p })
			}
			tr.IntendedLatency = fixtureLatency(tr.Received, func(p float64) float64 { return drain*(0.002+0.998*p) + 3e4 })
			r.Trials = append(r.Trials, tr)
		}
	}
	return r
}

func sweepFixture() *schema.Results {
	spec := workloads.Spec{
		Name: "steady",
		Description: "Four producers send as fast as the queue takes messages to one consumer that " +
			"does no work: raw multi-producer throughput and latency. The CI case.",
		Producers: 4, Consumers: 1, Capacity: 1024, Policy: impls.Block,
		Duration: workloads.Duration(time.Second), Drain: yes(),
		MemLimit: 256 << 20, Timeout: workloads.Duration(61 * time.Second),
	}
	r := fixtureRun(spec, 2)
	values := []string{"1", "2", "4", "8"}
	r.Sweep = &schema.Sweep{Key: "producers", Values: values}
	r.Command = append(r.Command, "--sweep", "producers=1,2,4,8")
	rng := rand.New(rand.NewPCG(5, 6))
	// Throughput in millions of messages per second at 1, 2, 4 and 8
	// producers; 0 where the queue is killed or skipped.
	thr := map[string][4]float64{
		"chan":    {11.8, 8.1, 6.2, 5.6},
		"list":    {14.2, 10.3, 7.1, 0},
		"ring":    {24.6, 14.1, 11.3, 10.2},
		"bounded": {9.1, 6.3, 5.2, 4.7},
		"spsc":    {58.0, 0, 0, 0},
		"segment": {19.7, 12.4, 9.3, 8.2},
		"pump":    {4.1, 3.6, 3.3, 3.1},
	}
	order := []string{"chan", "list", "ring", "bounded", "spsc", "segment", "pump"}
	for vi, v := range values {
		producers := 1 << vi
		for rep := 1; rep <= r.Count; rep++ {
			for _, impl := range order {
				p := fixtureParams(spec)
				p.Producers = producers
				tr := schema.Trial{Impl: impl, Workload: spec.Name, Repetition: rep, SweepKey: "producers", SweepValue: v, Params: p, MemLimitBytes: int64(spec.MemLimit)}
				switch {
				case impl == "spsc" && producers > 1:
					tr.Outcome = schema.Skipped
					tr.Reason = fmt.Sprintf("spsc supports at most 1 producer, not %d", producers)
				case impl == "list" && producers == 8:
					// Eight producers outrun the consumer by 4M msg/s.
					for ms := 0.0; ; ms += sampleMS {
						depth := 4.1e6 * ms / 1000
						rss := 9.9*(1<<20) + depth*62*(0.97+0.06*rng.Float64())
						recv := 6.8e6 * ms / 1000
						tr.Series.Append(ms, int64(rss), int64(depth*50), int64(depth), int64(recv+depth), int64(recv))
						if rss > float64(spec.MemLimit) {
							tr.Kill = &schema.Kill{AtMS: ms, RSSBytes: int64(rss), Depth: int64(depth), Sent: int64(recv + depth), Received: int64(recv)}
							break
						}
					}
					tr.Outcome = schema.OOM
					tr.Reason = fmt.Sprintf("RSS %.0f MiB passed the 256MiB budget", float64(tr.Kill.RSSBytes)/(1<<20))
					tr.ElapsedSec = tr.Kill.AtMS / 1000
					tr.Sent, tr.Received = tr.Kill.Sent, tr.Kill.Received
					tr.PeakRSSBytes = tr.Kill.RSSBytes
					tr.PeakDepth = tr.Kill.Depth
				default:
					rate := thr[impl][vi] * 1e6 * (1 + (rng.Float64()-0.5)*0.06)
					var grow float64 // msg/s the queue grows by
					if impl == "list" && producers == 4 {
						grow = 0.9e6
					}
					for ms := 0.0; ms <= 1000; ms += sampleMS {
						depth := float64(spec.Capacity) * (0.5 + 0.5*rng.Float64())
						if grow > 0 || impl == "segment" || impl == "pump" {
							depth = 40 + 200*rng.Float64() + grow*ms/1000
						}
						rss := 9.7*(1<<20) + depth*64 + rng.Float64()*0.3*(1<<20)
						recv := rate * ms / 1000
						tr.Series.Append(ms, int64(rss), int64(2e6+depth*48), int64(depth), int64(recv+depth), int64(recv))
					}
					n := tr.Series.Len()
					tr.Outcome = schema.OK
					tr.Sent = tr.Series.Sent[n-1]
					tr.Received = tr.Sent
					tr.ElapsedSec = 1 + float64(tr.Series.Depth[n-1])/rate
					tr.Throughput = float64(tr.Received) / tr.ElapsedSec
					tr.SendRate = float64(tr.Sent)
					tr.PeakRSSBytes = maxInt64(tr.Series.RSS)
					tr.PeakHeapBytes = maxInt64(tr.Series.Heap)
					tr.PeakDepth = maxInt64(tr.Series.Depth)
					tr.RetainedRSSBytes = tr.Series.RSS[n-1]
					tr.AllocsPerMsg = 0
					if impl == "list" || impl == "pump" {
						tr.AllocsPerMsg = 1
					}
					if impl == "chan" || impl == "ring" || impl == "bounded" || impl == "spsc" {
						tr.BlockedFraction = math.Min(0.95, 0.2*float64(producers)*(1+0.1*rng.Float64()))
					}
					tr.Phases = schema.Phases{ProducersDoneMS: 1000, DrainedMS: tr.ElapsedSec * 1000}
					base := 1e9 / rate * float64(producers) // one hand-off per producer
					depthNS := float64(tr.PeakDepth) / rate * 1e9
					tr.Latency = fixtureLatency(tr.Received, func(p float64) float64 {
						return base*(1+4*p) + depthNS*math.Pow(p, 3) + 40e3*math.Pow(p, 60)
					})
				}
				r.Trials = append(r.Trials, tr)
			}
		}
	}
	return r
}

func fixtureParams(s workloads.Spec) schema.Params {
	return schema.Params{
		Producers: s.Producers, Consumers: s.Consumers, Capacity: s.Capacity,
		Policy: s.Policy.String(), PayloadBytes: int64(s.PayloadBytes), Rate: s.Rate, GOMAXPROCS: 2,
	}
}

// fixtureLatency summarises a latency distribution given by its quantile
// function q over p in [0,1], with percentiles at the points an HDR
// histogram's log iteration reports.
func fixtureLatency(count int64, q func(p float64) float64) *schema.Latency {
	ns := func(p float64) int64 { return int64(math.Max(1, q(p))) }
	l := &schema.Latency{
		Count: count, SampleEvery: 1,
		P50: ns(0.5), P90: ns(0.9), P99: ns(0.99), P999: ns(0.999), P9999: ns(0.9999), Max: ns(1),
	}
	var sum float64
	for i := 0; i < 1000; i++ {
		sum += float64(ns((float64(i) + 0.5) / 1000))
	}
	l.Mean = math.Round(sum / 1000)
	for k := 0; ; k++ {
		p := 1 - math.Pow(0.5, float64(k)/2)
		if p > 0.99999 {
			break
		}
		l.Percentiles = append(l.Percentiles, schema.Percentile{P: math.Round(p*1e8) / 1e6, NS: ns(p)})
	}
	l.Percentiles = append(l.Percentiles, schema.Percentile{P: 100, NS: l.Max})
	return l
}

func maxInt64(xs []int64) int64 {
	var m int64
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
