// Package schema is chanbench's record of a run: the schema of
// results.json (the run, its machine, its trials, their outcomes, latencies
// and time series), the reading and writing of it, and the definitions of
// the per-trial figures that more than one layer computes (Throughput).
// Every layer shares this vocabulary: the isolation layer fills in trials,
// the plan records their parameters, the command line writes and reads
// runs, compare and reports read them. It computes no statistics across
// trials and draws nothing, and it imports nothing that does.
//
// Adding a metric to a trial touches, in order:
//
//  1. workloads (the driver's Result) or internal/isolate (the child's
//     report, or the parent's watch), where it is measured;
//  2. this package: a field of Trial (or Series, for a time series), with
//     its unit in the comment and its JSON name, and a function here if
//     more than one place derives it;
//  3. internal/isolate's classify.go, if a killed or crashed trial has it
//     too;
//  4. reports' summary.go (the median over repetitions) and the column
//     or chart that shows it;
//  5. compare's metric.go, if a change in it can be a regression.
package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/chanbench/chanbench/workloads"
)

// Schema is the version of the results document. It changes whenever a
// field changes meaning or disappears; readers refuse other versions.
const Schema = 1

// FileName is the name of the results document inside a results directory.
const FileName = "results.json"

// Results is one run of chanbench: the machine, the workload, and every
// trial. Every chart and report is rebuilt from it alone.
type Results struct {
	// Schema is the document's version; see the Schema constant.
	Schema int `json:"schema"`
	// Tool is the chanbench build that made the run.
	Tool Tool `json:"chanbench"`
	// Label names the run on charts that merge several runs; by default the
	// results directory's name.
	Label string `json:"label,omitempty"`
	// Created is when the run started.
	Created time.Time `json:"created"`
	// Command is the command line of the run.
	Command []string `json:"command,omitempty"`
	// Machine describes where the run happened.
	Machine Machine `json:"machine"`
	// Workload is the exact spec the trials ran, overrides applied.
	Workload workloads.Spec `json:"workload"`
	// Count is the number of repetitions of each trial.
	Count int `json:"count"`
	// Sweep, when set, is the parameter the run varied.
	Sweep *Sweep `json:"sweep,omitempty"`
	// Interrupted is true when the run was stopped before every planned
	// trial had run; Trials holds the finished ones.
	Interrupted bool `json:"interrupted,omitempty"`
	// Trials holds one entry per trial, in the order they ran.
	Trials []Trial `json:"trials"`
}

// Tool identifies a chanbench build.
type Tool struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	// LDFlags are the linker flags the binary was built with, such as
	// -funcalign=64: where the hot code falls relative to cache lines
	// changes the figures, and the flags decide part of it.
	LDFlags string `json:"ldflags,omitempty"`
}

// Machine describes the computer a run happened on.
type Machine struct {
	CPU         string `json:"cpu_model"`
	Cores       int    `json:"cores"`
	GOMAXPROCS  int    `json:"gomaxprocs"`
	MemoryBytes uint64 `json:"memory_bytes"`
	OS          string `json:"os"`
	Arch        string `json:"arch"`
	GoVersion   string `json:"go_version"`
}

// Sweep is a parameter varied across the trials of one run.
type Sweep struct {
	// Key is the swept parameter: producers, consumers, capacity, payload,
	// rate or gomaxprocs.
	Key string `json:"key"`
	// Values are the values in the order given.
	Values []string `json:"values"`
}

// An Outcome is how a trial ended.
type Outcome string

const (
	// OK: the trial ran to the end and every message was accounted for.
	OK Outcome = "ok"
	// OOM: the child passed its memory budget and was killed.
	OOM Outcome = "oom"
	// Timeout: the trial ran past its timeout and was killed.
	Timeout Outcome = "timeout"
	// Crash: the child died on its own (a panic in the queue, a signal).
	Crash Outcome = "crash"
	// Invalid: messages were lost, duplicated or reordered.
	Invalid Outcome = "invalid"
	// Skipped: the queue cannot serve this combination (spsc with several
	// producers); nothing ran.
	Skipped Outcome = "skipped"
)

