package isolate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chanbench/chanbench/schema"
)

const mb = 1 << 20

// testSeen is a child that ran to the end: the parent sampled it and it
// sent its phases, a last sample and a result. The cases of TestClassify
// change it.
func testSeen() *seen {
	var series schema.Series
	series.Append(50, 40*mb, 20*mb, 100, 500, 400)
	return &seen{
		impl: "ring", workload: "burst", limit: 64 * mb, timeout: 2 * time.Second,
		measured: measured{peakRSS: 40 * mb, peakHeap: 20 * mb, peakDepth: 100, series: series},
		report: report{
			started: true,
			last:    Event{Kind: kindSample, TMS: 900, Heap: 20 * mb, Depth: 50, Sent: 900, Received: 850},
			phases: map[string]Event{
				"start":   {Kind: kindPhase, Phase: "start", RSS: 10 * mb},
				"drained": {Kind: kindPhase, TMS: 1000, Phase: "drained", RSS: 30 * mb},
			},
			result: &schema.Trial{ElapsedSec: 1, Sent: 1000, Received: 1000, Throughput: 1000},
		},
	}
}

// parentPart is the part of the trial the parent measured in testSeen.
func parentPart() schema.Trial {
	var series schema.Series
	series.Append(50, 40*mb, 20*mb, 100, 500, 400)
	return schema.Trial{Impl: "ring", Workload: "burst", MemLimitBytes: 64 * mb,
		PeakRSSBytes: 40 * mb, PeakHeapBytes: 20 * mb, PeakDepth: 100, Series: series,
		StartRSSBytes: 10 * mb, RetainedRSSBytes: 30 * mb}
}

// childPart is parentPart with the child's result of testSeen merged in.
func childPart() schema.Trial {
	t := parentPart()
	t.ElapsedSec, t.Sent, t.Received, t.Throughput = 1, 1000, 1000, 1000
	return t
}

var (
	errSignal = errors.New("signal: killed")
	errExit1  = errors.New("exit status 1")
	errExit2  = errors.New("exit status 2")
	errExit3  = errors.New("exit status 3")
)

