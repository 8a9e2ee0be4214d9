package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chanbench/chanbench/schema"
	"github.com/montanaflynn/stats"
)

// A Row summarises the repetitions of one queue (at one sweep value): the
// median of each figure across the repetitions that completed, and the
// spread of the throughput.
type Row struct {
	Impl       string
	SweepValue string
	// Trials are the repetitions, in the order they ran.
	Trials []*schema.Trial
	// Outcome is the common outcome, or a mix such as "ok 2/3, oom 1/3".

	Outcome string
	// Worst is the most serious outcome among the repetitions.
	Worst schema.Outcome
	// Throughput is the median in msg/s; ThroughputSpread is (max-min)/median
	// over the repetitions, in [0,∞), 0 with one repetition.
	Throughput       float64
	ThroughputSpread float64
	// Latency medians in nanoseconds.
	P50, P99, P999, Max float64
	// IntendedP99 is the median p99 latency from the scheduled send time
	// (paced producers only; 0 otherwise): it includes time blocked by
	// backpressure.
	IntendedP99 float64
	// Memory medians in bytes.
	PeakRSS, RetainedRSS float64
	// BlockedFraction is the median share of producer time blocked, [0,1].
	// BlockedSampled says BlockedFraction was estimated from a
	// sample of the sends (some repetition sampled fewer than every
	// message), not measured on each: the views do not show it as a figure.
	BlockedFraction float64
	BlockedSampled  bool
	// Dropped is the median of values dropped by policy; Lost, Duplicates and
	// Reordered are the totals over every repetition (they should be 0).
	Dropped                     float64
	Lost, Duplicates, Reordered int64
	// Reason is the first non-empty reason among the repetitions.
	Reason string
}

// severity orders outcomes from benign to serious for Row.Worst.
var severity = map[schema.Outcome]int{schema.Skipped: 0, schema.OK: 1, schema.OOM: 2, schema.Timeout: 3, schema.Invalid: 4, schema.Crash: 5}

// Summarize groups the trials of r by queue and sweep value, in the order
// the queues first appear and the sweep values are listed.
func Summarize(r *schema.Results) []Row {
	type key struct{ impl, sweep string }
	groups := map[key]*Row{}
	var order []key
	for i := range r.Trials {
		t := &r.Trials[i]
		k := key{t.Impl, t.SweepValue}
		g, ok := groups[k]
		if !ok {
			g = &Row{Impl: t.Impl, SweepValue: t.SweepValue}
			groups[k] = g
			order = append(order, k)
		}
		g.Trials = append(g.Trials, t)
	}
	if r.Sweep != nil {
		pos := map[string]int{}
		for i, v := range r.Sweep.Values {
			pos[v] = i
		}
		implPos := map[string]int{}
		for _, k := range order {
			if _, ok := implPos[k.impl]; !ok {
				implPos[k.impl] = len(implPos)
			}
		}
		sort.SliceStable(order, func(i, j int) bool {
			if order[i].impl != order[j].impl {
				return implPos[order[i].impl] < implPos[order[j].impl]
			}
			return pos[order[i].sweep] < pos[order[j].sweep]
		})
	}
	rows := make([]Row, 0, len(order))
	for _, k := range order {
		g := groups[k]
		g.fill()
		rows = append(rows, *g)
	}
	return rows
}

func (g *Row) fill() {
	counts := map[schema.Outcome]int{}
	var outcomes []schema.Outcome
	var thr, p50, p99, p999, max, ip99, peak, retained, blocked, dropped []float64
	for _, t := range g.Trials {
		if counts[t.Outcome] == 0 {
			outcomes = append(outcomes, t.Outcome)
		}
		counts[t.Outcome]++
		if severity[t.Outcome] > severity[g.Worst] || g.Worst == "" {
			g.Worst = t.Outcome
		}
		if g.Reason == "" {
			g.Reason = t.Reason
		}
		g.Lost += t.Lost
		g.Duplicates += t.Duplicates
		g.Reordered += t.Reordered
		if t.Outcome == schema.Skipped {
			continue
		}
		peak = append(peak, float64(t.PeakRSSBytes))
		if t.Outcome != schema.OK {
			continue
		}
		thr = append(thr, t.Throughput)
		if l := t.Latency; l != nil {
			// An unbounded queue is never full: its 0 is exact however
			// few sends were timed.
			g.BlockedSampled = g.BlockedSampled || l.SampleEvery > 1 && t.Params.PolicyBy != "none"
			p50 = append(p50, float64(l.P50))
			p99 = append(p99, float64(l.P99))
			p999 = append(p999, float64(l.P999))
			max = append(max, float64(l.Max))
		}
		if l := t.IntendedLatency; l != nil {
			ip99 = append(ip99, float64(l.P99))
		}
		retained = append(retained, float64(t.RetainedRSSBytes))
		blocked = append(blocked, t.BlockedFraction)
		dropped = append(dropped, float64(t.Dropped))
	}
	if len(outcomes) == 1 {
		g.Outcome = string(outcomes[0])
	} else {
		parts := make([]string, len(outcomes))
		for i, o := range outcomes {
			parts[i] = fmt.Sprintf("%s %d/%d", o, counts[o], len(g.Trials))
		}
		g.Outcome = strings.Join(parts, ", ")
	}
	g.Throughput = Median(thr)
	if len(thr) > 1 && g.Throughput > 0 {
		lo, _ := stats.Min(thr)
		hi, _ := stats.Max(thr)
		g.ThroughputSpread = (hi - lo) / g.Throughput
	}
	g.P50, g.P99, g.P999, g.Max = Median(p50), Median(p99), Median(p999), Median(max)
	g.IntendedP99 = Median(ip99)
	g.PeakRSS, g.RetainedRSS = Median(peak), Median(retained)
	g.BlockedFraction, g.Dropped = Median(blocked), Median(dropped)
	// Results written before trials recorded policy_by cannot tell an
	// unbounded queue's exact 0 from an estimate; they show a 0 as measured.
	g.BlockedSampled = g.BlockedSampled && (g.BlockedFraction > 0 || g.Trials[0].Params.PolicyBy != "")
}

// Median returns the median of xs, or 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	m, _ := stats.Median(xs)
	return m
}

// MedianTrial returns the repetition of row whose throughput (or, for a
// failed row, peak RSS) is the median: the one charts draw as the queue's
// line.
func (g *Row) MedianTrial() *schema.Trial {
	if len(g.Trials) == 0 {
		return nil
	}
	ts := append([]*schema.Trial(nil), g.Trials...)
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].Outcome == schema.OK && ts[j].Outcome == schema.OK {
			return ts[i].Throughput < ts[j].Throughput
		}
		return ts[i].PeakRSSBytes < ts[j].PeakRSSBytes
	})
	return ts[(len(ts)-1)/2]
}
