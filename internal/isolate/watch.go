package isolate

// The watch: the parent's sampling of a running child. It reads the
// child's RSS every SampleInterval, and every millisecond once RSS is past
// three quarters of the budget, so that even a child that grows at GiB/s is
// killed close to the budget; every reading counts for the peak. The series
// keeps one sample per ReportInterval, the pace of the child's reports. The
// watch kills the child at the first reading over the budget or past the
// timeout, then only waits for it to be reaped.
//
// Invariants:
//  killed is "" until the watch kills the child; from then on kill is set
//  and the watch reads no more RSS.
//  peakRSS is the largest RSS read, over all readings, kept or not.
//  A sample is appended to series only once t0 is set and the child has
//  reported its start; every appended sample's time is measured from t0.

import (
	"context"
	"time"

	"github.com/chanbench/chanbench/schema"
)

// measured is what the parent found by sampling the child.
type measured struct {
	// peakRSS is the largest RSS read, in bytes; peakHeap and peakDepth are
	// the largest heap and depth the child had reported at the samples
	// kept in series.
	peakRSS, peakHeap, peakDepth int64
	// series holds one sample per ReportInterval from the producers' start.
	series schema.Series
	// killed is schema.OOM or schema.Timeout when the parent killed the
	// child, else "".
	killed schema.Outcome
	// kill is where the parent killed the child; set with killed.
	kill *schema.Kill
}

// A watch samples one running child and kills it when it must.
type watch struct {
	// limit is the memory budget in bytes, 0 for none; timeout is the
	// time the child may run from began.
	limit   int64
	timeout time.Duration
	began   time.Time
	// rss reads the child's RSS; killChild kills the child.
	rss       func() (int64, error)
	killChild func()
	// events is the child's report so far: its latest sample, its start.
	events *events
	// onSample, if set, is given the child's status at every kept sample.
	onSample func(Status)
	// now is the clock: time.Now, but for tests.
	now func() time.Time

	// t0 is when the producers started, by the parent's clock; zero until
	// the event reader has seen the start.
	t0 time.Time
	// lastSample is when the latest sample was kept.
	lastSample time.Time
	measured
}

// newWatch returns a watch over c, which runs cfg and reports into ev.
func newWatch(c *child, cfg Config, ev *events, onSample func(Status)) *watch {
	return &watch{
		limit: int64(cfg.Spec.MemLimit), timeout: cfg.Spec.Timeout.D(), began: c.began,
		rss: c.rss, killChild: c.kill, events: ev, onSample: onSample, now: time.Now,
	}
}

// run watches the child until it has exited and returns Wait's error, as
// exited gives it. started gives the time the producers started. When ctx
// is cancelled first, run kills the child, waits for it and reports the
// interruption.
func (w *watch) run(ctx context.Context, started <-chan time.Time, exited <-chan error) (waitErr error, interrupted bool) {
	tick := time.NewTimer(SampleInterval)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			return err, false
		case <-ctx.Done():
			w.killChild()
			return <-exited, true
		case w.t0 = <-started:
			continue
		case <-tick.C:
		}
		if w.killed != "" {
			continue // killed: waiting for the process to be reaped
		}
		rss, err := w.rss()
		if err != nil || rss == 0 {
			// An error: the child is exiting. A child that has exited but
			// is not yet reaped reads as 0.
			tick.Reset(SampleInterval)
			continue
		}
		// Set the timer before observe, so that a slow onSample does not
		// delay the next reading.
		tick.Reset(w.interval(rss))
		w.observe(rss)
	}
}

// interval is the time from a reading of rss bytes to the next reading.
func (w *watch) interval(rss int64) time.Duration {
	if w.limit > 0 && rss > w.limit/4*3 {
		return time.Millisecond
	}
	return SampleInterval
}

// observe takes one reading of rss bytes: it raises the peak, keeps a
// sample when ReportInterval has passed since the last one kept, and kills
// the child when it is over its budget or past its timeout. A reading that
// kills is always kept.
func (w *watch) observe(rss int64) {
	w.peakRSS = max(w.peakRSS, rss)
	over := w.limit > 0 && rss > w.limit
	late := w.now().Sub(w.began) > w.timeout
	if !over && !late && w.now().Sub(w.lastSample) < ReportInterval-time.Millisecond {
		return
	}
	w.lastSample = w.now()
	last, started := w.events.progress()
	var tms float64
	if started && !w.t0.IsZero() {
		tms = float64(w.now().Sub(w.t0)) / 1e6
		w.series.Append(tms, rss, last.Heap, last.Depth, last.Sent, last.Received)
		w.peakHeap = max(w.peakHeap, last.Heap)
		w.peakDepth = max(w.peakDepth, last.Depth)
	}
	if w.onSample != nil {
		w.onSample(Status{Elapsed: w.now().Sub(w.began), RSS: rss, Depth: last.Depth, Sent: last.Sent, Received: last.Received})
	}
	if over || late {
		w.stop(over, tms, rss, last)
	}
}

// stop kills the child and records the kill: oom when it was over its
// budget, else timeout. tms is the time since the producers started (0
// before), rss the reading that decided it, last the child's last sample.
func (w *watch) stop(over bool, tms float64, rss int64, last Event) {
	w.killChild()
	w.killed = schema.Timeout
	if over {
		w.killed = schema.OOM
	}
	w.kill = &schema.Kill{AtMS: tms, RSSBytes: rss, Depth: last.Depth, Sent: last.Sent, Received: last.Received}
}
