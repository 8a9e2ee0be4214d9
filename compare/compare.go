package compare

// This file matches the trials of OLD and NEW: it pools the runs of each
// side, pairs the trials that ran the same queue through the same workload
// with the same parameters, and notes what makes the two sides unlike.

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/chanbench/chanbench/schema"
)

// Options configure Runs.
type Options struct {
	// Alpha is the significance level of the U test, in (0,1).
	Alpha float64
	// Threshold is the smallest relative change of the medians that
	// counts, as a fraction in [0,∞): 0.05 means 5%. Changes within it are
	// NoChange however significant.
	Threshold float64
}

// DefaultOptions are benchstat's alpha and a 5% noise threshold.
var DefaultOptions = Options{Alpha: 0.05, Threshold: 0.05}

// A Comparison is the result of comparing the trials of OLD and NEW.
type Comparison struct {
	// Alpha and Threshold are the options it was made with.
	Alpha     float64 `json:"alpha"`
	Threshold float64 `json:"threshold"`
	// Old and New describe the two sides.
	Old Side `json:"old"`
	New Side `json:"new"`
	// Deltas hold one entry per metric per matched queue, grouped by
	// workload and queue in the order OLD ran them.
	Deltas []Delta `json:"deltas"`
	// OnlyOld and OnlyNew name the trial groups that ran on one side only
	// ("steady ring/producers=4"); they are not compared.
	OnlyOld []string `json:"only_old,omitempty"`
	OnlyNew []string `json:"only_new,omitempty"`
	// Notes are warnings about the comparison as a whole: different
	// machines, a workload spec that changed.
	Notes []string `json:"notes,omitempty"`
}

// A Side describes OLD or NEW: where the runs came from and what built
// them.
type Side struct {
	// Path is the file or directory given.
	Path string `json:"path"`
	// Runs is the number of results documents pooled.
	Runs int `json:"runs"`
	// Version is the chanbench build of the first run, "devel (commit)".
	Version string `json:"version"`
	// Workloads are the workload names, in the order first seen.
	Workloads []string `json:"workloads"`
}

// A Delta is one metric of one queue, compared between OLD and NEW.
type Delta struct {
	// Workload, Impl, SweepKey, SweepValue and Params identify the trials
	// compared.
	Workload   string        `json:"workload"`
	Impl       string        `json:"impl"`
	SweepKey   string        `json:"sweep_key,omitempty"`
	SweepValue string        `json:"sweep_value,omitempty"`
	Params     schema.Params `json:"params"`
	// Metric is a Metrics name or OutcomeMetric; Unit is its unit.
	Metric string `json:"metric"`
	Unit   string `json:"unit,omitempty"`
	// Old and New summarise each side's samples: for a metric the median
	// and its 95% confidence interval; for OutcomeMetric the outcomes.
	Old Center `json:"old"`
	New Center `json:"new"`
	// Change is New/Old - 1 of the medians: -0.3 is 30% less. It is ±Inf
	// when Old is 0 and New is not; 0 for OutcomeMetric.
	Change float64 `json:"change"`
	// P is the U test's p-value, in [0,1]; 1 for OutcomeMetric.
	P float64 `json:"p"`
	// Verdict is the finding.
	Verdict Verdict `json:"verdict"`
	// Notes explain the verdict where it needs it: too few samples, all
	// samples equal, failed repetitions.
	Notes []string `json:"notes,omitempty"`
}