// Failed reports whether the outcome means the queue misbehaved.
func (o Outcome) Failed() bool { return o == Crash || o == Invalid }

// Params are the effective parameters of a trial.
type Params struct {
	Producers int    `json:"producers"`
	Consumers int    `json:"consumers"`
	Capacity  int    `json:"capacity"`
	Policy    string `json:"policy"`
	// PolicyBy says who carried out Policy when the queue was full: "queue"
	// (a bounded queue blocks, or drops and counts by itself), "producer"
	// (the producer discarded what TrySend refused, or took the oldest value
	// out), or "none" (an unbounded queue is never full).
	PolicyBy     string `json:"policy_by,omitempty"`
	PayloadBytes int64  `json:"payload_bytes"`
	// ValueBytes is the size of the value each queue slot held: the Go type
	// the queue was built for (workloads.Value16 …).
	ValueBytes int     `json:"value_bytes,omitempty"`
	Rate       float64 `json:"rate"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	// Queue holds what the queue's registration said about it when the
	// trial ran, so that a report reads it from the results and not from
	// the registry of whichever binary opens them. Absent from results
	// written before it was recorded.
	Queue *QueueFacts `json:"queue,omitempty"`
}

// QueueFacts are a queue's registered facts (impls.Info) as a trial ran it.
type QueueFacts struct {
	// Bounded: the queue has a fixed capacity and pushes back (or drops)
	// when full; an unbounded queue grows without limit.
	Bounded bool `json:"bounded"`
	// MinCapacity is the smallest capacity the queue accepts when bounded.
	MinCapacity int `json:"min_capacity,omitempty"`
	// MaxProducers and MaxConsumers are the most senders and receivers it
	// serves; 0 means any number.
	MaxProducers int `json:"max_producers,omitempty"`
	MaxConsumers int `json:"max_consumers,omitempty"`
	// Lossy: the queue carries out the dropping policies itself.
	Lossy bool `json:"lossy,omitempty"`
}

// Trial is one run of one queue through the workload in a child process.
type Trial struct {
	// Impl is the queue's registry name.
	Impl string `json:"impl"`
	// Workload is the workload's name.
	Workload string `json:"workload"`
	// Repetition counts from 1 to the run's Count.
	Repetition int `json:"repetition"`
	// SweepKey and SweepValue name the swept parameter's value, if any.
	SweepKey   string `json:"sweep_key,omitempty"`
	SweepValue string `json:"sweep_value,omitempty"`
	// Params are the parameters the trial ran with.
	Params Params `json:"params"`
	// Outcome says how the trial ended; Reason explains anything but ok
	// (the panic text of a crash, what was lost, why it was killed).
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason,omitempty"`

	// ElapsedSec is the measured window in seconds: from the producers'
	// start until the consumers stopped (drain included).
	ElapsedSec float64 `json:"elapsed_s"`
	// Sent counts messages handed to the queue (rejected ones included);
	// Received counts distinct messages received; Dropped counts those
	// discarded by the policy, by the queue or by the producer (see
	// Params.PolicyBy). Lost = Sent - Received - Dropped.
	Sent       int64 `json:"sent"`
	Received   int64 `json:"received"`
	Dropped    int64 `json:"dropped"`
	Lost       int64 `json:"lost"`
	Duplicates int64 `json:"duplicates"`
	// Reordered counts messages received before an earlier message of the
	// same producer by the same consumer.
	Reordered int64 `json:"reordered"`

	// Throughput is messages received per second over the window.
	Throughput float64 `json:"throughput"`
	// SendRate is messages sent per second while the producers ran.
	SendRate float64 `json:"send_rate"`
	// Latency is enqueue-to-dequeue time in nanoseconds.
	Latency *Latency `json:"latency_ns,omitempty"`
	// IntendedLatency, for rate-limited and bursty producers, is measured
	// from the time the schedule meant the message to be sent, so time
	// spent blocked by backpressure shows (coordinated omission).
	IntendedLatency *Latency `json:"intended_latency_ns,omitempty"`

	// PeakRSSBytes is the largest RSS the parent sampled.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// StartRSSBytes is the child's RSS when the producers started: the
	// runtime, the binary's pages and the harness's own state, before any
	// message. Peak minus start is what the workload added.
	StartRSSBytes int64 `json:"start_rss_bytes,omitempty"`
	// RetainedRSSBytes is the RSS at the end of the idle phase (or at the end
	// of the drain without one): memory kept after the queue emptied.
	RetainedRSSBytes int64 `json:"retained_rss_bytes"`
	// PeakHeapBytes is the largest Go heap in use the child reported.
	PeakHeapBytes int64 `json:"peak_heap_bytes"`
	// PeakDepth is the largest queue length sampled.
	PeakDepth int64 `json:"peak_depth"`
	// MemLimitBytes is the budget the trial ran under.
	MemLimitBytes int64 `json:"mem_limit_bytes"`
	// BlockedFraction is the share of the producers' time spent blocked in
	// Send, in [0,1]: exact when every message was sampled
	// (Latency.SampleEvery 1), else estimated from the sampled sends.
	// BlockedCI95 is then the half-width of the estimate's 95% confidence
	// interval, in the same unit; results from before chanbench computed
	// it lack it.
	BlockedFraction float64 `json:"blocked_fraction"`
	BlockedCI95     float64 `json:"blocked_ci95,omitempty"`
	// AllocsPerMsg is heap allocations per message received, over the window.
	AllocsPerMsg float64 `json:"allocs_per_msg"`
	// Phases marks when the producers stopped and the drain ended.
	Phases Phases `json:"phases"`
	// Kill, for oom and timeout, records the moment the parent killed it.
	Kill *Kill `json:"kill,omitempty"`
	// Series holds the sampled time series, at about 20 Hz.
	Series Series `json:"series"`
}

