package plan

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// Options are what a run asks for, before they are checked.
type Options struct {
	// Workload is a built-in workload's name or the path of a YAML file.
	Workload string
	// Impls names the queues to run, in that order; empty, or "all" alone,
	// means every registered queue. A queue named here that cannot serve
	// any trial of the run is an error; among "all" it is skipped.
	Impls []string
	// Count is the number of repetitions of each trial, at least 1.
	Count int
	// Sweep is KEY=V1,V2,…: one point of the run per value of the key, one
	// of SweepKeys (value_bytes may be spelled value-bytes). Empty for none.
	Sweep string
	// Override replaces keys of the workload.
	Override Override
	// LatencyEvery stamps one message in LatencyEvery for latency; 0 lets
	// the child choose (workloads.AutoLatencyEvery). Negative is refused.
	LatencyEvery int
	// MachineMemory is the machine's memory in bytes: workloads cap their
	// default budget at half of it, and a budget above half is refused.
	// 0 means unknown: no cap.
	MachineMemory uint64
}

// An Override replaces keys of the workload: each field that is not nil
// replaces the key of the same name.
type Override struct {
	Producers    *int
	Consumers    *int
	Capacity     *int
	Policy       *impls.Policy
	PayloadBytes *workloads.Size
	ValueBytes   *int
	Rate         *float64
	// Messages and Duration exclude each other; either replaces both keys.
	Messages    *int64
	Duration    *workloads.Duration
	Idle        *workloads.Duration
	ServiceTime *workloads.Duration
	MemLimit    *workloads.Size
	// Timeout, when nil, becomes the workload's default timeout if
	// Messages, Duration or Idle changed the planned time.
	Timeout *workloads.Duration
	// GOMAXPROCS is the children's GOMAXPROCS, not a workload key; nil
	// or 0 leaves the machine's default.
	GOMAXPROCS *int
}

// A Plan is a checked run: the workload, the queues, and the trials in the
// order they will run.
type Plan struct {
	// Spec is the workload with the overrides applied, before any sweep.
	Spec workloads.Spec
	// Impls are the queues, in the order each point of the run takes them.
	Impls []string
	// Sweep is the swept key and its values; nil for a run without one.
	Sweep *schema.Sweep
	// Count is the number of repetitions of each trial.
	Count int
	// LatencyEvery is Options.LatencyEvery, for every trial.
	LatencyEvery int
	// Trials are the trials in the order they run: Count × sweep values ×
	// Impls.
	Trials []Trial
}

// A Trial is one planned trial.
type Trial struct {
	// Impl is the queue's registry name.
	Impl string
	// Repetition counts from 1 to Plan.Count.
	Repetition int
	// SweepValue is the swept key's value as given; empty without a sweep.
	SweepValue string
	// Spec is the workload at this trial's point of the sweep.
	Spec workloads.Spec
	// GOMAXPROCS is the child's GOMAXPROCS; 0 leaves the machine's default.
	GOMAXPROCS int
	// Skip says why the queue cannot serve Spec; empty for a trial that
	// runs.
	Skip string
}

// A point is one value of the sweep, or the whole run without one.
type point struct {
	value      string
	spec       workloads.Spec
	gomaxprocs int
}

// New checks the options and lays out the trials.
func New(o Options) (*Plan, error) {
	spec, err := workloads.Load(o.Workload, o.MachineMemory)
	if err != nil {
		return nil, err
	}
	if err := o.Override.apply(&spec, o.MachineMemory); err != nil {
		return nil, err
	}
	procs := 0
	if o.Override.GOMAXPROCS != nil {
		procs = *o.Override.GOMAXPROCS
	}
	switch {
	case o.Count < 1:
		return nil, fmt.Errorf("--count: %d, want at least 1", o.Count)
	case procs < 0:
		return nil, fmt.Errorf("--gomaxprocs: %d is negative", procs)
	case o.LatencyEvery < 0:
		return nil, fmt.Errorf("--latency-every: %d is negative", o.LatencyEvery)
	}
	p := &Plan{Spec: spec, Count: o.Count, LatencyEvery: o.LatencyEvery}
	explicit := !(len(o.Impls) == 0 || len(o.Impls) == 1 && o.Impls[0] == "all")
	if p.Impls, err = queues(o.Impls, explicit); err != nil {
		return nil, err
	}
	points := []point{{spec: spec, gomaxprocs: procs}}
	if o.Sweep != "" {
		if p.Sweep, points, err = sweep(o.Sweep, spec, procs, &o.Override, o.MachineMemory); err != nil {
			return nil, err
		}
	}
	if explicit {
		if err := p.checkServed(points); err != nil {
			return nil, err
		}
	}
	for rep := 1; rep <= o.Count; rep++ {
		for _, pt := range points {
			for _, name := range p.Impls {
				t := Trial{Impl: name, Repetition: rep, SweepValue: pt.value, Spec: pt.spec, GOMAXPROCS: pt.gomaxprocs}
				if err := pt.spec.CheckImpl(name); err != nil {
					t.Skip = err.Error()
				}
				p.Trials = append(p.Trials, t)
			}
		}
	}
	return p, nil
}