// A Center summarises one side of a Delta.
type Center struct {
	// N is the number of samples: repetitions that ended ok (for
	// OutcomeMetric, every repetition that ran).
	N int `json:"n"`
	// Median, Lo and Hi are the median and the bounds of its confidence
	// interval, in the metric's unit; Lo and Hi are ±Inf when the samples
	// are too few for an interval.
	Median float64 `json:"median"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	// Outcome, for OutcomeMetric, is the outcomes as the report's tables
	// write them ("ok", "ok 4/6, oom 2/6").
	Outcome string `json:"outcome,omitempty"`
}

// Queue names the compared trials in one word: the queue, and the sweep
// value when the run swept a parameter ("ring/producers=4").
func (d *Delta) Queue() string {
	if d.SweepKey == "" {
		return d.Impl
	}
	return d.Impl + "/" + d.SweepKey + "=" + d.SweepValue
}

// Regressions returns the Deltas whose verdict is Worse among the
// metrics named in gate (see MetricNames).
func (c *Comparison) Regressions(gate []string) []Delta {
	var out []Delta
	for _, d := range c.Deltas {
		if d.Verdict == Worse && slices.Contains(gate, d.Metric) {
			out = append(out, d)
		}
	}
	return out
}

// Workloads returns the workloads compared, in order.
func (c *Comparison) Workloads() []string {
	var ws []string
	for _, d := range c.Deltas {
		if !slices.Contains(ws, d.Workload) {
			ws = append(ws, d.Workload)
		}
	}
	return ws
}

// groupKey identifies trials that may be compared: the same queue
// through the same workload with the same parameters.
type groupKey struct {
	workload, impl     string
	sweepKey, sweepVal string
	params             schema.Params
}

func (k groupKey) String() string {
	s := k.workload + " " + k.impl
	if k.sweepKey != "" {
		s += "/" + k.sweepKey + "=" + k.sweepVal
	}
	return s
}

// describe names the key with its parameters, for error messages.
func (k groupKey) describe() string {
	p := k.params
	return fmt.Sprintf("%s (producers=%d consumers=%d capacity=%d policy=%s payload=%dB rate=%g gomaxprocs=%d)",
		k, p.Producers, p.Consumers, p.Capacity, p.Policy, p.PayloadBytes, p.Rate, p.GOMAXPROCS)
}

// runPool collects the trials of several runs by groupKey, keeping the order
// in which the groups first appear.
type runPool struct {
	order  []groupKey
	trials map[groupKey][]*schema.Trial
	// workloads are the workload names in the order first seen, with the
	// spec of the first run of each.
	workloads []string
	specs     map[string]*schema.Results
}

func newRunPool(runs []*schema.Results) *runPool {
	p := &runPool{trials: map[groupKey][]*schema.Trial{}, specs: map[string]*schema.Results{}}
	for _, r := range runs {
		if _, ok := p.specs[r.Workload.Name]; !ok {
			p.specs[r.Workload.Name] = r
			p.workloads = append(p.workloads, r.Workload.Name)
		}
		for i := range r.Trials {
			t := &r.Trials[i]
			w := t.Workload
			if w == "" {
				w = r.Workload.Name
			}
			// The queue's recorded facts are not a parameter of the
			// trial (and a pointer, which == would compare by address):
			// trials of one queue match whether or not they recorded them.
			params := t.Params
			params.Queue = nil
			k := groupKey{w, t.Impl, t.SweepKey, t.SweepValue, params}
			if _, ok := p.trials[k]; !ok {
				p.order = append(p.order, k)
			}
			p.trials[k] = append(p.trials[k], t)
		}
	}
	return p
}

func describeSide(path string, runs []*schema.Results, p *runPool) Side {
	s := Side{Path: path, Runs: len(runs), Workloads: p.workloads}
	if len(runs) > 0 {
		s.Version = runs[0].Tool.Version
		if c := runs[0].Tool.Commit; c != "" {
			s.Version += " (" + c + ")"
		}
	}
	return s
}

// Runs matches the trials of old and new by workload, queue and
// parameters, pooling the repetitions of every run on each side, and
// tests each metric. oldPath and newPath only label the sides. It fails
// (with one line) when the two sides share no workload or no trials, or
// when opt is out of range; those are the caller's mistakes.
func Runs(oldPath string, old []*schema.Results, newPath string, new []*schema.Results, opt Options) (*Comparison, error) {
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return nil, fmt.Errorf("alpha %g is out of range (0,1)", opt.Alpha)
	}
	if !(opt.Threshold >= 0) || math.IsInf(opt.Threshold, 0) {
		return nil, fmt.Errorf("threshold %g is out of range [0,∞)", opt.Threshold)
	}
	op, np := newRunPool(old), newRunPool(new)
	c := &Comparison{
		Alpha:     opt.Alpha,
		Threshold: opt.Threshold,
		Old:       describeSide(oldPath, old, op),
		New:       describeSide(newPath, new, np),
	}

	var common []string
	for _, w := range op.workloads {
		if _, ok := np.specs[w]; ok {
			common = append(common, w)
		}
	}
	if len(common) == 0 {
		return nil, fmt.Errorf("mismatched workloads: OLD ran %s, NEW ran %s",
			strings.Join(op.workloads, ", "), strings.Join(np.workloads, ", "))
	}
	c.Notes = sideNotes(old, new, op, np, common)

	matched := 0
	for _, k := range op.order {
		nt, ok := np.trials[k]
		if !ok {
			if _, ok := np.specs[k.workload]; ok {
				c.OnlyOld = append(c.OnlyOld, k.String())
			}
			continue
		}
		matched++
		c.Deltas = append(c.Deltas, compareGroup(k, op.trials[k], nt, opt)...)
	}
	for _, k := range np.order {
		if _, ok := op.trials[k]; !ok {
			if _, ok := op.specs[k.workload]; ok {
				c.OnlyNew = append(c.OnlyNew, k.String())
			}
		}
	}
	if matched == 0 {
		return nil, fmt.Errorf("no trials in common: OLD ran %s; NEW ran %s",
			describeFirst(op, common), describeFirst(np, common))
	}
	return c, nil
}

// sideNotes warns of what makes OLD and NEW unlike besides the code under
// test: a workload spec that changed, interrupted runs, another machine,
// other linker flags. common are the workloads both sides ran; old and
// new are not empty.
func sideNotes(old, new []*schema.Results, op, np *runPool, common []string) []string {
	var notes []string
	for _, w := range common {
		if d := specDiff(op.specs[w], np.specs[w]); d != "" {
			notes = append(notes, fmt.Sprintf("workload %s differs between OLD and NEW (%s)", w, d))
		}
	}
	for _, side := range []struct {
		name string
		runs []*schema.Results
	}{{"OLD", old}, {"NEW", new}} {
		for _, r := range side.runs {
			if r.Interrupted {
				notes = append(notes, fmt.Sprintf("a run of %s (%s) was interrupted: it holds fewer repetitions", side.name, r.Label))
			}
		}
	}
	if m := machineDiff(old[0], new[0]); m != "" {
		notes = append(notes, "OLD and NEW ran on different machines ("+m+"): differences may be the machine's")
	}
	if o, n := old[0].Tool.LDFlags, new[0].Tool.LDFlags; o != n {
		none := func(f string) string {
			if f == "" {
				return "none"
			}
			return f
		}
		notes = append(notes, fmt.Sprintf("OLD and NEW were built with different linker flags (%s, %s): code layout alone can move a queue's figures by a third",
			none(o), none(n)))
	}
	return notes
}

// describeFirst names the first group of p in one of the workloads, and
// how many others there are.
func describeFirst(p *runPool, workloads []string) string {
	var keys []groupKey
	for _, k := range p.order {
		if slices.Contains(workloads, k.workload) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "no trials"
	}
	s := keys[0].describe()
	if len(keys) > 1 {
		s += fmt.Sprintf(" and %d more", len(keys)-1)
	}
	return s
}

// specDiff names the top-level fields of the workload spec that differ
// between a and b, or returns "" when they are the same.
func specDiff(a, b *schema.Results) string {
	if reflect.DeepEqual(a.Workload, b.Workload) {
		return ""
	}
	am, bm := jsonFields(a.Workload), jsonFields(b.Workload)
	var keys []string
	for k := range am {
		keys = append(keys, k)
	}
	for k := range bm {
		if _, ok := am[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var diffs []string
	for _, k := range keys {
		if string(am[k]) != string(bm[k]) {
			diffs = append(diffs, fmt.Sprintf("%s %s vs %s", k, orUnset(am[k]), orUnset(bm[k])))
		}
	}
	return strings.Join(diffs, "; ")
}

func jsonFields(v any) map[string]json.RawMessage {
	data, _ := json.Marshal(v)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(data, &m)
	return m
}

func orUnset(raw json.RawMessage) string {
	if raw == nil {
		return "unset"
	}
	return string(raw)
}

// machineDiff says how two machines differ in what matters to speed, or
// returns "" when they look the same.
func machineDiff(a, b *schema.Results) string {
	ma, mb := a.Machine, b.Machine
	var d []string
	if ma.CPU != mb.CPU {
		d = append(d, fmt.Sprintf("%q vs %q", ma.CPU, mb.CPU))
	}
	if ma.Cores != mb.Cores {
		d = append(d, fmt.Sprintf("%d vs %d cores", ma.Cores, mb.Cores))
	}
	if ma.GOMAXPROCS != mb.GOMAXPROCS {
		d = append(d, fmt.Sprintf("GOMAXPROCS %d vs %d", ma.GOMAXPROCS, mb.GOMAXPROCS))
	}
	if ma.GoVersion != mb.GoVersion {
		d = append(d, ma.GoVersion+" vs "+mb.GoVersion)
	}
	return strings.Join(d, ", ")
}
