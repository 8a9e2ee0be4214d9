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
	lt := cs.latencies()
	if len(lt.measured) == 0 {
		return nil, nil
	}
	f := &plotkit.Figure{Name: "latency", Title: cs.workload + ": latency by percentile"}
	p, err := latencyPanel("latency (log scale)", lt.measured, func(t *schema.Trial) *schema.Latency { return t.Latency })
	if err != nil {
		return nil, err
	}
	f.Panels = []*plotkit.Panel{p}
	if lt.intended {
		p.Title.Text = "latency from enqueue to dequeue"
		title := "latency from the intended send time"
		if len(lt.blocked) > 0 {
			title += " (blocking counts)"
		}
		q, err := latencyPanel(title, lt.measured, func(t *schema.Trial) *schema.Latency { return t.IntendedLatency })
		if err != nil {
			return nil, err
		}
		f.Panels = append(f.Panels, q)
		f.Width = plotkit.WideWidth
	}
	shareLatencyAxes(f.Panels)
	for _, l := range lt.measured {
		f.Legend = append(f.Legend, legendEntry(l.legendText(), l.style.series()))
	}
	f.Caption = lt.caption()
	return f, nil
}

// latencies sorts the queues that ran by the latency they reported.
type latencies struct {
	// measured are the queues with a latency from the send, in line
	// order; without those killed before reporting one.
	measured, without []*qline
	// intended is set when a queue has latency from the intended send
	// time too; of those, blocked are the queues whose producers blocked
	// and free those whose producers never did.
	intended      bool
	blocked, free []*qline
}

// latencies sorts the lines that ran by the latency they reported.
func (cs *chartSet) latencies() latencies {
	var lt latencies
	for _, l := range cs.lines {
		if !l.ran() {
			continue
		}
		if l.trial.Latency == nil {
			lt.without = append(lt.without, l)
			continue
		}
		lt.measured = append(lt.measured, l)
		if l.trial.IntendedLatency != nil {
			lt.intended = true
			if l.row.BlockedFraction > 0 {
				lt.blocked = append(lt.blocked, l)
			} else {
				lt.free = append(lt.free, l)
			}
		}
	}
	return lt
}

// latencyPanel draws the latency pick gives for each line's trial, where
// it gives one, against percentile.
func latencyPanel(title string, ls []*qline, pick func(*schema.Trial) *schema.Latency) (*plotkit.Panel, error) {
	p := plotkit.NewPanel()
	p.LogAxisTitle(title)
	p.X.Label.Text = "percentile"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.Y.Tick.Marker = plotkit.LogTicks{Format: units.NS}
	for i, l := range ls {
		lat := pick(l.trial)
		if lat == nil {
			continue
		}
		if err := l.style.series().Add(p, latencyCurve(lat), i, len(ls)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// latencyCurve is lat's percentiles as points (1/(1-p), ns), a latency
// under 1ns drawn at 1; without recorded percentiles, the summary's.
func latencyCurve(lat *schema.Latency) plotter.XYs {
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

// shareLatencyAxes gives the panels the same axes, reaching the powers of
// ten around every panel's data, so that they compare at a glance.
func shareLatencyAxes(ps []*plotkit.Panel) {
	xmax, ylo, yhi := 2.0, math.Inf(1), 0.0
	for _, q := range ps {
		xmax = math.Max(xmax, q.X.Max)
		ylo, yhi = math.Min(ylo, q.Y.Min), math.Max(yhi, q.Y.Max)
	}
	xmax = math.Pow(10, math.Ceil(math.Log10(xmax)-1e-9))
	for _, q := range ps {
		q.X.Min, q.X.Max = 1, xmax
		q.X.Tick.Marker = plotkit.PercentileTicks(xmax)
		q.Y.Min = math.Pow(10, math.Floor(math.Log10(ylo)))
		q.Y.Max = math.Pow(10, math.Ceil(math.Log10(yhi*1.01)))
	}
}

// caption says how to read the chart, what latency from the schedule
// adds, and who was killed before reporting latency.
func (lt latencies) caption() string {
	s := []string{"Read along a line to see how slow the slowest 1 in 10, 100, 1000 and 10000 messages were; lower is better."}
	if lt.intended {
		s = append(s, "The right panel counts from when the schedule meant each message to be sent: "+schedCaption(lt.blocked, lt.free))
	}
	if len(lt.without) > 0 {
		verb := "was"
		if len(lt.without) > 1 {
			verb = "were"
		}
		s = append(s, fmt.Sprintf("%s %s killed before reporting latency.", capitalize(names(lt.without)), verb))
	}
	return strings.Join(s, " ")
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
