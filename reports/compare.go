package reports

// This file holds the statistics behind `chanbench compare`: matching the
// trials of two sets of runs, and deciding per metric whether NEW is
// better, worse or indistinguishable from OLD.
//
// The decision is benchstat's: the medians of the repetitions are
// compared with the Mann-Whitney U test (golang.org/x/perf/benchmath,
// AssumeNothing), which assumes nothing about the shape of the
// distributions. A change counts only when it is significant at the
// chosen alpha AND the medians differ by more than a noise threshold:
// on a shared CI machine a significant 1% shift is usually the machine.
// Compare does not guess where the samples are too few to reach
// significance; it says how many are needed.

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/chanbench/chanbench/schema"
	"golang.org/x/perf/benchmath"
)

// A Metric is a figure that compare tests across repetitions.
type Metric struct {
	// Name is the metric's name on the command line (--fail-on) and in
	// JSON output: throughput, p50, p99, rss or allocs.
	Name string
	// Label names the metric in tables.
	Label string
	// Unit is the unit of the values: msg/s, ns, B or allocs/msg.
	Unit string
	// HigherIsBetter is true for throughput and false for the others.
	HigherIsBetter bool
	// Floor is the smallest absolute change of the medians that counts,
	// in Unit; 0 for none. Allocations per message are counted over the
	// whole process, so the runtime's own few allocations show as tiny
	// fractions that move by large percentages.
	Floor float64
	// value reads the metric from a trial that ended ok; false when the
	// trial did not record it.
	value func(*schema.Trial) (float64, bool)
}

// Metrics are the figures compare tests, in the order it reports them.
var Metrics = []Metric{
	{Name: "throughput", Label: "throughput", Unit: "msg/s", HigherIsBetter: true,
		value: func(t *schema.Trial) (float64, bool) { return t.Throughput, true }},
	{Name: "p50", Label: "p50 latency", Unit: "ns",
		value: func(t *schema.Trial) (float64, bool) {
			if t.Latency == nil {
				return 0, false
			}
			return float64(t.Latency.P50), true
		}},
	{Name: "p99", Label: "p99 latency", Unit: "ns",
		value: func(t *schema.Trial) (float64, bool) {
			if t.Latency == nil {
				return 0, false
			}
			return float64(t.Latency.P99), true
		}},
	{Name: "rss", Label: "peak RSS", Unit: "B",
		value: func(t *schema.Trial) (float64, bool) { return float64(t.PeakRSSBytes), t.PeakRSSBytes > 0 }},
	{Name: "allocs", Label: "allocs/msg", Unit: "allocs/msg", Floor: 0.01,
		value: func(t *schema.Trial) (float64, bool) { return t.AllocsPerMsg, true }},
}

// OutcomeMetric names the pseudo-metric that compares how the
// repetitions ended: a queue that went from ok to oom, timeout, crash or
// invalid is worse.
const OutcomeMetric = "outcome"

// MetricNames lists every name --fail-on accepts, OutcomeMetric last.
func MetricNames() []string {
	names := make([]string, 0, len(Metrics)+1)
	for _, m := range Metrics {
		names = append(names, m.Name)
	}
	return append(names, OutcomeMetric)
}

// A Verdict is compare's finding for one metric of one queue.
type Verdict string

const (
	// Better: the change is significant and beyond the threshold, in the
	// good direction.
	Better Verdict = "better"
	// Worse: the change is significant and beyond the threshold, in the
	// bad direction; or more repetitions failed.
	Worse Verdict = "worse"
	// NoChange ("~"): not significant, within the threshold, or too few
	// samples to tell (the Delta's Notes say which).
	NoChange Verdict = "~"
)

// CompareOptions configure Compare.
type CompareOptions struct {
	// Alpha is the significance level of the U test, in (0,1).
	Alpha float64
	// Threshold is the smallest relative change of the medians that
	// counts, as a fraction in [0,∞): 0.05 means 5%. Changes within it are
	// NoChange however significant.
	Threshold float64
}

// DefaultCompareOptions are benchstat's alpha and a 5% noise threshold.
var DefaultCompareOptions = CompareOptions{Alpha: 0.05, Threshold: 0.05}

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
	// ("steady ring producers=4"); they are not compared.
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
	// Outcome, for OutcomeMetric, is the outcomes as Row.Outcome writes
	// them ("ok", "ok 4/6, oom 2/6").
	Outcome string `json:"outcome,omitempty"`
}

// ciConfidence is the confidence level of the intervals shown next to
// the medians, as benchstat's default.
const ciConfidence = 0.95

