package reports

import (
	"fmt"
	"slices"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
)

// This file holds the findings across queues: how they compare, and how each moved across a sweep.

// singleRunNoise is how far apart two queues' throughputs from one
// repetition each must be before the findings rank them: one repetition
// of the same queue on a shared 2-core machine can move this much.
const singleRunNoise = 0.20

// okThroughputs returns the lowest and highest throughput over a row's
// repetitions that ended ok, and how many there were.
func okThroughputs(row *Row) (lo, hi float64, n int) {
	for _, t := range row.Trials {
		if t.Outcome != schema.OK {
			continue
		}
		if n == 0 || t.Throughput < lo {
			lo = t.Throughput
		}
		hi = max(hi, t.Throughput)
		n++
	}
	return lo, hi, n
}

// comparisons compares the queues that completed the run. It ranks them
// by throughput only when the difference stands out of the noise: their
// repetitions do not overlap, or, with one each, they are far apart. A
// queue that dropped a material share of its messages moved fewer of them
// for other work than the rest did: it is named apart, never ranked.
func (v *runView) comparisons() []finding {
	var ok, dropped []*Row
	for i := range v.shown {
		row := &v.shown[i]
		switch {
		case row.Worst != schema.OK || row.Throughput <= 0:
		case lossy(row):
			dropped = append(dropped, row)
		default:
			ok = append(ok, row)
		}
	}
	var out []finding
	every, slowest := "Every queue that completed", "the slowest that completed"
	if len(dropped) > 0 {
		var impls, shares []string
		for _, row := range dropped {
			impls = append(impls, row.Impl)
			shares = append(shares, units.Percent(dropShare(row)))
		}
		is, it, its := "is", "it", "its"
		if len(dropped) > 1 {
			is, it, its = "are", "they", "their"
		}
		others := ""
		if len(ok) > 0 {
			others = " with the others"
		}
		out = append(out, finding{Text: fmt.Sprintf("%s %s not ranked%s: %s dropped %s of %s messages by policy, so %s did not do the same work.",
			joinAnd(impls), is, others, it, joinAnd(shares), its, it)})
		every, slowest = "Every other queue that completed", "the slowest of the others"
	}
	if len(ok) < 2 {
		return out
	}
	byThr := slices.Clone(ok)
	slices.SortStableFunc(byThr, func(a, b *Row) int { return cmpFloat(b.Throughput, a.Throughput) })
	fast, slow := byThr[0], byThr[len(byThr)-1]
	moved := rangeText([]float64{slow.Throughput, fast.Throughput}, units.Count)
	fastLo, _, n := okThroughputs(fast)
	_, slowHi, _ := okThroughputs(slow)
	switch spread := fast.Throughput/slow.Throughput - 1; {
	case spread < 0.05:
		out = append(out, finding{Text: fmt.Sprintf(
			"%s moved %s msg/s, within %s of each other: the workload, not the queue, set the pace.",
			every, moved, units.Percent(spread))})
	case n == 1 && spread < singleRunNoise:
		out = append(out, finding{Text: fmt.Sprintf(
			"%s moved %s msg/s, within %s of each other; one repetition cannot rank them (--count 5 or more can).",
			every, moved, units.Percent(spread))})
	case n > 1 && fastLo <= slowHi:
		out = append(out, finding{Text: fmt.Sprintf(
			"%s moved %s msg/s; the repetitions of the fastest (%s) and the slowest (%s) overlap, so their order is noise.",
			every, moved, fast.Impl, slow.Impl)})
	default:
		out = append(out, finding{Text: fmt.Sprintf("%s was the fastest at %s, %s× %s, %s.",
			fast.Impl, humanRate(fast.Throughput), units.Number(fast.Throughput/slow.Throughput), slow.Impl, slowest)})
	}
	var lat []*Row
	for _, row := range ok {
		if row.P99 > 0 {
			lat = append(lat, row)
		}
	}
	if len(lat) >= 2 {
		slices.SortStableFunc(lat, func(a, b *Row) int { return cmpFloat(a.P99, b.P99) })
		lo, hi := lat[0], lat[len(lat)-1]
		if hi.P99 >= 1.5*lo.P99 {
			out = append(out, finding{Text: fmt.Sprintf("%s had the lowest p99 latency at %s; %s the highest at %s.",
				lo.Impl, units.NS(lo.P99), hi.Impl, units.NS(hi.P99))})
		}
	}
	return out
}

// scalingFindings says how each queue's throughput and tail latency moved
// across the sweep.
func (v *runView) scalingFindings() []finding {
	s := v.r.Sweep
	if s == nil || len(s.Values) < 2 {
		return nil
	}
	var out []finding
	for _, impl := range rowImpls(v.rows) {
		var first, last *Row
		var failed, grew, dropped []string
		for i := range v.rows {
			row := &v.rows[i]
			if row.Impl != impl {
				continue
			}
			if row.Worst == schema.OK && row.Throughput > 0 {
				if first == nil {
					first = row
				}
				last = row
				if lossy(row) {
					dropped = append(dropped, fmt.Sprintf("%s at %s=%s", units.Percent(dropShare(row)), s.Key, row.SweepValue))
				}
				if row.SweepValue != v.at {
					if g := measureGrowth(row.MedianTrial(), v.r.Machine); g.Unbounded {
						text := fmt.Sprintf("at %s=%s it grew without bound, at %s/s", s.Key, row.SweepValue, units.Bytes(g.RSSRate))
						if g.FillSec > 0 {
							text += fmt.Sprintf(", enough to fill the machine's %s in %s", units.Bytes(float64(v.r.Machine.MemoryBytes)), v.fillTime(g.FillSec))
						}
						grew = append(grew, text)
					}
				}
			} else if row.Worst != schema.Skipped {
				failed = append(failed, fmt.Sprintf("%s at %s=%s", row.Worst, s.Key, row.SweepValue))
			}
		}
		var text string
		switch {
		case first == nil && len(failed) == 0:
			continue
		case first == nil:
			text = "did not complete: " + joinAnd(failed) + "."
		case first == last:
			text = fmt.Sprintf("completed only at %s=%s, %s", s.Key, first.SweepValue, perf(first)) + "."
		default:
			text = fmt.Sprintf("%s at %s=%s → %s at %s (%s)", humanRate(first.Throughput), s.Key, first.SweepValue,
				humanRate(last.Throughput), last.SweepValue, units.SignedPercent(last.Throughput/first.Throughput-1))
			if first.P99 > 0 && last.P99 > 0 {
				text += fmt.Sprintf("; p99 %s → %s", units.NS(first.P99), units.NS(last.P99))
			}
			text += "."
		}
		if len(grew) > 0 {
			text += " " + capitalize(joinAnd(grew)) + "."
		}
		if first != nil && len(failed) > 0 {
			text += " It ended in " + joinAnd(failed) + "."
		}
		if len(dropped) > 0 {
			text += " It dropped " + joinAnd(dropped) + " of its messages by policy: its msg/s there counts only those delivered."
		}
		out = append(out, finding{Queue: impl, Text: text})
	}
	return out
}

// rowImpls lists the queues of rows in order of first appearance.
func rowImpls(rows []Row) []string {
	var impls []string
	for _, row := range rows {
		if !slices.Contains(impls, row.Impl) {
			impls = append(impls, row.Impl)
		}
	}
	return impls
}