// queues returns the queues named, checked, or every registered queue when
// none is named explicitly.
func queues(names []string, explicit bool) ([]string, error) {
	if !explicit {
		return impls.Names(), nil
	}
	var out []string
	for _, name := range names {
		if name == "all" {
			return nil, errors.New("--impl: all means every queue; give it alone, or name the queues")
		}
		if _, ok := impls.Lookup(name); !ok {
			return nil, fmt.Errorf("--impl: unknown queue %q (known: %s)", name, strings.Join(impls.Names(), ", "))
		}
		if slices.Contains(out, name) {
			return nil, fmt.Errorf("--impl: %s given twice", name)
		}
		out = append(out, name)
	}
	return out, nil
}

// checkServed refuses queues named explicitly that the run gives nothing
// to do. When none of them can serve the workload at all, that is the
// user's mistake; a queue that cannot serve it among others that can (ring
// beside chan at capacity 0), or only for some sweep values, is skipped
// with the reason. A drop policy for queues that are all unbounded would
// never act.
func (p *Plan) checkServed(points []point) error {
	var why error
	servesAny := false
	for _, name := range p.Impls {
		for _, pt := range points {
			if err := pt.spec.CheckImpl(name); err != nil {
				why = cmp.Or(why, err)
			} else {
				servesAny = true
			}
		}
	}
	if !servesAny {
		return fmt.Errorf("--impl: %v (workload %s: %s)", why, p.Spec.Name, p.Spec.Shape())
	}
	policy := p.Spec.Policy
	if policy == impls.Block {
		return nil
	}
	for _, name := range p.Impls {
		if info, _ := impls.Lookup(name); info.PolicyBy(policy) != impls.ByNobody {
			return nil
		}
	}
	are := "are"
	if len(p.Impls) == 1 {
		are = "is"
	}
	return fmt.Errorf("--policy %s: %s %s unbounded and never full, so the policy would never act",
		policy, strings.Join(p.Impls, " and "), are)
}

// apply replaces the keys of s that v sets, then validates s.
func (v *Override) apply(s *workloads.Spec, mem uint64) error {
	put(&s.Producers, v.Producers)
	put(&s.Consumers, v.Consumers)
	put(&s.Capacity, v.Capacity)
	put(&s.Policy, v.Policy)
	put(&s.PayloadBytes, v.PayloadBytes)
	put(&s.ValueBytes, v.ValueBytes)
	put(&s.Rate, v.Rate)
	put(&s.Idle, v.Idle)
	put(&s.Consumer.ServiceTime, v.ServiceTime)
	put(&s.MemLimit, v.MemLimit)
	put(&s.Timeout, v.Timeout)
	switch {
	case v.Messages != nil && v.Duration != nil:
		return errors.New("--messages and --duration: give one or the other, not both")
	case v.Messages != nil && *v.Messages < 1:
		return fmt.Errorf("--messages: %d, want at least 1", *v.Messages)
	case v.Duration != nil && *v.Duration == 0:
		return errors.New("--duration: 0, want more than 0")
	case v.ValueBytes != nil && workloads.CheckValueBytes(*v.ValueBytes) != nil:
		return fmt.Errorf("--value-bytes: %w", workloads.CheckValueBytes(*v.ValueBytes))
	case v.Messages != nil:
		s.Messages, s.Duration = *v.Messages, 0
	case v.Duration != nil:
		s.Duration, s.Messages = *v.Duration, 0
	}
	if (v.Duration != nil || v.Messages != nil || v.Idle != nil) && v.Timeout == nil {
		s.Timeout = s.DefaultTimeout()
	}
	if err := s.Validate(mem); err != nil {
		return fmt.Errorf("workload %s: %w", s.Name, err)
	}
	return nil
}

// put sets *dst to *v when v is not nil.
func put[T any](dst, v *T) {
	if v != nil {
		*dst = *v
	}
}
