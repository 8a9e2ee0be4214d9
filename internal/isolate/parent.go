package isolate

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
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

	st := events.snapshot()
	// The child reads its own RSS at every phase, the first (start) and the
	// last (drained, idle done) included: the peak covers those readings
	// too, so that a trial shorter than a sampling interval has a peak, and
	// no peak is below the start or the retained figure.
	for _, ev := range st.phases {
		trial.PeakRSSBytes = max(trial.PeakRSSBytes, ev.RSS)
	}
	for _, name := range []workloads.Phase{workloads.PhaseIdleDone, workloads.PhaseDrained} {
		if ev, ok := st.phases[string(name)]; ok && ev.RSS > 0 {
			trial.RetainedRSSBytes = ev.RSS
			break
		}
	}
	trial.StartRSSBytes = st.phases[string(workloads.PhaseStart)].RSS
	switch {
	case killed != "":
		trial.Outcome, trial.Kill = killed, kill
		if killed == schema.OOM {
			kill.OverBudgetBytes = max(0, trial.PeakRSSBytes-limit)
		}
		trial.Sent, trial.Received = kill.Sent, kill.Received
		if killed == schema.OOM {
			trial.Reason = fmt.Sprintf("RSS %s passed the %s budget after %.2f s with %d messages queued",
				mib(kill.RSSBytes), units.Bytes(float64(limit)), kill.AtMS/1000, kill.Depth)
		} else {
			trial.Reason = fmt.Sprintf("still running after the %v timeout", timeout)
		}
		if kill.AtMS > 0 {
			trial.Throughput = float64(kill.Received) / (kill.AtMS / 1000)
		}
	case exitCode(waitErr) == SelfKillExit:
		last := st.last
		trial.Outcome = schema.OOM
		trial.Kill = &schema.Kill{AtMS: last.TMS, RSSBytes: trial.PeakRSSBytes, Depth: last.Depth, Sent: last.Sent, Received: last.Received,
			OverBudgetBytes: max(0, trial.PeakRSSBytes-limit)}
		trial.Reason = fmt.Sprintf("the child stopped itself at %.1fx its %s budget", selfKillFactor, units.Bytes(float64(limit)))
	case st.result == nil || waitErr != nil:
		trial.Outcome = schema.Crash
		trial.Reason = crashReason(c.stderr.String(), waitErr)
		trial.Sent, trial.Received, trial.PeakDepth = st.last.Sent, st.last.Received, max(trial.PeakDepth, st.last.Depth)
	default:
		res := st.result
		res.Impl, res.Workload = trial.Impl, trial.Workload
		res.Series, res.PeakRSSBytes, res.RetainedRSSBytes = trial.Series, trial.PeakRSSBytes, trial.RetainedRSSBytes
		res.PeakHeapBytes, res.PeakDepth, res.MemLimitBytes = trial.PeakHeapBytes, trial.PeakDepth, trial.MemLimitBytes
		res.StartRSSBytes = trial.StartRSSBytes
		trial = *res
		trial.Outcome = schema.OK
		if bad := validation(&trial); bad != "" {
			trial.Outcome, trial.Reason = schema.Invalid, bad
		}
	}
	if trial.Kill != nil || trial.Outcome == schema.Crash {
		trial.Lost = 0 // unknown: the child did not finish counting
	}
	return trial, nil
}

// validation says what went wrong with the messages, or "".
func validation(t *schema.Trial) string {
	var parts []string
	if t.Lost != 0 {
		parts = append(parts, fmt.Sprintf("%d lost", t.Lost))
	}
	if t.Duplicates != 0 {
		parts = append(parts, fmt.Sprintf("%d duplicated", t.Duplicates))
	}
	if t.Reordered != 0 {
		parts = append(parts, fmt.Sprintf("%d out of order", t.Reordered))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("messages %s (sent %d, received %d, dropped %d)", strings.Join(parts, ", "), t.Sent, t.Received, t.Dropped)
}

// crashReason picks the panic or fatal error out of the child's stderr.
func crashReason(stderr string, waitErr error) string {
	lines := strings.Split(stderr, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") || strings.HasPrefix(l, "chanbench") {
			msg := l
			// A panic's value may continue on the next lines, up to the
			// blank line before the goroutine dump.
			for _, more := range lines[i+1:] {
				if more == "" || strings.HasPrefix(more, "goroutine ") || len(msg) > 400 {
					break
				}
				msg += " " + strings.TrimSpace(more)
			}
			return msg
		}
	}
	if waitErr != nil {
		return "child exited: " + waitErr.Error()
	}
	return "child exited without a result"
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return 0
}

// mib gives an RSS with a decimal, so that one just past a budget does not
// read as equal to it.
func mib(b int64) string { return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20)) }
