package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
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
	lo, hi := math.Inf(1), 0.0
	for _, l := range ls {
		for _, d := range l.trial.Series.Depth {
			if d > 0 {
				lo = math.Min(lo, float64(d))
			}
			hi = math.Max(hi, float64(d))
		}
	}
	if hi == 0 {
		return nil, nil
	}
	logY := hi/lo >= 30
	floor := 0.0
	if logY {
		floor = 1
	}
	p := plotkit.NewPanel()
	p.X.Label.Text = "seconds since the producers started"
	p.X.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
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
	ph := phasesOf(ls)
	behind, labels, front := ph.marks(func(l *qline, sec float64) float64 {
		s := &l.trial.Series
		v, _ := sampleAt(s, s.Depth, sec, nil)
		return math.Max(floor, float64(v))
	})
	p.Add(behind)
	// Bounded queues stop at their capacity: draw it, and say who held to it.
	var caps []float64
	var held, took []*qline
	var tookMax float64
	for _, l := range ls {
		c := float64(l.trial.Params.Capacity)
		if c > 0 && !l.growth.Unbounded && float64(l.trial.PeakDepth) <= c*1.05 {
			held = append(held, l)
			if float64(l.trial.PeakDepth) >= c*0.9 && !slices.Contains(caps, c) {
				caps = append(caps, c)
				p.Add(&plotkit.Rule{Y: c, Style: draw.LineStyle{Color: plotkit.NoteColor, Width: vg.Points(0.9), Dashes: []vg.Length{2, 2}},
					Label: "capacity " + units.Count(c), Color: plotkit.NoteColor})
			}
			continue
		}
		if !l.growth.Unbounded {
			took = append(took, l)
			tookMax = math.Max(tookMax, float64(l.trial.PeakDepth))
		}
	}
	f := &plotkit.Figure{Name: "depth", Title: cs.workload + ": queue depth over time"}
	kills := &plotkit.Notes{Bold: true}
	for i, l := range ls {
		s := &l.trial.Series
		xys := make(plotter.XYs, s.Len())
		for j := range xys {
			xys[j] = plotter.XY{X: s.TMS[j] / 1000, Y: math.Max(floor, float64(s.Depth[j]))}
		}
		if err := l.style.series().Add(p, xys, i, len(ls)); err != nil {
			return nil, err
		}
		f.Legend = append(f.Legend, legendEntry(l.legendText(), l.style.series()))
		if k := l.trial.Kill; k != nil {
			kills.Items = append(kills.Items, plotkit.Note{X: k.AtMS / 1000, Y: math.Max(floor, float64(k.Depth)), Text: killText(l), Color: failColor, Glyph: killGlyph()})
		}
	}
	p.Add(kills)
	if len(kills.Items) > 0 {
		f.Legend = append(f.Legend, legendEntry("killed", plotkit.GlyphThumb{GlyphStyle: killGlyph()}))
	}
	drained := ph.addDrains(p, f, front)
	p.Add(labels)
	p.X.Min = math.Min(0, p.X.Min)
	if logY {
		p.Y.Min, p.Y.Max = 1, math.Pow(10, math.Ceil(math.Log10(hi*1.5)))
	} else {
		p.Y.Min, p.Y.Max = 0, hi*1.1
	}
	f.Panels = []*plotkit.Panel{p}

	var grew []*qline
	for _, l := range ls {
		if l.growth.Unbounded {
			grew = append(grew, l)
		}
	}
	s := []string{"Messages waiting in each queue."}
	if len(grew) > 0 {
		var most float64
		for _, l := range grew {
			most = math.Max(most, l.growth.EndDepth)
		}
		s = append(s, fmt.Sprintf("%s kept growing, to %s.", capitalize(names(grew)), countOf(most, "message")))
	}
	if len(took) > 0 {
		s = append(s, fmt.Sprintf("%s took the load in, up to %s.", capitalize(names(took)), countOf(tookMax, "message")))
	}
	if len(held) > 0 && len(caps) > 0 {
		its := "their"
		if len(held) == 1 {
			its = "its"
		}
		s = append(s, fmt.Sprintf("%s never held more than %s capacity of %s: %s.", capitalize(names(held)), its, units.Count(caps[0]), whenFull(held)))
	}
	if drained != "" {
		s = append(s, drained)
	}
	if logY {
		s = append(s, "Log scale: each gridline is ten times the one below.")
	}
	f.Caption = strings.Join(s, " ")
	return f, nil
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
