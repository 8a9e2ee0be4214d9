package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
)

// This file turns results into findings: sentences that state in numbers
// what the charts show. The charts' captions and both reports use them.
// It holds a run's view and the list of its findings; findings_queue.go
// writes those about one queue, findings_run.go those across queues, and
// findings_growth.go measures growth.

// A runView is one run as the charts and reports show it.
type runView struct {
	r *schema.Results
	// label names the run on merged charts; unique among the runs.
	label string
	// rows are every row of Summarize; shown are those at the sweep value
	// the time-series charts draw (all rows without a sweep).
	rows, shown []Row
	// at is the sweep value shown, "" without a sweep.
	at string
	// killTime spells when a trial was killed and fillTime how long a
	// growth would take to fill the machine, each in one unit across every
	// run of a report.
	killTime, fillTime func(float64) string
}

// newRunViews summarises runs and gives each a unique label.
func newRunViews(runs []*schema.Results) []*runView {
	views := make([]*runView, len(runs))
	seen := map[string]int{}
	for i, r := range runs {
		v := &runView{r: r, label: r.Label, rows: Summarize(r)}
		if v.label == "" || v.label == "." {
			v.label = fmt.Sprintf("run %d", i+1)
		}
		base := v.label
		if n := seen[base]; n > 0 {
			v.label = fmt.Sprintf("%s #%d", base, n+1)
		}
		seen[base]++
		v.shown = v.rows
		if r.Sweep != nil {
			v.at = shownSweepValue(r.Sweep, v.rows)
			v.shown = nil
			for _, row := range v.rows {
				if row.SweepValue == v.at {
					v.shown = append(v.shown, row)
				}
			}
		}
		views[i] = v
	}
	var kills, fills []float64
	for _, v := range views {
		for i := range v.rows {
			row := &v.rows[i]
			for _, t := range row.Trials {
				if t.Kill != nil {
					kills = append(kills, t.Kill.AtMS/1000)
				}
			}
			if row.Worst != schema.Skipped {
				fills = append(fills, measureGrowth(row.MedianTrial(), v.r.Machine).FillSec)
			}
		}
	}
	for _, v := range views {
		v.killTime, v.fillTime = units.SecondsIn(kills...), units.SecondsIn(fills...)
	}
	return views
}

// materialDrop is the share of its messages a queue may drop or reject by
// policy and still be ranked beside queues that delivered every one: past
// it, the queue did a different amount of work for its msg/s.
const materialDrop = 0.01

// dropShare is the median over row's repetitions that ended ok of the
// share of the messages sent that the queue dropped or rejected by policy,
// in [0,1].
func dropShare(row *Row) float64 {
	var shares []float64
	for _, t := range row.Trials {
		if t.Outcome == schema.OK && t.Sent > 0 {
			shares = append(shares, float64(t.Dropped)/float64(t.Sent))
		}
	}
	return Median(shares)
}

// lossy reports whether row dropped a material share of its messages.
func lossy(row *Row) bool { return dropShare(row) >= materialDrop }

// A repSpan says how many repetitions rows hold: recorded (the trials that
// ran, skipped ones aside) and ended ok, as the least and the most over
// the rows that have any. A run that was interrupted, or a queue that
// failed in some repetitions, has fewer than the run's Count.
type repSpan struct {
	ranLo, ranHi, okLo, okHi int
}

func repsOf(rows []*Row) repSpan {
	var rs repSpan
	first, firstOK := true, true
	for _, row := range rows {
		ran, ok := 0, 0
		for _, t := range row.Trials {
			if t.Outcome != schema.Skipped {
				ran++
			}
			if t.Outcome == schema.OK {
				ok++
			}
		}
		if ran > 0 {
			if first {
				rs.ranLo, rs.ranHi, first = ran, ran, false
			}
			rs.ranLo, rs.ranHi = min(rs.ranLo, ran), max(rs.ranHi, ran)
		}
		if ok > 0 {
			if firstOK {
				rs.okLo, rs.okHi, firstOK = ok, ok, false
			}
			rs.okLo, rs.okHi = min(rs.okLo, ok), max(rs.okHi, ok)
		}
	}
	return rs
}

