package reports

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file draws the scaling chart: throughput, p99 latency and peak RSS
// against the swept parameter.

// scaling draws throughput, p99 latency and, where it moves, peak RSS
// against the swept parameter, one line per queue.
func (cs *chartSet) scaling() (*plotkit.Figure, error) {
	var views []*runView
	var values []string
	key := ""
	for _, v := range cs.views {
		if v.r.Sweep == nil {
			continue
		}
		views = append(views, v)
		if key == "" {
			key = v.r.Sweep.Key
		}
		for _, val := range v.r.Sweep.Values {
			if !slices.Contains(values, val) {
				values = append(values, val)
			}
		}
	}
	if len(views) == 0 || len(values) < 2 {
		return nil, nil
	}
	pos := map[string]float64{}
	for i, val := range values {
		pos[val] = float64(i)
	}
	var lines []scalingLine
	var impls []string
	for _, v := range views {
		impls = append(impls, rowImpls(v.rows)...)
	}
	for _, impl := range stableUnique(impls) {
		for _, v := range views {
			sl := scalingLine{label: impl, style: runStyle(impl, indexOf(cs.views, v))}
			if len(cs.views) > 1 {
				sl.label = impl + " (" + v.label + ")"
			}
			for i := range v.rows {
				if row := &v.rows[i]; row.Impl == impl {
					sl.pts = append(sl.pts, scalingPoint{pos[row.SweepValue], row})
				}
			}
			if len(sl.pts) > 0 {
				sort.SliceStable(sl.pts, func(a, b int) bool { return sl.pts[a].x < sl.pts[b].x })
				lines = append(lines, sl)
			}
		}
	}
	ticks := make(plot.ConstantTicks, len(values))
	for i, val := range values {
		ticks[i] = plot.Tick{Value: float64(i), Label: val}
	}
	setX := func(p *plotkit.Panel) {
		p.X.Label.Text = key
		p.X.Tick.Marker = ticks
		p.X.Min, p.X.Max = -0.25, float64(len(values)-1)+0.25
	}
	// draw1 draws each line where m gives a value, broken where it gives
	// none, so that a gap reads as "no result"; it returns a note for each
	// failed point.
	draw1 := func(p *plotkit.Panel, m func(*Row) (float64, bool), floor float64) (fails []plotkit.Note, err error) {
		for i, sl := range lines {
			var seg plotter.XYs
			flush := func() error {
				err := sl.style.series().Add(p, seg, i, len(lines))
				seg = nil
				return err
			}
			for _, pt := range sl.pts {
				if v, ok := m(pt.row); ok {
					seg = append(seg, plotter.XY{X: pt.x, Y: math.Max(v, floor)})
					continue
				}
				if err := flush(); err != nil {
					return nil, err
				}
				if w := pt.row.Worst; w != schema.OK && w != schema.Skipped {
					fails = append(fails, plotkit.Note{X: pt.x, Text: sl.label + ": " + string(w), Color: failColor, Glyph: killGlyph()})
				}
			}
			if err := flush(); err != nil {
				return nil, err
			}
		}
		return fails, nil
	}
	okThr := func(r *Row) (float64, bool) { return r.Throughput, r.Throughput > 0 }
	p99 := func(r *Row) (float64, bool) { return r.P99, r.P99 > 0 }

	thr := plotkit.NewPanel()
	thr.Title.Text = "throughput (msg/s)"
	setX(thr)
	fails, err := draw1(thr, okThr, 0)
	if err != nil {
		return nil, err
	}
	lo, hi := rangeOf(lines, okThr)
	if hi > 0 && hi/lo >= 10 {
		thr.Y.Scale = plot.LogScale{}
		thr.Y.Tick.Marker = plotkit.LogTicks{Format: tickCount}
		thr.LogAxisTitle("throughput (msg/s, log scale)")
		thr.Y.Min, thr.Y.Max = math.Pow(10, math.Floor(math.Log10(lo/1.5))), math.Pow(10, math.Ceil(math.Log10(hi*1.1)))
	} else {
		thr.Y.Tick.Marker = plotkit.HumanTicks{Format: tickCount}
		thr.Y.Min, thr.Y.Max = 0, math.Max(hi*1.15, 1)
	}
	for i := range fails {
		fails[i].Y = thr.Y.Min
	}
	thr.Add(&plotkit.Notes{Items: fails, Bold: true})

	lat := plotkit.NewPanel()
	lat.LogAxisTitle("p99 latency (log scale)")
	lat.Y.Scale = plot.LogScale{}
	lat.Y.Tick.Marker = plotkit.LogTicks{Format: units.NS}
	setX(lat)
	if _, err := draw1(lat, p99, 1); err != nil {
		return nil, err
	}
	if lo, hi := rangeOf(lines, p99); hi > 0 {
		lat.Y.Min, lat.Y.Max = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi*1.01)))
	} else {
		lat.Y.Min, lat.Y.Max = 1, 10
	}

	f := &plotkit.Figure{Name: "scaling", Title: fmt.Sprintf("%s: scaling with %s", cs.workloadNames(views), key), Panels: []*plotkit.Panel{thr, lat}}

	// Peak RSS, when memory is part of the story: a kill, or a spread.
	killed := false
	for _, sl := range lines {
		for _, pt := range sl.pts {
			killed = killed || pt.row.Worst == schema.OOM
		}
	}
	peak := func(r *Row) (float64, bool) { return r.PeakRSS / mib, r.PeakRSS > 0 && r.Worst != schema.Skipped }
	if plo, phi := rangeOf(lines, peak); killed || phi > 1.5*plo && phi > 0 {
		mem := plotkit.NewPanel()
		mem.Title.Text = "peak RSS (MiB)"
		mem.Y.Tick.Marker = plotkit.HumanTicks{Format: units.Number}
		setX(mem)
		var kills []plotkit.Note
		for i, sl := range lines {
			var xys plotter.XYs
			for _, pt := range sl.pts {
				if v, ok := peak(pt.row); ok {
					xys = append(xys, plotter.XY{X: pt.x, Y: v})
					if pt.row.Worst == schema.OOM {
						kills = append(kills, plotkit.Note{X: pt.x, Y: v, Color: failColor, Glyph: killGlyph()})
					}
				}
			}
			if err := sl.style.series().Add(mem, xys, i, len(lines)); err != nil {
				return nil, err
			}
		}
		var ls []*qline
		for _, v := range views {
			for i := range v.rows {
				ls = append(ls, &qline{view: v, row: &v.rows[i], trial: v.rows[i].MedianTrial()})
			}
		}
		for _, b := range budgets(ls) {
			mem.Add(&plotkit.Rule{Y: b / mib, Style: draw.LineStyle{Color: failColor, Width: vg.Points(1.2), Dashes: []vg.Length{7, 4}},
				Label: "budget " + units.Bytes(b), Color: failColor, Shade: budgetShade, LabelLeft: true})
		}
		mem.Add(&plotkit.Notes{Items: kills})
		mem.Y.Min = 0
		mem.Y.Max *= 1.1
		f.Panels = append(f.Panels, mem)
	}
	f.Width = plotkit.WideWidth
	for _, sl := range lines {
		f.Legend = append(f.Legend, legendEntry(sl.label, sl.style.series()))
	}
	if len(fails) > 0 {
		f.Legend = append(f.Legend, legendEntry("killed", plotkit.GlyphThumb{GlyphStyle: killGlyph()}))
	}
	f.Caption = fmt.Sprintf("Each point is one queue at one value of %s", key)
	var rows []*Row
	for _, v := range views {
		rows = append(rows, rowPtrs(v.rows)...)
	}
	if over := repsOf(rows).over(); over != "" {
		f.Caption += ", the median of " + over
	}
	f.Caption += ". A gap is a queue that was skipped or failed there; a red cross marks a trial that was killed."
	return f, nil
}

func (cs *chartSet) workloadNames(views []*runView) string {
	var names []string
	for _, v := range views {
		if !slices.Contains(names, v.r.Workload.Name) {
			names = append(names, v.r.Workload.Name)
		}
	}
	return strings.Join(names, " vs ")
}

// A scalingLine is one queue of one run across the swept values.
type scalingLine struct {
	label string
	style QueueStyle
	pts   []scalingPoint
}

// A scalingPoint is a row at the position x of its sweep value.
type scalingPoint struct {
	x   float64
	row *Row
}

// rangeOf returns the least and greatest positive value m gives over the
// lines' points; 0, 0 for none.
func rangeOf(lines []scalingLine, m func(*Row) (float64, bool)) (lo, hi float64) {
	lo = math.Inf(1)
	for _, l := range lines {
		for _, pt := range l.pts {
			if v, ok := m(pt.row); ok && v > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi == 0 {
		return 0, 0
	}
	return lo, hi
}

func stableUnique(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func indexOf(views []*runView, v *runView) int {
	for i, w := range views {
		if w == v {
			return i
		}
	}
	return 0
}
