package reports

import "github.com/chanbench/chanbench/schema"

// This file measures how a queue grew: lines fitted to a trial's RSS and depth.

// growth is what a trial's time series say about a queue that grows.
type growth struct {
	// Unbounded is true when the queue grew without bound: it was killed
	// for memory, or its depth rose steadily while the producers ran.
	Unbounded bool
	// RSSRate is the growth of RSS in bytes per second and DepthRate that of
	// the queue in messages per second, each the slope of a least-squares
	// line over the producing window; Window is that window in seconds.
	RSSRate, DepthRate, Window float64
	// EndDepth and EndRSS are the depth and RSS at the window's end.
	EndDepth, EndRSS float64
	// FillSec is how long RSSRate would take to fill the machine's memory;
	// 0 when it is not growing or the memory is unknown.
	FillSec float64
}

// measureGrowth fits lines to t's RSS and depth from the producers' start
// until they stopped or the trial was killed.
func measureGrowth(t *schema.Trial, m schema.Machine) growth {
	var g growth
	if t == nil || t.Series.Len() < 3 {
		return g
	}
	s := &t.Series
	end := s.TMS[s.Len()-1]
	switch {
	case t.Kill != nil:
		end = t.Kill.AtMS
	case t.Phases.ProducersDoneMS > 0:
		end = t.Phases.ProducersDoneMS
	}
	var ts, rss, depth []float64
	for i, ms := range s.TMS {
		if ms < 0 || ms > end || s.RSS[i] <= 0 {
			continue // RSS 0 is a sample taken after the child exited
		}
		ts = append(ts, ms/1000)
		rss = append(rss, float64(s.RSS[i]))
		depth = append(depth, float64(s.Depth[i]))
	}
	if len(ts) < 3 {
		return g
	}
	g.Window = ts[len(ts)-1] - ts[0]
	g.RSSRate, _ = fitLine(ts, rss)
	var r2 float64
	g.DepthRate, r2 = fitLine(ts, depth)
	g.EndDepth, g.EndRSS = depth[len(depth)-1], rss[len(rss)-1]
	if t.Kill != nil {
		g.EndDepth, g.EndRSS = float64(t.Kill.Depth), float64(t.Kill.RSSBytes)
	}
	switch {
	case t.Outcome == schema.OOM:
		g.Unbounded = true
	case t.Outcome == schema.OK && g.DepthRate > 0 && r2 >= 0.8 && g.EndDepth >= 1000:
		// Depth rising on a straight line is a queue that would have kept
		// growing had the run gone on; a bounded queue cannot do that.
		// Whether the queue is bounded is what the trial recorded; results
		// from before that was recorded fall back to the depth passing
		// twice the capacity.
		if q := t.Params.Queue; q != nil {
			g.Unbounded = !q.Bounded
		} else {
			g.Unbounded = g.EndDepth > 2*float64(t.Params.Capacity)
		}
	}
	if g.Unbounded && g.RSSRate > 0 && m.MemoryBytes > 0 {
		g.FillSec = float64(m.MemoryBytes) / g.RSSRate
	}
	return g
}

// fitLine returns the slope of the least-squares line through (x, y) and
// its coefficient of determination in [0,1].
func fitLine(x, y []float64) (slope, r2 float64) {
	n := float64(len(x))
	var sx, sy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if sxx == 0 {
		return 0, 0
	}
	slope = sxy / sxx
	if syy == 0 {
		return slope, 1
	}
	return slope, sxy * sxy / (sxx * syy)
}
