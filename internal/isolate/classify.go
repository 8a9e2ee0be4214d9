package isolate

// The classifier: what the parent saw of a finished child — its own
// sampling, the child's events, the exit status, the head of stderr —
// becomes one schema.Trial with an outcome and a reason. It is a pure
// function of what it is given: it reads no clock and no process.
//
// The rules, in the order they are tried:
//  1. The watch killed the child: oom or timeout, as the watch decided.
//  2. The child exited with SelfKillExit: oom, the child's safety net.
//  3. The child sent no result, or its exit was not clean: crash.
//  4. Otherwise the child's result stands: ok, or invalid when messages
//     were lost, duplicated or reordered.
//
// Invariants of the trial it returns:
//  Kill is set exactly when the outcome is oom or timeout (a child's
//  result never carries one).
//  Lost is 0 whenever Kill is set or the outcome is crash: the child did
//  not finish counting, so nothing is known to be lost.
//  PeakRSSBytes is at least every RSS the child reported at a phase.

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// seen is everything the parent learned of one finished child.
type seen struct {
	// impl and workload name the trial.
	impl, workload string
	// limit is the memory budget in bytes, 0 for none; timeout is the
	// trial's time limit.
	limit   int64
	timeout time.Duration
	// measured is what the parent's own sampling found.
	measured
	// report is what the child said in its events.
	report report
	// exit is how the child's process ended.
	exit exit
	// stderr is the head of the child's stderr.
	stderr string
}

// An exit is how the child's process ended.
type exit struct {
	// code is the exit status: -1 for a child killed by a signal, 0 when
	// err is nil or is not about an exit status.
	code int
	// err is what Wait returned: nil for an exit with status 0.
	err error
}

// exitOf reads the exit of a child from what Wait returned.
func exitOf(err error) exit { return exit{code: exitCode(err), err: err} }

// classify turns what was seen of a finished child into its trial, with
// the outcome and reason of the first rule that applies (see the top of
// this file).
func classify(s *seen) schema.Trial {
	t := schema.Trial{
		Impl: s.impl, Workload: s.workload, MemLimitBytes: s.limit,
		PeakRSSBytes: s.peakRSS, PeakHeapBytes: s.peakHeap, PeakDepth: s.peakDepth, Series: s.series,
	}
	phaseRSS(&t, s.report.phases)
	switch {
	case s.killed != "":
		killed(&t, s)
	case s.exit.code == SelfKillExit:
		selfKilled(&t, s)
	case s.report.result == nil || s.exit.err != nil:
		t.Outcome = schema.Crash
		t.Reason = crashReason(s.stderr, s.exit.err)
		last := s.report.last
		t.Sent, t.Received, t.PeakDepth = last.Sent, last.Received, max(t.PeakDepth, last.Depth)
	default:
		t = finished(t, *s.report.result)
	}
	if t.Kill != nil || t.Outcome == schema.Crash {
		t.Lost = 0 // unknown: the child did not finish counting
	}
	return t
}

// phaseRSS takes the child's own RSS readings at its phases into t. The
// child reads its RSS at every phase, the first (start) and the last
// (drained, idle done) included: the peak covers those readings too, so
// that a trial shorter than a sampling interval has a peak, and no peak is
// below the start or the retained figure.
func phaseRSS(t *schema.Trial, phases map[string]Event) {
	for _, ev := range phases {
		t.PeakRSSBytes = max(t.PeakRSSBytes, ev.RSS)
	}
	for _, name := range []workloads.Phase{workloads.PhaseIdleDone, workloads.PhaseDrained} {
		if ev, ok := phases[string(name)]; ok && ev.RSS > 0 {
			t.RetainedRSSBytes = ev.RSS
			break
		}
	}
	t.StartRSSBytes = phases[string(workloads.PhaseStart)].RSS
}

// killed records the parent's kill: oom or timeout, with the counts and
// the throughput as of the kill.
func killed(t *schema.Trial, s *seen) {
	kill := *s.kill
	t.Outcome, t.Kill = s.killed, &kill
	if s.killed == schema.OOM {
		kill.OverBudgetBytes = max(0, t.PeakRSSBytes-s.limit)
	}
	t.Sent, t.Received = kill.Sent, kill.Received
	if s.killed == schema.OOM {
		t.Reason = fmt.Sprintf("RSS %s passed the %s budget after %.2f s with %d messages queued",
			mib(kill.RSSBytes), units.Bytes(float64(s.limit)), kill.AtMS/1000, kill.Depth)
	} else {
		t.Reason = fmt.Sprintf("still running after the %v timeout", s.timeout)
	}
	t.Throughput = schema.Throughput(kill.Received, kill.AtMS/1000)
}

// selfKilled records a child that stopped itself past selfKillFactor times
// its budget: oom, with a kill placed at its last sample.
func selfKilled(t *schema.Trial, s *seen) {
	last := s.report.last
	t.Outcome = schema.OOM
	t.Kill = &schema.Kill{AtMS: last.TMS, RSSBytes: t.PeakRSSBytes, Depth: last.Depth, Sent: last.Sent, Received: last.Received,
		OverBudgetBytes: max(0, t.PeakRSSBytes-s.limit)}
	t.Reason = fmt.Sprintf("the child stopped itself at %.1fx its %s budget", selfKillFactor, units.Bytes(float64(s.limit)))
}

// finished merges the parent's figures in t into the child's result res:
// the child counted the messages and timed them, the parent measured the
// memory. The outcome is ok, or invalid when validation finds a fault.
func finished(t, res schema.Trial) schema.Trial {
	res.Impl, res.Workload = t.Impl, t.Workload
	res.Series, res.PeakRSSBytes, res.RetainedRSSBytes = t.Series, t.PeakRSSBytes, t.RetainedRSSBytes
	res.PeakHeapBytes, res.PeakDepth, res.MemLimitBytes = t.PeakHeapBytes, t.PeakDepth, t.MemLimitBytes
	res.StartRSSBytes = t.StartRSSBytes
	res.Outcome = schema.OK
	if bad := validation(&res); bad != "" {
		res.Outcome, res.Reason = schema.Invalid, bad
	}
	return res
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

// exitCode is the exit status in err, or 0 when err is nil or not about
// an exit status.
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
