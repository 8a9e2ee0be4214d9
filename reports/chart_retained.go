package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file draws the retained chart: per queue, the peak RSS beside the
// RSS kept after the drain.

// retained draws, per queue, the peak RSS beside the RSS left once the
// queue had drained (and idled): memory the process kept.
func (cs *chartSet) retained() (*plotkit.Figure, error) {
	ls, after := cs.retainedLines()
	if ls == nil {
		return nil, nil
	}
	p := plotkit.NewPanel()
	p.Y.Label.Text = "RSS (MiB)"
	p.Y.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
	width := vg.Length(math.Min(26, float64(plotkit.Width-2*vg.Inch)/float64(len(ls))*0.33))
	labels := &plotkit.Notes{}
	fails := &plotkit.Notes{Bold: true}
	var axis []string
	var top float64
	var most *qline
	for i, l := range ls {
		axis = append(axis, strings.Replace(l.label, " (", "\n(", 1))
		x := float64(i)
		peak := l.row.PeakRSS / mib
		top = math.Max(top, peak)
		if err := addBar(p, x, peak, width, -width/2-1, l.style.Color, draw.LineStyle{Color: l.style.Color, Width: vg.Points(1)}); err != nil {
			return nil, err
		}
		if l.row.Worst != schema.OK || l.row.RetainedRSS == 0 {
			fails.Items = append(fails.Items, plotkit.Note{X: x, Y: peak, Text: string(l.row.Worst), Color: failColor, Above: true})
			continue
		}
		kept := l.row.RetainedRSS / mib
		if err := addBar(p, x, kept, width, width/2+1, plotkit.Lighten(l.style.Color, 0.7), draw.LineStyle{Color: l.style.Color, Width: vg.Points(1.2)}); err != nil {
			return nil, err
		}
		labels.Items = append(labels.Items, plotkit.Note{X: x, Y: math.Max(peak, kept), Text: fmt.Sprintf("%s → %s", units.Number(peak), units.Number(kept)), Color: plotkit.NoteColor, Above: true})
		if most == nil || kept > most.row.RetainedRSS/mib {
			most = l
		}
	}
	p.Add(labels, fails)
	p.NominalX(axis...)
	p.X.Min, p.X.Max = -0.6, float64(len(ls))-0.4
	p.Y.Min, p.Y.Max = 0, top*1.15
	f := &plotkit.Figure{Name: "retained", Title: cs.workload + ": memory kept " + after, Panels: []*plotkit.Panel{p}}
	f.Legend = []plotkit.LegendEntry{
		legendEntry("peak RSS", plotkit.BoxThumb{Fill: plotkit.NoteColor, Outline: draw.LineStyle{Color: plotkit.NoteColor, Width: 1}}),
		legendEntry("RSS "+after, plotkit.BoxThumb{Fill: plotkit.Lighten(plotkit.NoteColor, 0.7), Outline: draw.LineStyle{Color: plotkit.NoteColor, Width: 1.2}}),
	}
	f.Caption = retainedCaption(most, after)
	return f, nil
}

// retainedLines returns the lines that ran, and when the RSS kept was
// measured: "after the drain", "after the drain and 1s idle". They are
// nil when the chart has nothing to show: no RSS kept was measured, or
// the workload had no idle phase and no queue kept 32 MiB.
func (cs *chartSet) retainedLines() (ls []*qline, after string) {
	idle, kept, measured := false, false, false
	for _, l := range cs.lines {
		if !l.ran() {
			continue
		}
		ls = append(ls, l)
		idle = idle || l.view.r.Workload.Idle > 0
		measured = measured || l.row.Worst == schema.OK && l.row.RetainedRSS > 0
		kept = kept || l.row.Worst == schema.OK && l.row.RetainedRSS >= 32*mib
	}
	if !measured || !idle && !kept {
		return nil, ""
	}
	after = "after the drain"
	if idle {
		after = "after the drain and idle"
		if d := ls[0].view.r.Workload.Idle; d > 0 && allIdle(ls, d.String()) {
			after = "after the drain and " + spanText(d) + " idle"
		}
	}
	return ls, after
}

// retainedCaption says how to read the bars, and which queue, most, kept
// the most; most is nil when none kept any.
func retainedCaption(most *qline, after string) string {
	s := []string{"Left bar: the most RSS the process reached; right bar: what it still held " + after + " (MiB, labelled peak → kept)."}
	if most != nil {
		s = append(s, fmt.Sprintf("%s kept the most: %s of its %s peak.", capitalize(most.label), units.Bytes(most.row.RetainedRSS), units.Bytes(most.row.PeakRSS)))
	}
	return strings.Join(s, " ")
}

// allIdle reports whether every line's workload idled for d.
func allIdle(ls []*qline, d string) bool {
	for _, l := range ls {
		if l.view.r.Workload.Idle.String() != d {
			return false
		}
	}
	return true
}
