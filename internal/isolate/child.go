package isolate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/shirou/gopsutil/v3/process"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// SampleInterval is how often the parent reads the child's RSS to watch
// its budget.
const SampleInterval = 10 * time.Millisecond

// ReportInterval is how often the child reports its heap, the queue's depth
// and its progress, and so the spacing of a trial's series. Every report
// wakes a thread in the middle of the trial, and a woken thread takes a
// processor from the queue for a moment: at 100 Hz that made Go's channel
// at capacity 0 about 7% slower on a 2-core machine, at 20 Hz it costs
// about a fifth of that.
const ReportInterval = 50 * time.Millisecond

// selfKillFactor is the safety net behind the parent's watch: a child whose
// own RSS passes this multiple of its budget exits at once, in case the
// parent is too starved of CPU to kill it in time.
const selfKillFactor = 1.5

// SelfKillExit is the exit status of a child that stopped itself at
// selfKillFactor times its budget.
const SelfKillExit = 3

// Child runs one trial as the child process: it reads a Config from r, runs
// the workload against the queue, and writes Events to w. A panic in the
// queue is not recovered: the process dies with the panic on stderr, and the
// parent reports a crash.
func Child(r io.Reader, w io.Writer) error {
	var cfg Config
	if err := json.NewDecoder(r).Decode(&cfg); err != nil {
		return fmt.Errorf("trial: read config: %w", err)
	}
	if cfg.GOMAXPROCS > 0 {
		runtime.GOMAXPROCS(cfg.GOMAXPROCS)
	}
	policy := cfg.Spec.Policy
	info, _ := impls.Lookup(cfg.Impl)
	bw := bufio.NewWriterSize(w, 4096)
	out := &eventWriter{bw: bw, enc: json.NewEncoder(bw)}
	self, _ := process.NewProcess(int32(os.Getpid()))
	selfRSS := func() int64 {
		if self == nil {
			return 0
		}
		mi, err := self.MemoryInfo()
		if err != nil {
			return 0
		}
		return int64(mi.RSS)
	}

	var d workloads.Trial
	var stopSampler atomic.Bool
	samplerDone := make(chan struct{})
	heap := newHeapReader()
	allocs0 := heap.allocs()
	opts := workloads.Options{
		LatencyEvery: cfg.LatencyEvery,
		PolicyBy:     info.PolicyBy(policy),
		Seed:         cfg.Seed,
		OnPhase: func(p workloads.Phase, t int64) {
			out.write(Event{Kind: kindPhase, TMS: ms(t), Phase: p, RSS: selfRSS()})
			if p == workloads.PhaseStart {
				go sample(d, heap, out, selfRSS, int64(cfg.Spec.MemLimit), &stopSampler, samplerDone)
			}
		},
	}
	var err error
	d, err = workloads.NewTrial(cfg.Spec, cfg.Impl, impls.Options{Capacity: cfg.Spec.Capacity, Policy: policy}, opts)
	if err != nil {
		return fmt.Errorf("trial: %w", err)
	}
	res, err := d.Run()
	if err != nil {
		return fmt.Errorf("trial: %w", err)
	}
	allocs := heap.allocs() - allocs0
	stopSampler.Store(true)
	<-samplerDone

	t := summarize(res)
	if res.Received > 0 {
		t.AllocsPerMsg = float64(allocs) / float64(res.Received)
	}
	out.write(Event{Kind: kindResult, TMS: ms(d.Now()), Trial: t})
	return out.err
}

// sample reports heap, depth and progress every ReportInterval until stop
// is set. It sleeps in the kernel, not on a runtime timer (see sleep), so
// that it does not slow down the queue it samples.
func sample(d workloads.Trial, heap *heapReader, out *eventWriter, selfRSS func() int64, limit int64, stop *atomic.Bool, done chan struct{}) {
	defer close(done)
	next := time.Now()
	for {
		next = next.Add(ReportInterval)
		sleep(time.Until(next))
		if stop.Load() {
			return
		}
		sent, received, depth := d.Progress()
		out.write(Event{Kind: kindSample, TMS: ms(d.Now()), Heap: heap.inUse(), Depth: depth, Sent: sent, Received: received})
		if limit > 0 && float64(selfRSS()) > selfKillFactor*float64(limit) {
			fmt.Fprintf(os.Stderr, "chanbench trial: RSS past %.1fx the memory budget; stopping\n", selfKillFactor)
			os.Exit(SelfKillExit)
		}
	}
}