// MarshalJSON writes non-finite numbers (a change from 0, an interval
// too wide to bound) as null: JSON has no infinity.
func (d Delta) MarshalJSON() ([]byte, error) {
	type plain Delta
	return json.Marshal(struct {
		plain
		Change *float64 `json:"change"`
	}{plain(d), cmpFinite(d.Change)})
}

// MarshalJSON writes infinite bounds as null.
func (c Center) MarshalJSON() ([]byte, error) {
	type plain Center
	return json.Marshal(struct {
		plain
		Lo *float64 `json:"lo"`
		Hi *float64 `json:"hi"`
	}{plain(c), cmpFinite(c.Lo), cmpFinite(c.Hi)})
}

func cmpFinite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return &x
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
			k := groupKey{w, t.Impl, t.SweepKey, t.SweepValue, t.Params}
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

// Compare matches the trials of old and new by workload, queue and
// parameters, pooling the repetitions of every run on each side, and
// tests each metric. oldPath and newPath only label the sides. It fails
// (with one line) when the two sides share no workload or no trials, or
// when opt is out of range; those are the caller's mistakes.
func Compare(oldPath string, old []*schema.Results, newPath string, new []*schema.Results, opt CompareOptions) (*Comparison, error) {
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
	for _, w := range common {
		if d := specDiff(op.specs[w], np.specs[w]); d != "" {
			c.Notes = append(c.Notes, fmt.Sprintf("workload %s differs between OLD and NEW (%s)", w, d))
		}
	}
	for _, side := range []struct {
		name string
		runs []*schema.Results
	}{{"OLD", old}, {"NEW", new}} {
		for _, r := range side.runs {
			if r.Interrupted {
				c.Notes = append(c.Notes, fmt.Sprintf("a run of %s (%s) was interrupted: it holds fewer repetitions", side.name, r.Label))
			}
		}
	}
	if m := machineDiff(old[0], new[0]); m != "" {
		c.Notes = append(c.Notes, "OLD and NEW ran on different machines ("+m+"): differences may be the machine's")
	}
	if o, n := old[0].Tool.LDFlags, new[0].Tool.LDFlags; o != n {
		none := func(f string) string {
			if f == "" {
				return "none"
			}
			return f
		}
		c.Notes = append(c.Notes, fmt.Sprintf("OLD and NEW were built with different linker flags (%s, %s): code layout alone can move a queue's figures by a third",
			none(o), none(n)))
	}

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

// compareGroup compares the trials of one queue: how they ended, then
// each metric over the repetitions that ended ok.
func compareGroup(k groupKey, old, new []*schema.Trial, opt CompareOptions) []Delta {
	base := Delta{Workload: k.workload, Impl: k.impl, SweepKey: k.sweepKey, SweepValue: k.sweepVal, Params: k.params}
	var out []Delta
	if d, ok := compareOutcomes(base, old, new); ok {
		out = append(out, d)
	}
	thresholds := &benchmath.Thresholds{CompareAlpha: opt.Alpha}
	for _, m := range Metrics {
		ov, oRecorded := okValues(m, old)
		nv, nRecorded := okValues(m, new)
		if !oRecorded && !nRecorded {
			continue
		}
		if len(ov) == 0 || len(nv) == 0 {
			// Nothing to test: a side had no ok repetition; the outcome
			// row says so.
			continue
		}
		if m.Name == "allocs" && cmpAllZero(ov) && cmpAllZero(nv) {
			// Not recorded, or no allocation at all: nothing to say.
			continue
		}
		out = append(out, compareMetric(base, m, ov, nv, thresholds, opt.Threshold))
	}
	return out
}

// okValues returns the metric's values over the repetitions that ended
// ok, and whether any of them recorded it.
func okValues(m Metric, ts []*schema.Trial) (vals []float64, recorded bool) {
	for _, t := range ts {
		if t.Outcome != schema.OK {
			continue
		}
		if v, ok := m.value(t); ok {
			vals = append(vals, v)
			recorded = true
		}
	}
	return vals, recorded
}

func cmpAllZero(xs []float64) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}

// compareMetric runs the U test on one metric of one queue. The verdict
// needs both significance (p <= alpha, benchstat's rule) and a change of
// the medians beyond the threshold (and beyond the metric's floor).
func compareMetric(base Delta, m Metric, ov, nv []float64, th *benchmath.Thresholds, threshold float64) Delta {
	d := base
	d.Metric, d.Unit = m.Name, m.Unit
	oldS, newS := benchmath.NewSample(ov, th), benchmath.NewSample(nv, th)
	d.Old = cmpSummarize(oldS)
	d.New = cmpSummarize(newS)
	cmp := benchmath.AssumeNothing.Compare(oldS, newS)
	d.P = cmp.P
	for _, w := range cmp.Warnings {
		d.Notes = append(d.Notes, w.Error())
	}
	d.Change = relChange(d.Old.Median, d.New.Median)
	d.Verdict = NoChange
	beyond := math.Abs(d.Change) > threshold && math.Abs(d.New.Median-d.Old.Median) >= m.Floor
	if cmp.P <= cmp.Alpha && beyond {
		if (d.Change > 0) == m.HigherIsBetter {
			d.Verdict = Better
		} else {
			d.Verdict = Worse
		}
	}
	return d
}