// Latency summarises a latency histogram, in nanoseconds.
type Latency struct {
	// Count is the number of messages measured; SampleEvery says one in
	// how many messages, on average, was stamped.
	Count       int64   `json:"count"`
	SampleEvery int     `json:"sample_every"`
	Mean        float64 `json:"mean"`
	P50         int64   `json:"p50"`
	P90         int64   `json:"p90"`
	P99         int64   `json:"p99"`
	P999        int64   `json:"p999"`
	P9999       int64   `json:"p9999"`
	Max         int64   `json:"max"`
	// Percentiles is the distribution for HDR-style charts: value at each
	// percentile, percentiles ascending in [0,100].
	Percentiles []Percentile `json:"percentiles,omitempty"`
}

// A Percentile is one point of a latency distribution.
type Percentile struct {
	// P is the percentile in [0,100].
	P float64 `json:"p"`
	// NS is the latency at that percentile in nanoseconds.
	NS int64 `json:"ns"`
}

// Phases are moments of a trial, in milliseconds from the producers' start;
// 0 when the phase was not reached.
type Phases struct {
	ProducersDoneMS float64 `json:"producers_done_ms,omitempty"`
	DrainedMS       float64 `json:"drained_ms,omitempty"`
	IdleDoneMS      float64 `json:"idle_done_ms,omitempty"`
}

// Kill is where the parent stopped a child.
type Kill struct {
	// AtMS is the time of the kill from the producers' start.
	AtMS float64 `json:"at_ms"`
	// RSSBytes is the RSS sampled at the kill; for oom it is past the budget.
	RSSBytes int64 `json:"rss_bytes"`
	// Depth is the last queue length the child reported.
	Depth int64 `json:"depth"`
	// OverBudgetBytes is how far past its memory budget the child's RSS got
	// before the kill took effect (the largest RSS sampled minus the
	// budget); 0 for a timeout.
	OverBudgetBytes int64 `json:"over_budget_bytes,omitempty"`
	// Sent and Received are the child's last counts.
	Sent     int64 `json:"sent"`
	Received int64 `json:"received"`
}

// Series is a trial's time series in columns of equal length.
type Series struct {
	TMS      []float64 `json:"t_ms"`
	RSS      []int64   `json:"rss_bytes"`
	Heap     []int64   `json:"heap_bytes"`
	Depth    []int64   `json:"depth"`
	Sent     []int64   `json:"sent"`
	Received []int64   `json:"received"`
}

