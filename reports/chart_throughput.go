package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file draws the throughput chart: a bar per queue, the spread across
// repetitions, failures marked in place.

// throughput draws a bar per queue: the median rate, whiskers from the
// slowest to the fastest repetition, and failures marked in place.
func (cs *chartSet) throughput() (*plotkit.Figure, error) {
	if len(cs.lines) == 0 {
		return nil, nil
	}
	p := plotkit.NewPanel()
	p.Y.Label.Text = "messages received per second"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: tickCount}
	width := vg.Length(math.Min(48, float64(plotkit.Width-2*vg.Inch)/float64(len(cs.lines))*0.6))
	labels := &plotkit.Notes{}
	fails := &plotkit.Notes{Bold: true}
	var errs plotkit.ErrorPoints
	var top float64
	hollow := false
	var axis []string
	var dropped []*qline
	for i, l := range cs.lines {
		axis = append(axis, strings.Replace(l.label, " (", "\n(", 1))
		x := float64(i)
		var oks []float64
		for _, t := range l.row.Trials {
			if t.Outcome == schema.OK {
				oks = append(oks, t.Throughput)
			}
		}
		if len(oks) > 0 {
			v := l.row.Throughput
			bar, err := plotter.NewBarChart(plotter.Values{v}, width)
			if err != nil {
				return nil, err
			}
			bar.XMin = x
			bar.Color = l.style.Color
			bar.LineStyle = draw.LineStyle{Color: l.style.Color, Width: vg.Points(1)}
			p.Add(bar)
			lo, hi := slices.Min(oks), slices.Max(oks)
			if len(oks) > 1 {
				errs.XYs = append(errs.XYs, plotter.XY{X: x, Y: v})
				errs.YErrors = append(errs.YErrors, struct{ Low, High float64 }{v - lo, hi - v})
			}
			top = math.Max(top, hi)
			text := units.Count(v)
			if share := dropShare(l.row); share >= materialDrop {
				text += "\ndropped " + units.Percent(share)
				dropped = append(dropped, l)
			}
			if n := len(l.row.Trials) - len(oks); n > 0 {
				text += fmt.Sprintf("\n%d of %d failed", n, len(l.row.Trials))
				fails.Items = append(fails.Items, plotkit.Note{X: x, Y: hi, Text: text, Color: failColor, Above: true})
				continue
			}
			labels.Items = append(labels.Items, plotkit.Note{X: x, Y: hi, Text: text, Color: plotkit.NoteColor, Above: true})
			continue
		}
		t := l.trial
		switch {
		case l.row.Worst == schema.Skipped:
			labels.Items = append(labels.Items, plotkit.Note{X: x, Y: 0, Text: "skipped", Color: plotkit.NoteColor, Above: true})
		case t != nil && t.Kill != nil && t.Kill.AtMS > 0:
			// Draw what it managed until the kill, hollow, so that a failed
			// queue is neither hidden nor mistaken for a result.
			v := float64(t.Kill.Received) / (t.Kill.AtMS / 1000)
			bar, err := plotter.NewBarChart(plotter.Values{v}, width)
			if err != nil {
				return nil, err
			}
			bar.XMin = x
			bar.Color = plotkit.Lighten(l.style.Color, 0.85)
			bar.LineStyle = draw.LineStyle{Color: l.style.Color, Width: vg.Points(1.4), Dashes: []vg.Length{4, 3}}
			p.Add(bar)
			hollow = true
			top = math.Max(top, v)
			fails.Items = append(fails.Items, plotkit.Note{X: x, Y: v, Text: fmt.Sprintf("%s at %s", t.Outcome, l.view.killTime(t.Kill.AtMS/1000)), Color: failColor, Glyph: killGlyph(), Above: true})
		default:
			fails.Items = append(fails.Items, plotkit.Note{X: x, Y: 0, Text: string(l.row.Worst), Color: failColor, Glyph: killGlyph(), Above: true})
		}
	}
	if len(errs.XYs) > 0 {
		eb, err := plotter.NewYErrorBars(errs)
		if err != nil {
			return nil, err
		}
		eb.LineStyle = draw.LineStyle{Color: plotkit.NoteColor, Width: vg.Points(1.2)}
		eb.CapWidth = width / 3
		p.Add(eb)
	}
	p.Add(labels, fails)
	p.NominalX(axis...)
	p.X.Min, p.X.Max = -0.6, float64(len(cs.lines))-0.4
	p.Y.Min = 0
	if top == 0 {
		top = 1
	}
	p.Y.Max = top * 1.18
	f := &plotkit.Figure{Name: "throughput", Title: cs.workload + ": throughput", Panels: []*plotkit.Panel{p}}
	s := []string{"One repetition per queue."}
	if over := cs.reps().over(); over != "" {
		s[0] = "Median of " + over + "; whiskers span the slowest to the fastest."
	}
	if hollow {
		s = append(s, "Hollow bars with a red cross were killed: they show the rate until the kill, not a result.")
	}
	if len(dropped) > 0 {
		s = append(s, fmt.Sprintf("%s dropped messages by policy, as labelled: a bar counts only the messages delivered, so it does not compare with those of queues that delivered every message.", capitalize(names(dropped))))
	}
	f.Caption = strings.Join(s, " ")
	return f, nil
}
