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
	b := &bars{
		p:      p,
		width:  vg.Length(math.Min(48, float64(plotkit.Width-2*vg.Inch)/float64(len(cs.lines))*0.6)),
		labels: &plotkit.Notes{},
		fails:  &plotkit.Notes{Bold: true},
	}
	var axis []string
	for i, l := range cs.lines {
		axis = append(axis, strings.Replace(l.label, " (", "\n(", 1))
		if err := b.add(l, float64(i)); err != nil {
			return nil, err
		}
	}
	if err := b.addErrors(); err != nil {
		return nil, err
	}
	p.Add(b.labels, b.fails)
	p.NominalX(axis...)
	p.X.Min, p.X.Max = -0.6, float64(len(cs.lines))-0.4
	p.Y.Min = 0
	if b.top == 0 {
		b.top = 1
	}
	p.Y.Max = b.top * 1.18
	f := &plotkit.Figure{Name: "throughput", Title: cs.workload + ": throughput", Panels: []*plotkit.Panel{p}}
	f.Caption = cs.throughputCaption(b)
	return f, nil
}

// bars draws the throughput chart's bars on p, one a queue, and gathers
// what goes over them and what the caption says of them.
type bars struct {
	p     *plotkit.Panel
	width vg.Length
	// labels and fails go over the bars: a queue's rate, or how it failed.
	labels, fails *plotkit.Notes
	// errs are the whiskers of the queues with repetitions.
	errs plotkit.ErrorPoints
	// top is the highest rate drawn, in messages per second.
	top float64
	// hollow is set when a killed queue's rate until the kill is drawn.
	hollow bool
	// dropped are the queues that dropped a material share by policy.
	dropped []*qline
}

// add draws l's bar at x: its median rate when a repetition ended ok,
// else how it failed.
func (b *bars) add(l *qline, x float64) error {
	var oks []float64
	for _, t := range l.row.Trials {
		if t.Outcome == schema.OK {
			oks = append(oks, t.Throughput)
		}
	}
	if len(oks) == 0 {
		return b.addFailed(l, x)
	}
	v := l.row.Throughput
	if err := addBar(b.p, x, v, b.width, 0, l.style.Color, draw.LineStyle{Color: l.style.Color, Width: vg.Points(1)}); err != nil {
		return err
	}
	lo, hi := slices.Min(oks), slices.Max(oks)
	if len(oks) > 1 {
		b.errs.XYs = append(b.errs.XYs, plotter.XY{X: x, Y: v})
		b.errs.YErrors = append(b.errs.YErrors, struct{ Low, High float64 }{v - lo, hi - v})
	}
	b.top = math.Max(b.top, hi)
	text := units.Count(v)
	if share := dropShare(l.row); share >= materialDrop {
		text += "\ndropped " + units.Percent(share)
		b.dropped = append(b.dropped, l)
	}
	if n := len(l.row.Trials) - len(oks); n > 0 {
		text += fmt.Sprintf("\n%d of %d failed", n, len(l.row.Trials))
		b.fails.Items = append(b.fails.Items, plotkit.Note{X: x, Y: hi, Text: text, Color: failColor, Above: true})
		return nil
	}
	b.labels.Items = append(b.labels.Items, plotkit.Note{X: x, Y: hi, Text: text, Color: plotkit.NoteColor, Above: true})
	return nil
}

// addFailed marks at x a queue with no repetition that ended ok: skipped,
// killed (with a hollow bar of its rate until the kill), or failed.
func (b *bars) addFailed(l *qline, x float64) error {
	t := l.trial
	switch {
	case l.row.Worst == schema.Skipped:
		b.labels.Items = append(b.labels.Items, plotkit.Note{X: x, Y: 0, Text: "skipped", Color: plotkit.NoteColor, Above: true})
	case t != nil && t.Kill != nil && t.Kill.AtMS > 0:
		// Draw what it managed until the kill, hollow, so that a failed
		// queue is neither hidden nor mistaken for a result.
		v := schema.Throughput(t.Kill.Received, t.Kill.AtMS/1000)
		if err := addBar(b.p, x, v, b.width, 0, plotkit.Lighten(l.style.Color, 0.85), draw.LineStyle{Color: l.style.Color, Width: vg.Points(1.4), Dashes: []vg.Length{4, 3}}); err != nil {
			return err
		}
		b.hollow = true
		b.top = math.Max(b.top, v)
		b.fails.Items = append(b.fails.Items, plotkit.Note{X: x, Y: v, Text: fmt.Sprintf("%s at %s", t.Outcome, l.view.killTime(t.Kill.AtMS/1000)), Color: failColor, Glyph: killGlyph(), Above: true})
	default:
		b.fails.Items = append(b.fails.Items, plotkit.Note{X: x, Y: 0, Text: string(l.row.Worst), Color: failColor, Glyph: killGlyph(), Above: true})
	}
	return nil
}

// addErrors draws the whiskers, if any queue had them.
func (b *bars) addErrors() error {
	if len(b.errs.XYs) == 0 {
		return nil
	}
	eb, err := plotter.NewYErrorBars(b.errs)
	if err != nil {
		return err
	}
	eb.LineStyle = draw.LineStyle{Color: plotkit.NoteColor, Width: vg.Points(1.2)}
	eb.CapWidth = b.width / 3
	b.p.Add(eb)
	return nil
}

// throughputCaption says what a bar is, and what a hollow bar and a
// dropping queue's bar are not.
func (cs *chartSet) throughputCaption(b *bars) string {
	s := []string{"One repetition per queue."}
	if over := cs.reps().over(); over != "" {
		s[0] = "Median of " + over + "; whiskers span the slowest to the fastest."
	}
	if b.hollow {
		s = append(s, "Hollow bars with a red cross were killed: they show the rate until the kill, not a result.")
	}
	if len(b.dropped) > 0 {
		s = append(s, fmt.Sprintf("%s dropped messages by policy, as labelled: a bar counts only the messages delivered, so it does not compare with those of queues that delivered every message.", capitalize(names(b.dropped))))
	}
	return strings.Join(s, " ")
}