// Len returns the number of samples.
func (s *Series) Len() int { return len(s.TMS) }

// Append adds one sample.
func (s *Series) Append(tms float64, rss, heap, depth, sent, received int64) {
	s.TMS = append(s.TMS, tms)
	s.RSS = append(s.RSS, rss)
	s.Heap = append(s.Heap, heap)
	s.Depth = append(s.Depth, depth)
	s.Sent = append(s.Sent, sent)
	s.Received = append(s.Received, received)
}

// ErrNotResults is wrapped by Load when a file is JSON but not a chanbench
// results document.
var ErrNotResults = errors.New("not a chanbench results file")

// Load reads a results document from a file, or from FileName inside a
// directory. The error is one line naming the path and the problem.
func Load(path string) (*Results, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, FileName)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file", path)
		}
		return nil, fmt.Errorf("read results: %w", err)
	}
	var probe struct {
		Schema *int             `json:"schema"`
		Trials *json.RawMessage `json:"trials"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, fmt.Errorf("%s: %w (not a JSON object)", path, ErrNotResults)
		}
		return nil, fmt.Errorf("%s: not valid JSON (%v)", path, err)
	}
	if probe.Schema == nil || probe.Trials == nil {
		return nil, fmt.Errorf("%s: %w (no schema or trials)", path, ErrNotResults)
	}
	if *probe.Schema != Schema {
		return nil, fmt.Errorf("%s: results schema %d, this chanbench reads %d", path, *probe.Schema, Schema)
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: damaged results (%v)", path, err)
	}
	if r.Label == "" {
		r.Label = filepath.Base(filepath.Dir(path))
	}
	olderValues(&r)
	return &r, nil
}

// olderValueBytes is the size of the one value type chanbench sent before
// the value size became a workload key.
const olderValueBytes = 56

// olderValues fills in the value size of results written before trials
// recorded it, when every queue carried a 56-byte message: without it, such
// results would read as if they had the default size, and compare would
// match them against runs of another size.
func olderValues(r *Results) {
	if r.Workload.ValueBytes != 0 || len(r.Trials) == 0 {
		return
	}
	for _, t := range r.Trials {
		if t.Params.ValueBytes != 0 {
			return
		}
	}
	r.Workload.ValueBytes = olderValueBytes
	for i := range r.Trials {
		r.Trials[i].Params.ValueBytes = olderValueBytes
	}
}

// Write stores r as FileName in dir atomically: a temporary file in the
// same directory, synced, then renamed over the old one, so a reader never
// sees half a document.
func Write(dir string, r *Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	return WriteFileAtomic(filepath.Join(dir, FileName), append(data, '\n'))
}

// WriteFileAtomic writes data to path through a temporary file and a rename.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	// CreateTemp makes the file private; results are meant to be shared.
	err = f.Chmod(0o644)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// LoadRuns reads the results at path: a results file, a run directory
// holding FileName, or a directory of runs, in which case every FileName
// below it is read (in lexical order of their paths). Errors are one line.
func LoadRuns(path string) ([]*Results, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file or directory", path)
		}
		return nil, fmt.Errorf("read results: %w", err)
	}
	if !st.IsDir() {
		r, err := Load(path)
		if err != nil {
			return nil, err
		}
		return []*Results{r}, nil
	}
	if _, err := os.Stat(filepath.Join(path, FileName)); err == nil {
		r, err := Load(path)
		if err != nil {
			return nil, err
		}
		return []*Results{r}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == FileName {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no %s in it or below it", path, FileName)
	}
	runs := make([]*Results, 0, len(files))
	for _, f := range files {
		r, err := Load(f)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// Throughput is the figure a trial reports as its throughput: messages
// received per second of a window, 0 for an empty one. The child takes the
// window from the start to the drain; a killed trial, from the start to
// the kill.
func Throughput(received int64, windowSec float64) float64 {
	if windowSec <= 0 {
		return 0
	}
	return float64(received) / windowSec
}
