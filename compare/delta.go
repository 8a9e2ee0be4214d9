package compare

// This file holds the statistics: for one queue, how its repetitions ended
// on each side, and for each metric the U test over the repetitions that
// ended ok, with the verdict it supports.

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/chanbench/chanbench/schema"
	"golang.org/x/perf/benchmath"
)

// ciConfidence is the confidence level of the intervals shown next to
// the medians, as benchstat's default.
const ciConfidence = 0.95

// compareGroup compares the trials of one queue: how they ended, then
// each metric over the repetitions that ended ok.
func compareGroup(k groupKey, old, new []*schema.Trial, opt Options) []Delta {
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
		if m.Name == "allocs" && allZero(ov) && allZero(nv) {
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

func allZero(xs []float64) bool {
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
	d.Old = summarize(oldS)
	d.New = summarize(newS)
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

func summarize(s *benchmath.Sample) Center {
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
	oBad, oRan := failures(old)
	nBad, nRan := failures(new)
	if oBad == 0 && nBad == 0 {
		return Delta{}, false
	}
	d := base
	d.Metric = OutcomeMetric
	d.Old = Center{N: oRan, Outcome: outcomes(old)}
	d.New = Center{N: nRan, Outcome: outcomes(new)}
	d.P = 1
	d.Verdict = NoChange
	if oRan == 0 || nRan == 0 {
		return d, true
	}
	// Compare the failed shares as fractions without dividing.
	switch o, n := oBad*nRan, nBad*oRan; {
	case n > o:
		d.Verdict = Worse
		if r := firstReason(new); r != "" {
			d.Notes = append(d.Notes, "NEW: "+r)
		}
	case n < o:
		d.Verdict = Better
	}
	return d, true
}

// failures counts the repetitions that ran and those that did not end ok.
func failures(ts []*schema.Trial) (bad, ran int) {
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

// outcomes writes the outcomes as the report's tables do: "ok", or
// "ok 4/6, oom 2/6", most common first.
func outcomes(ts []*schema.Trial) string {
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

func firstReason(ts []*schema.Trial) string {
	for _, t := range ts {
		if t.Outcome != schema.OK && t.Outcome != schema.Skipped && t.Reason != "" {
			return string(t.Outcome) + ": " + firstLine(t.Reason)
		}
	}
	return ""
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	const max = 120
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}
