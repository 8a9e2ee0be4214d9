package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file draws the depth chart: messages queued over time, and the
// capacity a bounded queue held to.

// depth draws the queue length over time, on a log scale when it spans
// decades.
func (cs *chartSet) depth() (*plotkit.Figure, error) {
	ls := cs.withSeries()
	if len(ls) == 0 {
		return nil, nil
	}
	lo, hi := depthRange(ls)
	if hi == 0 {
		return nil, nil
	}
	// On a log scale a depth of 0 is drawn at 1.
	logY := hi/lo >= 30
	floor := 0.0
	if logY {
		floor = 1
	}
	p := depthPanel(logY)
	ph := phasesOf(ls)
	behind, labels, front := ph.marks(func(l *qline, sec float64) float64 {
		s := &l.trial.Series
		v, _ := sampleAt(s, s.Depth, sec, nil)
		return math.Max(floor, float64(v))
	})
	p.Add(behind)
	bound := boundedBy(ls)
	for _, c := range bound.caps {
		p.Add(&plotkit.Rule{Y: c, Style: draw.LineStyle{Color: plotkit.NoteColor, Width: vg.Points(0.9), Dashes: []vg.Length{2, 2}},
			Label: "capacity " + units.Count(c), Color: plotkit.NoteColor})
	}
	f := &plotkit.Figure{Name: "depth", Title: cs.workload + ": queue depth over time"}
	kills, err := drawSeries(p, f, ls, func(l *qline) plotter.XYs { return depthSeries(l, floor) },
		func(k *schema.Kill) float64 { return math.Max(floor, float64(k.Depth)) })
	if err != nil {
		return nil, err
	}
	addKills(p, f, kills)
	drained := ph.addDrains(p, f, front)
	p.Add(labels)
	p.X.Min = math.Min(0, p.X.Min)
	if logY {
		p.Y.Min, p.Y.Max = 1, math.Pow(10, math.Ceil(math.Log10(hi*1.5)))
	} else {
		p.Y.Min, p.Y.Max = 0, hi*1.1
	}
	f.Panels = []*plotkit.Panel{p}
	f.Caption = depthCaption(ls, bound, drained, logY)
	return f, nil
}

// depthRange returns the least depth above zero and the greatest depth of
// the lines; hi is 0 when no queue held a message.
func depthRange(ls []*qline) (lo, hi float64) {
	lo = math.Inf(1)
	for _, l := range ls {
		for _, d := range l.trial.Series.Depth {
			if d > 0 {
				lo = math.Min(lo, float64(d))
			}
			hi = math.Max(hi, float64(d))
		}
	}
	return lo, hi
}

// depthPanel returns the panel for the depth chart, its Y axis on a log
// scale with logY.
func depthPanel(logY bool) *plotkit.Panel {
	p := timePanel()
	p.Y.Label.Text = "messages queued"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: tickCount}
	if logY {
		p.LogAxisTitle("messages queued (log scale)")
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plotkit.LogTicks{Format: func(v float64) string {
			if v == 1 {
				return "0–1" // depths of 0 are drawn at 1
			}
			return tickCount(v)
		}}
	}
	return p
}

// depthSeries is l's depth over time, raised to floor.
func depthSeries(l *qline, floor float64) plotter.XYs {
	s := &l.trial.Series
	xys := make(plotter.XYs, s.Len())
	for j := range xys {
		xys[j] = plotter.XY{X: s.TMS[j] / 1000, Y: math.Max(floor, float64(s.Depth[j]))}
	}
	return xys
}

// A bounds says which bounded queues held to their capacity and which
// took the load in beyond it.
type bounds struct {
	// held are the queues that never went past their capacity; caps are
	// the capacities that some of them reached, each once.
	held []*qline
	caps []float64
	// took are the queues that did not grow without bound but held more
	// than a capacity, up to tookMax messages.
	took    []*qline
	tookMax float64
}

// boundedBy sorts the lines that did not grow without bound into those
// that held to their capacity and those that took the load in.
func boundedBy(ls []*qline) bounds {
	var b bounds
	for _, l := range ls {
		c := float64(l.trial.Params.Capacity)
		if c > 0 && !l.growth.Unbounded && float64(l.trial.PeakDepth) <= c*1.05 {
			b.held = append(b.held, l)
			if float64(l.trial.PeakDepth) >= c*0.9 && !slices.Contains(b.caps, c) {
				b.caps = append(b.caps, c)
			}
			continue
		}
		if !l.growth.Unbounded {
			b.took = append(b.took, l)
			b.tookMax = math.Max(b.tookMax, float64(l.trial.PeakDepth))
		}
	}
	return b
}

// depthCaption says who kept growing, who took the load in and who held
// to their capacity, adds drained (the sentence on the drains), and says
// when the scale is logarithmic.
func depthCaption(ls []*qline, b bounds, drained string, logY bool) string {
	s := []string{"Messages waiting in each queue."}
	var grew []*qline
	var most float64
	for _, l := range ls {
		if l.growth.Unbounded {
			grew = append(grew, l)
			most = math.Max(most, l.growth.EndDepth)
		}
	}
	if len(grew) > 0 {
		s = append(s, fmt.Sprintf("%s kept growing, to %s.", capitalize(names(grew)), countOf(most, "message")))
	}
	if len(b.took) > 0 {
		s = append(s, fmt.Sprintf("%s took the load in, up to %s.", capitalize(names(b.took)), countOf(b.tookMax, "message")))
	}
	if len(b.held) > 0 && len(b.caps) > 0 {
		its := "their"
		if len(b.held) == 1 {
			its = "its"
		}
		s = append(s, fmt.Sprintf("%s never held more than %s capacity of %s: %s.", capitalize(names(b.held)), its, units.Count(b.caps[0]), whenFull(b.held)))
	}
	if drained != "" {
		s = append(s, drained)
	}
	if logY {
		s = append(s, "Log scale: each gridline is ten times the one below.")
	}
	return strings.Join(s, " ")
}

// whenFull says what the queues of ls did when full, from the policy their
// trials ran under.
func whenFull(ls []*qline) string {
	var policies []string
	for _, l := range ls {
		if p := l.trial.Params.Policy; !slices.Contains(policies, p) {
			policies = append(policies, p)
		}
	}
	switch {
	case len(policies) == 1 && (policies[0] == "block" || policies[0] == ""):
		return "a full bounded queue makes the producers wait"
	case !slices.Contains(policies, "block") && !slices.Contains(policies, ""):
		return fmt.Sprintf("a full bounded queue drops or refuses messages (policy %s) instead of making the producers wait", strings.Join(policies, ", "))
	}
	return "a full bounded queue makes the producers wait or drops messages, as its policy says"
}