// classifyTests are the cases of TestClassify: each changes testSeen and
// sets the trial it wants.
var classifyTests = []struct {
	name   string
	change func(s *seen)
	want   func(t *schema.Trial)
}{
	{"ok", func(s *seen) {}, func(t *schema.Trial) {
		*t = childPart()
		t.Outcome = schema.OK
	}},
	{"ok with the drops counted", func(s *seen) {
		s.report.result.Received, s.report.result.Dropped = 900, 100
	}, func(t *schema.Trial) {
		*t = childPart()
		t.Outcome, t.Received, t.Dropped = schema.OK, 900, 100
	}},
	{"lost", func(s *seen) {
		s.report.result.Received, s.report.result.Lost = 997, 3
	}, func(t *schema.Trial) {
		*t = childPart()
		t.Outcome, t.Received, t.Lost = schema.Invalid, 997, 3
		t.Reason = "messages 3 lost (sent 1000, received 997, dropped 0)"
	}},
	{"duplicated and reordered", func(s *seen) {
		s.report.result.Duplicates, s.report.result.Reordered = 2, 5
	}, func(t *schema.Trial) {
		*t = childPart()
		t.Outcome, t.Duplicates, t.Reordered = schema.Invalid, 2, 5
		t.Reason = "messages 2 duplicated, 5 out of order (sent 1000, received 1000, dropped 0)"
	}},
	{"the child's phase reading raises the peak", func(s *seen) {
		s.report.phases["drained"] = Event{Kind: kindPhase, Phase: "drained", RSS: 50 * mb}
	}, func(t *schema.Trial) {
		*t = childPart()
		t.Outcome, t.PeakRSSBytes, t.RetainedRSSBytes = schema.OK, 50*mb, 50*mb
	}},
	{"idle done is retained before drained", func(s *seen) {
		s.report.phases["idle_done"] = Event{Kind: kindPhase, Phase: "idle_done", RSS: 25 * mb}
	}, func(t *schema.Trial) {
		*t = childPart()
		t.Outcome, t.RetainedRSSBytes = schema.OK, 25*mb
	}},
	{"a phase read as 0 is not retained", func(s *seen) {
		s.report.phases["idle_done"] = Event{Kind: kindPhase, Phase: "idle_done"}
	}, func(t *schema.Trial) {
		*t = childPart()
		t.Outcome = schema.OK
	}},
	{"killed over the budget", func(s *seen) {
		s.peakRSS, s.report.result = 70*mb, nil
		s.killed, s.kill = schema.OOM, &schema.Kill{AtMS: 1500, RSSBytes: 64*mb + mb/2, Depth: 1234, Sent: 6000, Received: 3000}
		s.exit = exit{code: -1, err: errSignal}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.PeakRSSBytes, t.Sent, t.Received, t.Throughput = schema.OOM, 70*mb, 6000, 3000, 2000
		t.Kill = &schema.Kill{AtMS: 1500, RSSBytes: 64*mb + mb/2, Depth: 1234, Sent: 6000, Received: 3000, OverBudgetBytes: 6 * mb}
		t.Reason = "RSS 64.50 MiB passed the 64 MiB budget after 1.50 s with 1234 messages queued"
	}},
	{"killed over the budget before the producers started", func(s *seen) {
		s.peakRSS, s.report.result, s.report.phases = 65*mb, nil, map[string]Event{}
		s.killed, s.kill = schema.OOM, &schema.Kill{RSSBytes: 65 * mb}
		s.exit = exit{code: -1, err: errSignal}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.PeakRSSBytes, t.StartRSSBytes, t.RetainedRSSBytes = schema.OOM, 65*mb, 0, 0
		t.Kill = &schema.Kill{RSSBytes: 65 * mb, OverBudgetBytes: mb}
		t.Reason = "RSS 65.00 MiB passed the 64 MiB budget after 0.00 s with 0 messages queued"
	}},
	{"killed past the timeout", func(s *seen) {
		s.report.result = nil
		s.killed, s.kill = schema.Timeout, &schema.Kill{AtMS: 2000, RSSBytes: 40 * mb, Depth: 7, Sent: 900, Received: 850}
		s.exit = exit{code: -1, err: errSignal}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.Sent, t.Received, t.Throughput = schema.Timeout, 900, 850, 425
		t.Kill = &schema.Kill{AtMS: 2000, RSSBytes: 40 * mb, Depth: 7, Sent: 900, Received: 850}
		t.Reason = "still running after the 2s timeout"
	}},
	{"a kill outranks the result and the exit status", func(s *seen) {
		s.report.result.Lost = 7
		s.killed, s.kill = schema.Timeout, &schema.Kill{AtMS: 2000, Sent: 900, Received: 850}
		s.exit = exit{code: SelfKillExit, err: errExit3}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.Sent, t.Received, t.Throughput = schema.Timeout, 900, 850, 425
		t.Kill = &schema.Kill{AtMS: 2000, Sent: 900, Received: 850}
		t.Reason = "still running after the 2s timeout"
	}},
	{"stopped itself past its budget", func(s *seen) {
		s.peakRSS, s.report.result = 100*mb, nil
		s.exit = exit{code: SelfKillExit, err: errExit3}
		s.stderr = "chanbench trial: RSS past 1.5x the memory budget; stopping\n"
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.PeakRSSBytes = schema.OOM, 100*mb
		t.Kill = &schema.Kill{AtMS: 900, RSSBytes: 100 * mb, Depth: 50, Sent: 900, Received: 850, OverBudgetBytes: 36 * mb}
		t.Reason = "the child stopped itself at 1.5x its 64 MiB budget"
	}},
	{"killed by a signal from elsewhere", func(s *seen) {
		s.report.result = nil
		s.exit = exit{code: -1, err: errSignal}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.Sent, t.Received = schema.Crash, 900, 850
		t.Reason = "child exited: signal: killed"
	}},
	{"a crash keeps the deepest queue", func(s *seen) {
		s.report.result, s.report.last.Depth = nil, 500
		s.exit = exit{code: -1, err: errSignal}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.Sent, t.Received, t.PeakDepth = schema.Crash, 900, 850, 500
		t.Reason = "child exited: signal: killed"
	}},
	{"panic", func(s *seen) {
		s.report.result = nil
		s.exit = exit{code: 2, err: errExit2}
		s.stderr = "panic: queue broke\n\ngoroutine 1 [running]:\nmain.main()\n"
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.Sent, t.Received = schema.Crash, 900, 850
		t.Reason = "panic: queue broke"
	}},
	{"a result and then a failed exit", func(s *seen) {
		s.report.result.Lost = 4
		s.exit = exit{code: 1, err: errExit1}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.Sent, t.Received = schema.Crash, 900, 850
		t.Reason = "child exited: exit status 1"
	}},
	{"a clean exit without a result", func(s *seen) {
		s.report = report{phases: map[string]Event{}}
	}, func(t *schema.Trial) {
		*t = parentPart()
		t.Outcome, t.StartRSSBytes, t.RetainedRSSBytes = schema.Crash, 0, 0
		t.Reason = "child exited without a result"
	}},
}

