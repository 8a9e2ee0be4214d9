package isolate

import (
	"context"
	"errors"
	"time"

	"github.com/chanbench/chanbench/schema"
)

// ErrInterrupted is returned by Run when its context was cancelled: the
// child was stopped and the trial has no outcome.
var ErrInterrupted = errors.New("trial interrupted")

// Status is a trial's progress, given to Run's callback at every sample.
type Status struct {
	Elapsed  time.Duration
	RSS      int64
	Depth    int64
	Sent     int64
	Received int64
}

// A Runner starts children and watches them.
type Runner struct {
	// Command is the child's command line: the chanbench binary and the
	// hidden subcommand that calls Child.
	Command []string
	// OnSample, if set, is called at every sample with the trial's status.
	OnSample func(Status)
}

// Run runs one trial in a child process and returns it with its outcome:
// ok or invalid from the child's own result, oom or timeout when the parent
// killed it, crash when it died by itself. The error is only for a child
// that could not be started, or ErrInterrupted.
func (r *Runner) Run(ctx context.Context, cfg Config) (schema.Trial, error) {
	c, err := start(r.Command, cfg)
	if err != nil {
		return schema.Trial{}, err
	}
	events := newEvents()
	var t0 time.Time // when the producers started, by the parent's clock
	t0ch, waitDone := c.follow(events)
	began := c.began

	trial := schema.Trial{Impl: cfg.Impl, Workload: cfg.Spec.Name, MemLimitBytes: int64(cfg.Spec.MemLimit)}
	limit := int64(cfg.Spec.MemLimit)
	timeout := cfg.Spec.Timeout.D()
	// The watch polls RSS every SampleInterval, and every millisecond once
	// RSS is past three quarters of the budget, so that even a child that
	// grows at GiB/s is killed close to the budget; every reading counts for
	// the peak. The series keeps one sample per ReportInterval, the pace of
	// the child's reports.
	tick := time.NewTimer(SampleInterval)
	defer tick.Stop()
	var lastSample time.Time
	var kill *schema.Kill
	var killed schema.Outcome
	var waitErr error
	interrupted := false
loop:
	for {
		select {
		case waitErr = <-waitDone:
			break loop
		case <-ctx.Done():
			interrupted = true
			c.kill()
			waitErr = <-waitDone
			break loop
		case t0 = <-t0ch:
			continue
		case <-tick.C:
		}
		if killed != "" {
			continue // killed: waiting for the process to be reaped
		}
		rss, err := c.rss()
		if err != nil {
			tick.Reset(SampleInterval)
			continue // exiting
		}
		if rss == 0 {
			// A child that has exited but is not yet reaped reads as 0.
			tick.Reset(SampleInterval)
			continue
		}
		if limit > 0 && rss > limit/4*3 {
			tick.Reset(time.Millisecond)
		} else {
			tick.Reset(SampleInterval)
		}
		over := limit > 0 && rss > limit
		late := time.Since(began) > timeout
		if !over && !late && time.Since(lastSample) < ReportInterval-time.Millisecond {
			trial.PeakRSSBytes = max(trial.PeakRSSBytes, rss)
			continue
		}
		lastSample = time.Now()
		trial.PeakRSSBytes = max(trial.PeakRSSBytes, rss)
		last, started := events.progress()
		var tms float64
		if started && !t0.IsZero() {
			tms = float64(time.Since(t0)) / 1e6
			trial.Series.Append(tms, rss, last.Heap, last.Depth, last.Sent, last.Received)
			trial.PeakHeapBytes = max(trial.PeakHeapBytes, last.Heap)
			trial.PeakDepth = max(trial.PeakDepth, last.Depth)
		}
		if r.OnSample != nil {
			r.OnSample(Status{Elapsed: time.Since(began), RSS: rss, Depth: last.Depth, Sent: last.Sent, Received: last.Received})
		}
		if over || late {
			c.kill()
			killed = schema.Timeout
			if over {
				killed = schema.OOM
			}
			kill = &schema.Kill{AtMS: tms, RSSBytes: rss, Depth: last.Depth, Sent: last.Sent, Received: last.Received}
		}
	}
	if interrupted {
		return schema.Trial{}, ErrInterrupted
	}

	s := &seen{impl: cfg.Impl, workload: cfg.Spec.Name, limit: limit, timeout: timeout,
		measured: measured{peakRSS: trial.PeakRSSBytes, peakHeap: trial.PeakHeapBytes, peakDepth: trial.PeakDepth,
			series: trial.Series, killed: killed, kill: kill},
		report: events.snapshot(), exit: exitOf(waitErr), stderr: c.stderr.String()}
	return classify(s), nil
}
