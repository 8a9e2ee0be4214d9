package isolate

// The parent's side of a trial, in one place: Run starts the child
// (start.go), reads its events (events.go), watches it until it exits
// (watch.go), and turns what it saw into the trial (classify.go).

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
	// Elapsed is the time since the child started.
	Elapsed time.Duration
	// RSS is the child's resident set size at the sample, in bytes.
	RSS int64
	// Depth is the queue's length, and Sent and Received the messages
	// sent and received so far, as of the child's latest report.
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
// that could not be started, or ErrInterrupted. Run returns only once the
// child has exited and been reaped.
func (r *Runner) Run(ctx context.Context, cfg Config) (schema.Trial, error) {
	c, err := start(r.Command, cfg)
	if err != nil {
		return schema.Trial{}, err
	}
	ev := newEvents()
	started, exited := c.follow(ev)
	w := newWatch(c, cfg, ev, r.OnSample)
	waitErr, interrupted := w.run(ctx, started, exited)
	if interrupted {
		return schema.Trial{}, ErrInterrupted
	}
	return classify(&seen{
		impl: cfg.Impl, workload: cfg.Spec.Name, limit: w.limit, timeout: w.timeout,
		measured: w.measured, report: ev.snapshot(), exit: exitOf(waitErr), stderr: c.stderr.String(),
	}), nil
}
