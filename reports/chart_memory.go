package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file draws the memory chart: each queue's RSS over time, the
// memory budget, and where trials were killed.

// memory draws RSS over time: the chart that shows the trap.
func (cs *chartSet) memory() (*plotkit.Figure, error) {
	ls := cs.withSeries()
	if len(ls) == 0 {
		return nil, nil
	}
	p := timePanel()
	p.Y.Label.Text = "RSS (MiB)"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	ph := phasesOf(ls)
	behind, labels, front := ph.marks(rssAt)
	p.Add(behind)
	f := &plotkit.Figure{Name: "memory", Title: cs.workload + ": memory over time"}
	kills, err := drawSeries(p, f, ls, rssSeries, func(k *schema.Kill) float64 { return float64(k.RSSBytes) / mib })
	if err != nil {
		return nil, err
	}
	bs := budgets(ls)
	top, offChart := addBudgets(p, bs, peakRSS(ls), kills)
	addKills(p, f, kills)
	drained := ph.addDrains(p, f, front)
	p.Add(labels)
	p.X.Min = math.Min(0, p.X.Min)
	p.Y.Min, p.Y.Max = 0, top*1.12
	f.Panels = []*plotkit.Panel{p}
	f.Caption = cs.memoryCaption(ls, bs)
	if drained != "" {
		f.Caption += " " + drained
	}
	if len(offChart) > 0 {
		f.Caption += fmt.Sprintf(" The %s memory budget is far above the chart.", units.Bytes(offChart[0]))
	}
	return f, nil
}

// rssSeries is l's RSS over time, in MiB. A live process always has some
// RSS; a sample of 0 was taken after the child exited, and is left out.
func rssSeries(l *qline) plotter.XYs {
	s := &l.trial.Series
	var xys plotter.XYs
	for j := range s.TMS {
		if s.RSS[j] > 0 {
			xys = append(xys, plotter.XY{X: s.TMS[j] / 1000, Y: float64(s.RSS[j]) / mib})
		}
	}
	return xys
}

// rssAt is l's RSS at the sample nearest sec, in MiB.
func rssAt(l *qline, sec float64) float64 {
	s := &l.trial.Series
	v, _ := sampleAt(s, s.RSS, sec, func(rss int64) bool { return rss <= 0 })
	return float64(v) / mib
}

// peakRSS is the most RSS any line reached, sampled or at its kill, in MiB.
func peakRSS(ls []*qline) float64 {
	var peak float64
	for _, l := range ls {
		for _, rss := range l.trial.Series.RSS {
			peak = math.Max(peak, float64(rss)/mib)
		}
		if k := l.trial.Kill; k != nil {
			peak = math.Max(peak, float64(k.RSSBytes)/mib)
		}
	}
	return peak
}

// addBudgets draws each memory budget of bs that comes near the lines,
// whose peak is peak MiB, labelled at the end away from the kills' labels;
// a budget far above every line would squash them flat against the axis.
// It returns the top of what is drawn, in MiB, and the budgets left off.
func addBudgets(p *plotkit.Panel, bs []float64, peak float64, kills *plotkit.Notes) (top float64, offChart []float64) {
	var killX []float64
	for _, it := range kills.Items {
		killX = append(killX, it.X)
	}
	labelLeft := len(killX) > 0 && Median(killX) > (p.X.Min+p.X.Max)/2
	top = peak
	for _, b := range bs {
		if b/mib > 2.5*peak {
			offChart = append(offChart, b)
			continue
		}
		top = math.Max(top, b/mib)
		p.Add(&plotkit.Rule{Y: b / mib, Style: draw.LineStyle{Color: failColor, Width: vg.Points(1.4), Dashes: []vg.Length{7, 4}},
			Label: fmt.Sprintf("memory budget %s: the trial is killed above it", units.Bytes(b)), Color: failColor, Shade: budgetShade, LabelLeft: labelLeft})
	}
	return top, offChart
}

// memoryCaption states the chart's finding: who was killed, who grew, who
// held on to memory and who stayed flat.
func (cs *chartSet) memoryCaption(ls []*qline, bs []float64) string {
	var killed, grew, rest []*qline
	minPeak := math.Inf(1)
	for _, l := range ls {
		switch {
		case l.trial.Outcome == schema.OOM:
			killed = append(killed, l)
		case l.growth.Unbounded:
			grew = append(grew, l)
		default:
			rest = append(rest, l)
			minPeak = math.Min(minPeak, float64(l.trial.PeakRSSBytes))
		}
	}
	// Of the rest, those that rose well above the leanest queue.
	var big, flat []*qline
	var bigPeak, flatPeak float64
	bigKept := math.Inf(1)
	for _, l := range rest {
		if pk := float64(l.trial.PeakRSSBytes); pk >= 2*minPeak && pk-minPeak >= 16*mib {
			big = append(big, l)
			bigPeak = math.Max(bigPeak, pk)
			bigKept = math.Min(bigKept, float64(l.trial.RetainedRSSBytes))
		} else {
			flat = append(flat, l)
			flatPeak = math.Max(flatPeak, pk)
		}
	}
	var s []string
	if len(killed) > 0 {
		budget := "memory budget"
		if len(bs) == 1 {
			budget = units.Bytes(bs[0]) + " budget"
		}
		s = append(s, fmt.Sprintf("%s grew until the %s killed %s (red crosses).", capitalize(names(killed)), budget, pronoun(killed)))
	}
	if len(grew) > 0 {
		s = append(s, fmt.Sprintf("%s grew for as long as the run lasted.", capitalize(names(grew))))
	}
	if len(big) > 0 {
		text := fmt.Sprintf("%s rose to as much as %s", capitalize(names(big)), units.Bytes(bigPeak))
		if bigKept > 0 && !math.IsInf(bigKept, 1) {
			text += fmt.Sprintf(" and still held at least %s at the end", units.Bytes(bigKept))
		}
		s = append(s, text+".")
	}
	if len(flat) > 0 && len(flat) < len(ls) {
		s = append(s, fmt.Sprintf("%s stayed under %s.", capitalize(names(flat)), units.Bytes(flatPeak*1.05)))
	}
	if len(s) == 0 {
		s = append(s, fmt.Sprintf("Resident memory of each queue's process: every queue stayed under %s.", units.Bytes(flatPeak*1.05)))
	}
	if rs := cs.reps(); rs.ranHi > 1 {
		s = append(s, "Each line is one repetition per queue: the one with the median throughput (or, for a queue that failed, the median peak RSS).")
	}
	return strings.Join(s, " ")
}
