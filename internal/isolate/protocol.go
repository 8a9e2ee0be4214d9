package isolate

import (
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// Config is what the parent tells the child to run.
type Config struct {
	// Impl is the queue's registry name.
	Impl string `json:"impl"`
	// Spec is the workload, overrides applied.
	Spec workloads.Spec `json:"spec"`
	// GOMAXPROCS, when above 0, is set in the child before the trial.
	GOMAXPROCS int `json:"gomaxprocs,omitempty"`
	// LatencyEvery stamps one message in LatencyEvery, on average; 0 chooses.
	LatencyEvery int `json:"latency_every,omitempty"`
	// Seed seeds the consumers' jitter and the choice of messages to stamp.
	Seed uint64 `json:"seed,omitempty"`
}

// An Event is one line the child writes to the parent.
type Event struct {
	// Kind is "sample", "phase" or "result".
	Kind string `json:"kind"`
	// TMS is the time since the producers started, in milliseconds.
	TMS float64 `json:"t_ms"`

	// Sample fields: Go heap in use, queue depth, messages so far.
	Heap     int64 `json:"heap,omitempty"`
	Depth    int64 `json:"depth,omitempty"`
	Sent     int64 `json:"sent,omitempty"`
	Received int64 `json:"received,omitempty"`

	// Phase is the phase reached, for phase events; RSS is the child's own
	// RSS at that moment.
	Phase workloads.Phase `json:"phase,omitempty"`
	RSS   int64           `json:"rss,omitempty"`

	// Trial is the child's measurements, for the result event. The parent
	// fills in memory, series and outcome.
	Trial *schema.Trial `json:"trial,omitempty"`
}

const (
	kindSample = "sample"
	kindPhase  = "phase"
	kindResult = "result"
)