func cmpSummarize(s *benchmath.Sample) Center {
	sum := benchmath.AssumeNothing.Summary(s, ciConfidence)
	return Center{N: len(s.Values), Median: sum.Center, Lo: sum.Lo, Hi: sum.Hi}
}

// relChange returns new/old - 1, ±Inf when old is 0 and new is not.
func relChange(old, new float64) float64 {
	switch {
	case old == new:
		return 0
	case old == 0:
		return math.Copysign(math.Inf(1), new)
	}
	return new/old - 1
}

// compareOutcomes compares how the repetitions ended. It returns false
// when every repetition on both sides ended ok (or was skipped): then
// there is nothing to report. The verdict is Worse when a larger share
// of NEW's repetitions failed, Better when a smaller one did; a queue
// that runs out of memory on both sides (the unbounded-queue trap) is
// NoChange.
func compareOutcomes(base Delta, old, new []*schema.Trial) (Delta, bool) {
	oBad, oRan := cmpFailures(old)
	nBad, nRan := cmpFailures(new)
	if oBad == 0 && nBad == 0 {
		return Delta{}, false
	}
	d := base
	d.Metric = OutcomeMetric
	d.Old = Center{N: oRan, Outcome: cmpOutcomes(old)}
	d.New = Center{N: nRan, Outcome: cmpOutcomes(new)}
	d.P = 1
	d.Verdict = NoChange
	if oRan == 0 || nRan == 0 {
		return d, true
	}
	// Compare the failed shares as fractions without dividing.
	switch o, n := oBad*nRan, nBad*oRan; {
	case n > o:
		d.Verdict = Worse
		if r := cmpFirstReason(new); r != "" {
			d.Notes = append(d.Notes, "NEW: "+r)
		}
	case n < o:
		d.Verdict = Better
	}
	return d, true
}

// cmpFailures counts the repetitions that ran and those that did not end ok.
func cmpFailures(ts []*schema.Trial) (bad, ran int) {
	for _, t := range ts {
		if t.Outcome == schema.Skipped {
			continue
		}
		ran++
		if t.Outcome != schema.OK {
			bad++
		}
	}
	return bad, ran
}

// cmpOutcomes writes the outcomes as Row.Outcome does: "ok", or
// "ok 4/6, oom 2/6", most common first.
func cmpOutcomes(ts []*schema.Trial) string {
	counts := map[schema.Outcome]int{}
	var order []schema.Outcome
	for _, t := range ts {
		if counts[t.Outcome] == 0 {
			order = append(order, t.Outcome)
		}
		counts[t.Outcome]++
	}
	if len(order) == 1 {
		return string(order[0])
	}
	sort.SliceStable(order, func(i, j int) bool { return counts[order[i]] > counts[order[j]] })
	parts := make([]string, len(order))
	for i, o := range order {
		parts[i] = fmt.Sprintf("%s %d/%d", o, counts[o], len(ts))
	}
	return strings.Join(parts, ", ")
}

func cmpFirstReason(ts []*schema.Trial) string {
	for _, t := range ts {
		if t.Outcome != schema.OK && t.Outcome != schema.Skipped && t.Reason != "" {
			return string(t.Outcome) + ": " + cmpFirstLine(t.Reason)
		}
	}
	return ""
}

func cmpFirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	const max = 120
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// specDiff names the top-level fields of the workload spec that differ
// between a and b, or returns "" when they are the same.
func specDiff(a, b *schema.Results) string {
	if reflect.DeepEqual(a.Workload, b.Workload) {
		return ""
	}
	am, bm := cmpJSONFields(a.Workload), cmpJSONFields(b.Workload)
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
			diffs = append(diffs, fmt.Sprintf("%s %s vs %s", k, cmpOrNone(am[k]), cmpOrNone(bm[k])))
		}
	}
	return strings.Join(diffs, "; ")
}

func cmpJSONFields(v any) map[string]json.RawMessage {
	data, _ := json.Marshal(v)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(data, &m)
	return m
}

func cmpOrNone(raw json.RawMessage) string {
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