// rowPtrs returns pointers to rows.
func rowPtrs(rows []Row) []*Row {
	out := make([]*Row, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

// over names the repetitions a median over those that ended ok is taken
// over: "3 repetitions", "the 2 repetitions that ended ok", "the
// repetitions that ended ok, 1 to 3 per queue"; "" when no queue had more
// than one.
func (rs repSpan) over() string {
	switch {
	case rs.okHi <= 1:
		return ""
	case rs.okLo == rs.okHi && rs.ranLo == rs.okHi && rs.ranHi == rs.okHi:
		return fmt.Sprintf("%d repetitions", rs.okHi)
	case rs.okLo == rs.okHi:
		return fmt.Sprintf("the %d repetitions that ended ok", rs.okHi)
	}
	return fmt.Sprintf("the repetitions that ended ok, %d to %d per queue", rs.okLo, rs.okHi)
}

// mixed reports whether some queue has repetitions that did not end ok.
func (rs repSpan) mixed() bool { return rs.okLo < rs.ranHi }

// shownSweepValue picks the sweep value the time-series charts draw: the
// last listed value that has a trial which ran, usually the hardest.
func shownSweepValue(s *schema.Sweep, rows []Row) string {
	ran := map[string]bool{}
	for _, row := range rows {
		if row.Worst != schema.Skipped {
			ran[row.SweepValue] = true
		}
	}
	for i := len(s.Values) - 1; i >= 0; i-- {
		if ran[s.Values[i]] {
			return s.Values[i]
		}
	}
	if len(s.Values) > 0 {
		return s.Values[len(s.Values)-1]
	}
	return ""
}

// A finding is one sentence about a queue; Queue is empty for a sentence
// about the run as a whole. Text is plain text that follows the queue's
// name; the writers mark it up.
type finding struct {
	Queue string
	Text  string
}

// findings states what happened to each queue of v at the shown sweep
// value, the trap first: queues killed or growing without bound, then
// failures, then queues that survived; queues that simply held steady
// share one sentence. Comparisons between the queues close the list.
func (v *runView) findings() []finding {
	minPeak := math.Inf(1)
	for _, row := range v.shown {
		if row.Worst != schema.Skipped && row.PeakRSS > 0 {
			minPeak = math.Min(minPeak, row.PeakRSS)
		}
	}
	var ranked [5][]finding
	var steady []*Row
	for i := range v.shown {
		row := &v.shown[i]
		if v.isSteady(row, minPeak) {
			steady = append(steady, row)
			continue
		}
		rank, text := v.queueFinding(row, minPeak)
		ranked[rank] = append(ranked[rank], finding{Queue: row.Impl, Text: text})
	}
	if len(steady) > 0 {
		var impls []string
		for _, row := range steady {
			impls = append(impls, row.Impl)
		}
		ranked[rankHeld] = append(ranked[rankHeld], finding{Queue: joinAnd(impls), Text: steadyFinding(steady)})
	}
	var out []finding
	for _, fs := range ranked {
		out = append(out, fs...)
	}
	return append(out, v.comparisons()...)
}

// Ranks order the findings.
const (
	rankTrap     = iota // killed for memory or time, or growing without bound
	rankFailed          // crashed or failed validation
	rankSurvived        // completed, with something to say of its own
	rankHeld            // completed and held steady
	rankSkipped
)

// rangeText formats the range of xs: "12.5–12.8 MiB", or one value when both
// ends read the same.
func rangeText(xs []float64, f func(float64) string) string {
	lo, hi := f(slices.Min(xs)), f(slices.Max(xs))
	if lo == hi {
		return lo
	}
	// Say the unit once: "12.5–12.8 MiB", "51–55ms".
	if i := unitStart(lo); i > 0 && unitStart(hi) > 0 && lo[i:] == hi[unitStart(hi):] {
		return strings.TrimSpace(lo[:i]) + "–" + hi
	}
	return lo + "–" + hi
}

// unitStart returns where the unit after a number begins, or 0.
func unitStart(s string) int {
	for i := len(s); i > 0; i-- {
		if c := s[i-1]; '0' <= c && c <= '9' {
			if i == len(s) {
				return 0
			}
			return i
		}
	}
	return 0
}

func reasonOr(reason, fallback string) string {
	if reason = strings.TrimSpace(reason); reason == "" {
		return fallback
	}
	return strings.TrimSuffix(reason, ".")
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
