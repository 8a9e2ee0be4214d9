package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/chanbench/chanbench/internal/plotkit"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// This file draws the latency chart: each queue's latency by percentile,
// from the send and, where recorded, from the intended send time.

// latency draws each queue's latency distribution, HDR-style: latency
// against percentile, both on log axes, the percentile axis as 1/(1-p) so
// that 90%, 99%, 99.9% and 99.99% are evenly spaced.
func (cs *chartSet) latency() (*plotkit.Figure, error) {
	type dist struct {
		l          *qline
		measured   *schema.Latency
		fromIntent *schema.Latency
	}
	var ds []dist
	var without, blocked, free []*qline
	intended := false
	for _, l := range cs.lines {
		if !l.ran() {
			continue
		}
		if l.trial.Latency == nil {
			without = append(without, l)
			continue
		}
		ds = append(ds, dist{l, l.trial.Latency, l.trial.IntendedLatency})
		if l.trial.IntendedLatency != nil {
			intended = true
			if l.row.BlockedFraction > 0 {
				blocked = append(blocked, l)
			} else {
				free = append(free, l)
			}
		}
	}
	if len(ds) == 0 {
		return nil, nil
	}
	curve := func(lat *schema.Latency) plotter.XYs {
		var xys plotter.XYs
		pts := lat.Percentiles
		if len(pts) == 0 {
			pts = []schema.Percentile{{P: 0, NS: lat.P50}, {P: 50, NS: lat.P50}, {P: 90, NS: lat.P90}, {P: 99, NS: lat.P99}, {P: 99.9, NS: lat.P999}, {P: 99.99, NS: lat.P9999}}
		}
		for _, pt := range pts {
			if pt.P < 0 || pt.P >= 100 {
				continue
			}
			xys = append(xys, plotter.XY{X: 1 / (1 - pt.P/100), Y: math.Max(1, float64(pt.NS))})
		}
		return xys
	}
	panel := func(title string, pick func(dist) *schema.Latency) (*plotkit.Panel, error) {
		p := plotkit.NewPanel()
		p.LogAxisTitle(title)
		p.X.Label.Text = "percentile"
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.Y.Tick.Marker = plotkit.LogTicks{Format: units.NS}
		for i, d := range ds {
			lat := pick(d)
			if lat == nil {
				continue
			}
			if err := d.l.style.series().Add(p, curve(lat), i, len(ds)); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	f := &plotkit.Figure{Name: "latency", Title: cs.workload + ": latency by percentile"}
	p, err := panel("latency (log scale)", func(d dist) *schema.Latency { return d.measured })
	if err != nil {
		return nil, err
	}
	f.Panels = []*plotkit.Panel{p}
	if intended {
		p.Title.Text = "latency from enqueue to dequeue"
		title := "latency from the intended send time"
		if len(blocked) > 0 {
			title += " (blocking counts)"
		}
		q, err := panel(title, func(d dist) *schema.Latency { return d.fromIntent })
		if err != nil {
			return nil, err
		}
		f.Panels = append(f.Panels, q)
		f.Width = plotkit.WideWidth
	}
	// Shared axes, so the panels compare at a glance.
	xmax, ylo, yhi := 2.0, math.Inf(1), 0.0
	for _, q := range f.Panels {
		xmax = math.Max(xmax, q.X.Max)
		ylo, yhi = math.Min(ylo, q.Y.Min), math.Max(yhi, q.Y.Max)
	}
	xmax = math.Pow(10, math.Ceil(math.Log10(xmax)-1e-9))
	for _, q := range f.Panels {
		q.X.Min, q.X.Max = 1, xmax
		q.X.Tick.Marker = plotkit.PercentileTicks(xmax)
		q.Y.Min = math.Pow(10, math.Floor(math.Log10(ylo)))
		q.Y.Max = math.Pow(10, math.Ceil(math.Log10(yhi*1.01)))
	}
	for _, d := range ds {
		f.Legend = append(f.Legend, legendEntry(d.l.legendText(), d.l.style.series()))
	}
	var s []string
	s = append(s, "Read along a line to see how slow the slowest 1 in 10, 100, 1000 and 10000 messages were; lower is better.")
	if intended {
		s = append(s, "The right panel counts from when the schedule meant each message to be sent: "+schedCaption(blocked, free))
	}
	if len(without) > 0 {
		verb := "was"
		if len(without) > 1 {
			verb = "were"
		}
		s = append(s, fmt.Sprintf("%s %s killed before reporting latency.", capitalize(names(without)), verb))
	}
	f.Caption = strings.Join(s, " ")
	return f, nil
}

// schedCaption says what latency from the schedule adds for the queues
// whose producers blocked and those whose producers never did.
func schedCaption(blocked, free []*qline) string {
	const wait = "the time messages waited for their producer to get to them"
	switch {
	case len(blocked) == 0:
		return "no producer blocked, so what it adds is " + wait + "."
	case len(free) == 0:
		return "what it adds includes the time producers spent blocked by backpressure, which latency from the send leaves out."
	}
	return fmt.Sprintf("for %s what it adds includes the time producers spent blocked by backpressure; %s never blocked their producers, so for them it adds %s.", names(blocked), names(free), wait)
}