// eventWriter writes events as JSON lines from several goroutines.
type eventWriter struct {
	mu  sync.Mutex
	bw  *bufio.Writer
	enc *json.Encoder
	err error
}

func (e *eventWriter) write(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = e.enc.Encode(ev)
	}
	if e.err == nil {
		// Flush each line: the parent must see depth and progress up to the
		// moment it kills the child.
		e.err = e.bw.Flush()
	}
}

func ms(ns int64) float64 { return float64(ns) / 1e6 }

// heapReader reads the runtime's heap figures without stopping the world.
type heapReader struct {
	samples []metrics.Sample
}

func newHeapReader() *heapReader {
	return &heapReader{samples: []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/allocs:objects"},
	}}
}

// inUse returns the bytes of heap objects, live or not yet swept.
func (h *heapReader) inUse() int64 {
	metrics.Read(h.samples[:1])
	return int64(h.samples[0].Value.Uint64())
}

// allocs returns the heap allocations made so far.
func (h *heapReader) allocs() int64 {
	metrics.Read(h.samples[1:])
	return int64(h.samples[1].Value.Uint64())
}

// summarize turns a driver result into the child's part of a trial.
func summarize(res *workloads.Result) *schema.Trial {
	t := &schema.Trial{
		ElapsedSec: float64(res.ElapsedNS) / 1e9,
		Sent:       res.Sent,
		Received:   res.Received,
		Dropped:    res.Dropped,
		Lost:       res.Lost,
		Duplicates: res.Duplicates,
		Reordered:  res.Reordered,
		Latency:    latency(res.Latency, res.LatencyEvery),
		Phases: schema.Phases{
			ProducersDoneMS: ms(res.ProducersDoneNS),
			DrainedMS:       ms(res.DrainedNS),
			IdleDoneMS:      ms(res.IdleDoneNS),
		},
	}
	if res.Intended != nil {
		t.IntendedLatency = latency(res.Intended, res.LatencyEvery)
	}
	t.Throughput = schema.Throughput(res.Received, float64(res.ElapsedNS)/1e9)
	if res.ProducersNS > 0 {
		t.SendRate = float64(res.Sent) / (float64(res.ProducersNS) / 1e9)
	}
	if res.ProducerNS > 0 {
		t.BlockedFraction = math.Min(1, float64(res.BlockedNS)/float64(res.ProducerNS))
		t.BlockedCI95 = 1.96 * res.BlockedSE / float64(res.ProducerNS)
	}
	return t
}

// latency summarises a histogram, with the distribution at percentiles
// spaced evenly on the 1/(1-p) axis of HDR charts: 50, 68.4, 90, 96.8, 99 …
// up to 99.999 %, and 100.
func latency(h *hdrhistogram.Histogram, every int) *schema.Latency {
	if h == nil || h.TotalCount() == 0 {
		return nil
	}
	l := &schema.Latency{
		Count:       h.TotalCount(),
		SampleEvery: every,
		Mean:        h.Mean(),
		P50:         h.ValueAtPercentile(50),
		P90:         h.ValueAtPercentile(90),
		P99:         h.ValueAtPercentile(99),
		P999:        h.ValueAtPercentile(99.9),
		P9999:       h.ValueAtPercentile(99.99),
		Max:         h.Max(),
	}
	var ps []float64
	for k := 0; k <= 50; k++ {
		p := 100 * (1 - math.Pow(10, -float64(k)/10))
		if p >= 50 {
			ps = append(ps, p)
		}
	}
	ps = append([]float64{0, 10, 25}, append(ps, 100)...)
	for i, v := range h.ValueAtPercentilesSlice(ps) {
		l.Percentiles = append(l.Percentiles, schema.Percentile{P: ps[i], NS: v})
	}
	return l
}