func TestClassify(t *testing.T) {
	for _, tc := range classifyTests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSeen()
			tc.change(s)
			var want schema.Trial
			tc.want(&want)
			got := classify(s)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("classify\n got %+v\nwant %+v", got, want)
				if !reflect.DeepEqual(got.Kill, want.Kill) {
					t.Errorf("kill\n got %+v\nwant %+v", got.Kill, want.Kill)
				}
			}
			checkTrial(t, got, s)
		})
	}
}

// checkTrial checks the invariants classify promises (see classify.go).
func checkTrial(t *testing.T, tr schema.Trial, s *seen) {
	t.Helper()
	if killed := tr.Outcome == schema.OOM || tr.Outcome == schema.Timeout; killed != (tr.Kill != nil) {
		t.Errorf("outcome %s with kill %+v", tr.Outcome, tr.Kill)
	}
	if (tr.Kill != nil || tr.Outcome == schema.Crash) && tr.Lost != 0 {
		t.Errorf("outcome %s with %d lost, want 0", tr.Outcome, tr.Lost)
	}
	for name, ev := range s.report.phases {
		if tr.PeakRSSBytes < ev.RSS {
			t.Errorf("peak RSS %d below the %s phase's %d", tr.PeakRSSBytes, name, ev.RSS)
		}
	}
}

// TestClassifyLeavesItsInputAlone checks that classify is pure: the kill
// and the result it was given are not changed.
func TestClassifyLeavesItsInputAlone(t *testing.T) {
	s := testSeen()
	s.peakRSS, s.killed, s.kill = 70*mb, schema.OOM, &schema.Kill{RSSBytes: 65 * mb}
	tr := classify(s)
	if s.kill.OverBudgetBytes != 0 || tr.Kill == s.kill {
		t.Errorf("classify changed or shared the watch's kill: %+v", s.kill)
	}
	s = testSeen()
	classify(s)
	if r := s.report.result; r.Impl != "" || r.Outcome != "" || r.PeakRSSBytes != 0 {
		t.Errorf("classify changed the child's result: %+v", r)
	}
}

func TestCrashReason(t *testing.T) {
	long, more := strings.Repeat("x", 300), strings.Repeat("y", 200)
	tests := []struct {
		name, stderr string
		waitErr      error
		want         string
	}{
		{"panic", "panic: boom\n\ngoroutine 1 [running]:\n", errExit2, "panic: boom"},
		{"a panic value on several lines", "panic: first\n  second\nthird\n\ngoroutine 1 [running]:\n", errExit2, "panic: first second third"},
		{"no blank line before the goroutines", "panic: x\ngoroutine 1 [running]:\n", errExit2, "panic: x"},
		{"a recovered and repanicked value", "log line\npanic: boom [recovered]\n\tpanic: boom\n\ngoroutine 1", errExit2, "panic: boom [recovered] panic: boom"},
		{"a fatal error after the runtime's own lines", "runtime: out of memory\nfatal error: out of memory\n\ngoroutine 1", errExit2, "fatal error: out of memory"},
		{"chanbench's own message", "chanbench trial: read config: EOF\n", errExit1, "chanbench trial: read config: EOF"},
		{"a long value stops past 400 bytes", "panic: " + long + "\n" + more + "\nthird\n", errExit2, "panic: " + long + " " + more},
		{"nothing recognised", "some noise\n", errSignal, "child exited: signal: killed"},
		{"nothing at all", "", nil, "child exited without a result"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := crashReason(tc.stderr, tc.waitErr); got != tc.want {
				t.Errorf("crashReason = %.80q, want %.80q", got, tc.want)
			}
		})
	}
}

// TestExitOf checks the reading of real exits: a clean one, a status, a
// signal, and an error that is not about an exit.
func TestExitOf(t *testing.T) {
	run := func(helper string, kill bool) error {
		c, err := start(helperCommand(t, helper), testConfig)
		if err != nil {
			t.Fatal(err)
		}
		if kill {
			c.kill()
		}
		_, exited := c.follow(newEvents())
		return <-exited
	}
	other := errors.New("read pipe: broken")
	tests := []struct {
		name    string
		err     error
		code    int
		errText string
	}{
		{"clean", run("events", false), 0, ""},
		{"status 3", run("fail", false), 3, "exit status 3"},
		{"killed", run("sleep", true), -1, "signal: killed"},
		{"not about an exit", other, 0, other.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := exitOf(tc.err)
			errText := ""
			if e.err != nil {
				errText = e.err.Error()
			}
			if e.code != tc.code || errText != tc.errText {
				t.Errorf("exitOf(%v) = code %d, err %q; want %d, %q", tc.err, e.code, errText, tc.code, tc.errText)
			}
		})
	}
}
