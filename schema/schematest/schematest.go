// Package schematest builds small results documents for the tests of the
// packages that read them (compare, the Go benchmark export). It is for
// tests only, and checks nothing.
package schematest

import (
	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// Run returns a results document of workload (1 producer, 1 consumer,
// capacity 1024) made on a 2-core test machine by a build at commit, with
// the given trials.
func Run(workload, commit string, trials ...schema.Trial) *schema.Results {
	r := &schema.Results{
		Schema:   schema.Schema,
		Tool:     schema.Tool{Version: "devel", Commit: commit},
		Machine:  schema.Machine{CPU: "Test CPU", Cores: 2, GOMAXPROCS: 2, OS: "linux", Arch: "amd64", GoVersion: "go1.26"},
		Workload: workloads.Spec{Name: workload, Producers: 1, Consumers: 1, Capacity: 1024, Policy: impls.Block},
		Trials:   trials,
	}
	for i := range r.Trials {
		r.Trials[i].Workload = workload
	}
	return r
}

// Reps returns one ok trial of impl per throughput, with latencies and
// peak RSS that grow a little with the repetition, and no allocations.
func Reps(impl string, throughputs ...float64) []schema.Trial {
	ts := make([]schema.Trial, len(throughputs))
	for i, thr := range throughputs {
		ts[i] = schema.Trial{
			Impl:         impl,
			Repetition:   i + 1,
			Params:       schema.Params{Producers: 1, Consumers: 1, Capacity: 1024, Policy: "block", GOMAXPROCS: 2},
			Outcome:      schema.OK,
			Throughput:   thr,
			Latency:      &schema.Latency{P50: 100 + int64(i), P99: 1000 + int64(i)},
			PeakRSSBytes: 10<<20 + int64(i)<<10,
		}
	}
	return ts
}
