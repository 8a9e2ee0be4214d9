package plan

import (
	"context"
	"errors"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/isolate"
	"github.com/chanbench/chanbench/schema"
)

// A Runner runs the trials of a plan, each in a child process.
type Runner struct {
	// Command is the child's command line: the chanbench binary and the
	// hidden subcommand that calls isolate.Child.
	Command []string
	// GOMAXPROCS is the machine's default GOMAXPROCS, which a child given
	// none runs with: it is recorded in such trials' parameters.
	GOMAXPROCS int
	// Watch, if not nil, is told of each trial as it starts and ends.
	Watch Watcher
}

// A Watcher is told of a run's progress. Start, Done and Skipped are called
// in the order of the plan's trials, from the goroutine that called Run;
// Sample from the child's watcher, between Start and Done.
type Watcher interface {
	// Start is called before Plan.Trials[i] runs.
	Start(i int)
	// Sample is called at every sample of the running trial.
	Sample(isolate.Status)
	// Done is called when Plan.Trials[i] ended, with its outcome:
	// "interrupted" or "not started" for a trial that did not end.
	Done(i int, t *schema.Trial)
	// Skipped is called in place of Start and Done for a trial whose
	// queue cannot serve it (Plan.Trials[i].Skip says why).
	Skipped(i int)
}

// Run runs p's trials in order and returns those that reached an outcome
// (skipped is one), each with its queue, workload, repetition, sweep value
// and parameters filled in. It stops early, keeping what it has, when ctx
// is cancelled, returning isolate.ErrInterrupted, or when a child could not
// be started, returning why; a ctx cancelled after the last trial returns
// ErrInterrupted too.
func (r *Runner) Run(ctx context.Context, p *Plan) ([]schema.Trial, error) {
	w := r.Watch
	if w == nil {
		w = nobody{}
	}
	runner := &isolate.Runner{Command: r.Command, OnSample: w.Sample}
	trials := []schema.Trial{}
	for i, pt := range p.Trials {
		if ctx.Err() != nil {
			break
		}
		var t schema.Trial
		if pt.Skip == "" {
			w.Start(i)
			cfg := isolate.Config{Impl: pt.Impl, Spec: pt.Spec, GOMAXPROCS: pt.GOMAXPROCS, LatencyEvery: p.LatencyEvery, Seed: uint64(pt.Repetition)}
			var err error
			t, err = runner.Run(ctx, cfg)
			if errors.Is(err, isolate.ErrInterrupted) {
				w.Done(i, &schema.Trial{Outcome: "interrupted"})
				break
			}
			if err != nil {
				w.Done(i, &schema.Trial{Outcome: "not started"})
				return trials, err
			}
			w.Done(i, &t)
		} else {
			t = schema.Trial{Outcome: schema.Skipped, Reason: pt.Skip, MemLimitBytes: int64(pt.Spec.MemLimit)}
			w.Skipped(i)
		}
		t.Impl, t.Workload, t.Repetition = pt.Impl, p.Spec.Name, pt.Repetition
		if p.Sweep != nil {
			t.SweepKey, t.SweepValue = p.Sweep.Key, pt.SweepValue
		}
		t.Params = pt.params(r.GOMAXPROCS)
		trials = append(trials, t)
	}
	if ctx.Err() != nil {
		return trials, isolate.ErrInterrupted
	}
	return trials, nil
}

// params are the trial's effective parameters; a child given no GOMAXPROCS
// runs with the machine's default.
func (pt *Trial) params(defaultProcs int) schema.Params {
	s := pt.Spec
	procs := pt.GOMAXPROCS
	if procs == 0 {
		procs = defaultProcs
	}
	info, _ := impls.Lookup(pt.Impl)
	return schema.Params{
		Producers: s.Producers, Consumers: s.Consumers, Capacity: s.Capacity, Policy: s.Policy.String(),
		PolicyBy:     string(info.PolicyBy(s.Policy)),
		PayloadBytes: int64(s.PayloadBytes), ValueBytes: s.Value(), Rate: s.Rate, GOMAXPROCS: procs,
		Queue: &schema.QueueFacts{
			Bounded: info.Bounded, MinCapacity: info.MinCapacity,
			MaxProducers: info.MaxProducers, MaxConsumers: info.MaxConsumers, Lossy: info.Lossy,
		},
	}
}

// nobody is the Watcher of a run no one watches.
type nobody struct{}

func (nobody) Start(int)               {}
func (nobody) Sample(isolate.Status)   {}
func (nobody) Done(int, *schema.Trial) {}
func (nobody) Skipped(int)             {}

var _ Watcher = nobody{}
