package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

func TestTrapUnboundedQueuesHitTheBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	const budget = 256 << 20
	r, stdout, code := runResults(t, "--workload", "slow-consumer", "--mem-limit", "256MiB",
		"--duration", "5s", "--impl", "list,segment,pump,bounded,ring", "--no-charts")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (oom is a finding)\n%s", code, stdout)
	}
	trials := byImpl(r)
	for _, q := range []string{"list", "segment", "pump"} {
		for _, tr := range trials[q] {
			if tr.Outcome != schema.OOM {
				t.Errorf("%s: outcome %s (%s), want oom", q, tr.Outcome, tr.Reason)
				continue
			}
			if tr.Kill == nil || tr.Kill.Depth < 10000 || tr.Kill.AtMS <= 0 {
				t.Errorf("%s: kill %+v, want the time and a deep queue", q, tr.Kill)
			}
			if tr.PeakRSSBytes > budget*11/10 {
				t.Errorf("%s: killed at %d MiB, more than 10%% past the budget", q, tr.PeakRSSBytes>>20)
			}
			if tr.Kill != nil && tr.Kill.OverBudgetBytes != max(0, tr.PeakRSSBytes-budget) {
				t.Errorf("%s: over budget by %d bytes recorded, peak %d", q, tr.Kill.OverBudgetBytes, tr.PeakRSSBytes)
			}
			if tr.Series.Len() < 10 {
				t.Errorf("%s: %d samples, want a time series", q, tr.Series.Len())
			}
		}
	}
	for _, q := range []string{"bounded", "ring"} {
		for _, tr := range trials[q] {
			if tr.Outcome != schema.OK {
				t.Errorf("%s: outcome %s (%s), want ok", q, tr.Outcome, tr.Reason)
			}
			if tr.PeakRSSBytes > 96<<20 {
				t.Errorf("%s: peak RSS %d MiB, want far below the budget", q, tr.PeakRSSBytes>>20)
			}
			if tr.BlockedFraction < 0.5 {
				t.Errorf("%s: producers blocked %.0f%% of the time, want backpressure", q, 100*tr.BlockedFraction)
			}
			if tr.Lost != 0 || tr.Received == 0 {
				t.Errorf("%s: received %d lost %d", q, tr.Received, tr.Lost)
			}
		}
	}
	if !strings.Contains(stdout, "oom") || !strings.Contains(stdout, "passed the 256 MiB budget") {
		t.Errorf("table does not tell of the oom kills:\n%s", stdout)
	}
}

func TestBurstLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	r, stdout, code := runResults(t, "--workload", "burst", "--duration", "1s", "--idle", "200ms", "--no-charts")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	ran := 0
	for _, tr := range r.Trials {
		switch {
		case tr.Impl == "spsc":
			if tr.Outcome != schema.Skipped {
				t.Errorf("spsc on 4 producers: %s, want skipped", tr.Outcome)
			}
		case tr.Outcome != schema.OK || tr.Lost != 0 || tr.Sent == 0 || tr.Received != tr.Sent ||
			// Unbounded queues take the whole burst; bounded ones push back,
			// and on a busy machine the 1s deadline may cut the burst short.
			!bounded(tr.Impl) && tr.Sent != 100000:
			t.Errorf("%s: %s sent %d received %d lost %d (%s)", tr.Impl, tr.Outcome, tr.Sent, tr.Received, tr.Lost, tr.Reason)
		default:
			ran++
			if tr.Latency == nil || tr.IntendedLatency == nil || tr.PeakRSSBytes == 0 || tr.RetainedRSSBytes == 0 || tr.Series.Len() == 0 {
				t.Errorf("%s: figures missing: %+v", tr.Impl, tr)
			}
		}
	}
	if ran < 6 {
		t.Errorf("%d queues ran, want every queue but spsc", ran)
	}
	for _, col := range []string{"msg/s", "p99", "peak RSS", "retained", "blocked", "lost"} {
		if !strings.Contains(stdout, col) {
			t.Errorf("table lacks %q:\n%s", col, stdout)
		}
	}
	if r.Machine.Cores == 0 || r.Machine.GoVersion == "" || r.Workload.Name != "burst" || r.Schema != schema.Schema {
		t.Errorf("results header incomplete: %+v", r.Machine)
	}
}

func bounded(impl string) bool {
	info, _ := impls.Lookup(impl)
	return info.Bounded
}

func TestRunJSONAndRepetitions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := cli(t, "run", "--workload", "spsc", "--impl", "spsc,chan", "--count", "2",
		"--duration", "200ms", "--json", "--quiet", "--no-charts", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r schema.Results
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("--json printed no results document: %v\n%s", err, stdout)
	}
	if len(r.Trials) != 4 {
		t.Fatalf("%d trials, want 2 queues × 2 repetitions", len(r.Trials))
	}
	// Interleaved: repetition 1 of both queues before repetition 2.
	if r.Trials[0].Repetition != 1 || r.Trials[1].Repetition != 1 || r.Trials[2].Repetition != 2 {
		t.Errorf("trial order %v %v %v %v, want repetitions interleaved across queues",
			r.Trials[0].Repetition, r.Trials[1].Repetition, r.Trials[2].Repetition, r.Trials[3].Repetition)
	}
	// spsc runs flat out, so its messages are sampled for latency.
	every := workloads.AutoLatencyEvery(&r.Workload)
	if every <= 1 {
		t.Errorf("flat-out producers stamp one message in %d, want sampling", every)
	}
	for _, tr := range r.Trials {
		if tr.Outcome != schema.OK || tr.Throughput <= 0 || tr.Latency == nil || tr.Latency.SampleEvery != every {
			t.Errorf("%s rep %d: %s %.0f msg/s latency %+v", tr.Impl, tr.Repetition, tr.Outcome, tr.Throughput, tr.Latency)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "results.json")); err != nil {
		t.Errorf("--json did not also write results.json: %v", err)
	}
}

func TestInterruptWritesFinishedTrials(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(binary, "run", "--workload", "steady", "--impl", "chan", "--count", "20",
		"--duration", "300ms", "--quiet", "--no-charts", "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("after SIGINT: %v, want exit 130\n%s", err, stderr.String())
	}
	r, err := schema.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Interrupted || len(r.Trials) == 0 || len(r.Trials) >= 20 {
		t.Errorf("interrupted=%v with %d trials, want the finished ones only", r.Interrupted, len(r.Trials))
	}
	for _, tr := range r.Trials {
		if tr.Outcome != schema.OK {
			t.Errorf("trial %d: %s, want only finished trials", tr.Repetition, tr.Outcome)
		}
	}
}

func TestBadInputExits2WithOneLine(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	malformed := write("malformed.yaml", "name: x\nproducers: [1,\n")
	unknownKey := write("unknown.yaml", "name: x\nproducerz: 2\n")
	noName := write("noname.yaml", "producers: 2\n")
	tabbed := write("tabbed.yaml", "name: x\nconsumer:\n\tservice_time: 1us\n")
	fileInTheWay := write("file", "")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown workload", []string{"--workload", "nope"}, `workload "nope": not a built-in`},
		{"malformed file", []string{"--workload", malformed}, "malformed.yaml"},
		{"unknown key", []string{"--workload", unknownKey}, `unknown key "producerz"`},
		{"no name", []string{"--workload", noName}, "name: missing"},
		{"unknown queue", []string{"--impl", "chan,nope"}, `unknown queue "nope"`},
		{"spsc with several producers", []string{"--workload", "steady", "--impl", "spsc"}, "spsc supports at most 1 producer"},
		{"zero producers", []string{"--producers", "0"}, "producers: 0"},
		{"negative consumers", []string{"--consumers", "-1"}, "consumers: -1"},
		{"zero count", []string{"--count", "0"}, "--count: 0"},
		{"budget below the harness", []string{"--mem-limit", "8MiB"}, "mem_limit: 8MiB is below"},
		{"unparsable size", []string{"--mem-limit", "lots"}, `"lots" is not a size`},
		{"unparsable duration", []string{"--duration", "soon"}, `"soon" is not a duration`},
		{"duration and messages", []string{"--duration", "1s", "--messages", "10"}, "--messages and --duration"},
		{"bad policy", []string{"--policy", "maybe"}, "unknown policy"},
		{"bad sweep key", []string{"--sweep", "colour=1,2"}, "--sweep"},
		{"bad sweep value", []string{"--sweep", "producers=1,x"}, "producers=x"},
		{"unknown flag", []string{"--frobnicate"}, "frobnicate"},
		{"stray argument", []string{"burst"}, `unexpected argument "burst"`},
		{"zero duration", []string{"--duration", "0"}, "--duration: 0"},
		{"zero messages", []string{"--messages", "0"}, "--messages: 0"},
		{"timeout shorter than the trial", []string{"--timeout", "1ns"}, "timeout: 1ns, want at least"},
		{"timeout shorter than duration and idle", []string{"--duration", "2s", "--idle", "2s", "--timeout", "4s"}, "timeout: 4s, want at least 5s"},
		{"payload larger than the budget", []string{"--payload", "1TiB"}, "does not fit the 1GiB memory budget"},
		{"payload larger than a small budget", []string{"--payload", "300MiB", "--mem-limit", "256MiB"}, "does not fit the 256MiB memory budget"},
		{"swept payload larger than the budget", []string{"--sweep", "payload=1KiB,2GiB"}, "payload=2GiB"},
		{"queue given twice", []string{"--impl", "chan,ring,chan"}, "chan given twice"},
		{"tab in a workload file", []string{"--workload", tabbed}, "line 3: indented with a tab"},
		{"policy meaningless for the queue", []string{"--workload", "spsc", "--impl", "spsc", "--policy", "drop-oldest"}, "spsc cannot drop its oldest value"},
		{"sweep value that cannot be a trial", []string{"--sweep", "consumers=1,0"}, "consumers=0"},
		{"output path below a file", []string{"--out", filepath.Join(fileInTheWay, "sub")}, "not a directory"},
		{"all beside a queue", []string{"--impl", "all,chan"}, "give it alone"},
		{"a swept key also given", []string{"--sweep", "producers=1,2", "--producers", "3"}, "the sweep sets producers"},
		{"a policy that can never act", []string{"--policy", "drop-newest", "--impl", "list,segment"}, "list and segment are unbounded"},
		{"value size not offered", []string{"--value-bytes", "48"}, "--value-bytes: 48, want one of 16, 32, 64"},
		{"value too small for a payload", []string{"--workload", "burst", "--value-bytes", "16"}, "value_bytes: 16 has no room for the payload"},
		{"swept value size not offered", []string{"--workload", "steady", "--sweep", "value_bytes=16,100"}, "value_bytes=100"},
		{"swept value size 0", []string{"--workload", "steady", "--sweep", "value_bytes=16,0"}, "value_bytes=0: 0, want one of"},
		{"a swept value size also given", []string{"--sweep", "value_bytes=16,64", "--value-bytes", "32"}, "--value-bytes and --sweep value_bytes"},
		{"a paced message count beyond the timeout", []string{"--workload", "slow-consumer", "--messages", "600", "--rate", "200", "--timeout", "2s"}, "sending 2.995s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			var stdout, stderr bytes.Buffer
			args := append([]string{"run", "--out", out}, tc.args...)
			if slices.Contains(tc.args, "--out") {
				args = append([]string{"run", "--duration", "100ms", "--impl", "chan"}, tc.args...)
			}
			code := Main(&stdout, &stderr, args)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			msg := stderr.String()
			if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, tc.want) {
				t.Errorf("stderr %q, want one line containing %q", msg, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("results written despite bad input")
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main(&stdout, &stderr, []string{"frob"}); code != 2 || !strings.Contains(stderr.String(), "unknown command") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestList(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main(&stdout, &stderr, []string{"list"}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"chan", "list", "ring", "bounded", "spsc", "segment", "pump", "burst", "slow-consumer", "steady", "mpmc", "1P×1C",
		"bounded  yes      all", "chan     yes      block", "list     no       –"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("list lacks %q", want)
		}
	}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("list: a line of %d characters: %q", n, line)
		}
	}
}

func TestSweepRunsEveryValueAndDrawsScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := cli(t, "run", "--quiet", "--out", out, "--workload", "steady", "--impl", "chan,spsc",
		"--sweep", "producers=1,2", "--count", "2", "--duration", "150ms", "--gomaxprocs", "2")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	r, err := schema.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Trials) != 8 {
		t.Fatalf("%d trials, want 2 values × 2 queues × 2 repetitions", len(r.Trials))
	}
	var order []string
	for _, tr := range r.Trials {
		order = append(order, fmt.Sprintf("%s@%s#%d", tr.Impl, tr.SweepValue, tr.Repetition))
		if tr.SweepKey != "producers" || tr.Params.Producers != atoiT(t, tr.SweepValue) || tr.Params.GOMAXPROCS != 2 {
			t.Errorf("%s: sweep %s=%s params %+v", tr.Impl, tr.SweepKey, tr.SweepValue, tr.Params)
		}
		wantSkip := tr.Impl == "spsc" && tr.SweepValue == "2"
		if (tr.Outcome == schema.Skipped) != wantSkip || (!wantSkip && tr.Outcome != schema.OK) {
			t.Errorf("%s@%s: %s (%s)", tr.Impl, tr.SweepValue, tr.Outcome, tr.Reason)
		}
	}
	want := "chan@1#1 spsc@1#1 chan@2#1 spsc@2#1 chan@1#2 spsc@1#2 chan@2#2 spsc@2#2"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("trial order\n got %s\nwant %s (interleaved across queues, values and repetitions)", got, want)
	}
	if !strings.Contains(stdout, "producers") || !strings.Contains(stdout, "skipped") {
		t.Errorf("table lacks the swept column or the skip note:\n%s", stdout)
	}
	for _, name := range []string{"scaling.png", "scaling.svg", "throughput.png", "report.md"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v, want a chart of the sweep", name, err)
		}
	}
}

func atoiT(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPeakCoversEverySample runs trials far shorter than the parent's
// sampling interval: the peak must still be there, and never below the
// RSS at the start or the RSS retained at the end.
func TestPeakCoversEverySample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	r, stdout, code := runResults(t, "--workload", "steady", "--impl", "chan,list,segment", "--messages", "8", "--no-charts")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	for _, tr := range r.Trials {
		if tr.PeakRSSBytes == 0 || tr.PeakRSSBytes < tr.RetainedRSSBytes || tr.PeakRSSBytes < tr.StartRSSBytes {
			t.Errorf("%s: peak %d, start %d, retained %d: the peak must cover both", tr.Impl, tr.PeakRSSBytes, tr.StartRSSBytes, tr.RetainedRSSBytes)
		}
	}
	if strings.Contains(stdout, " 0 B") {
		t.Errorf("a memory figure of 0 B in the table:\n%s", stdout)
	}
}

// TestPoliciesNeverAccuseACorrectQueue runs the non-blocking policies end
// to end against queues that only block (chan, ring), one that carries out
// the policies itself (bounded) and an unbounded one (list): no trial may
// be invalid, every message is received or counted as dropped, and each
// trial records who carried out the policy.
func TestPoliciesNeverAccuseACorrectQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	for _, tc := range []struct {
		workload, policy string
	}{
		{"steady", "reject"},
		{"burst", "drop-oldest"},
		{"burst", "drop-newest"},
	} {
		t.Run(tc.workload+"/"+tc.policy, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			stdout, stderr, code := cli(t, "run", "--quiet", "--out", out, "--workload", tc.workload, "--policy", tc.policy,
				"--impl", "chan,ring,bounded,list", "--duration", "300ms", "--idle", "0s", "--payload", "0")
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			r, err := schema.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			wantBy := map[string]string{"chan": "producer", "ring": "producer", "bounded": "queue", "list": "none"}
			for _, tr := range r.Trials {
				if tr.Outcome != schema.OK || tr.Lost != 0 || tr.Received+tr.Dropped != tr.Sent {
					t.Errorf("%s: %s (%s): sent %d, received %d, dropped %d, lost %d", tr.Impl, tr.Outcome, tr.Reason, tr.Sent, tr.Received, tr.Dropped, tr.Lost)
				}
				if tr.Params.PolicyBy != wantBy[tr.Impl] {
					t.Errorf("%s: policy carried out by %q, want %q", tr.Impl, tr.Params.PolicyBy, wantBy[tr.Impl])
				}
				if tc.workload == "burst" && tr.Impl != "list" && tr.Dropped == 0 {
					t.Errorf("%s: nothing dropped by a 1024-slot queue under bursts of 100,000", tr.Impl)
				}
			}
			report, err := os.ReadFile(filepath.Join(out, "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(report), " lost ") || strings.Contains(stdout, "invalid") {
				t.Errorf("a queue accused of losing messages:\n%s\n%s", stdout, report)
			}
		})
	}
}

// TestUnbufferedAndOneSlot runs Go's unbuffered channel and capacity 1 end
// to end: chan delivers everything, a queue that needs a slot is skipped
// with the reason, and a capacity sweep from 0 gives a trial per value.
func TestUnbufferedAndOneSlot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	r, stdout, code := runResults(t, "--workload", "steady", "--impl", "chan,ring,list", "--capacity", "0",
		"--duration", "200ms", "--no-charts")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	for _, tr := range r.Trials {
		switch tr.Impl {
		case "ring":
			if tr.Outcome != schema.Skipped || !strings.Contains(tr.Reason, "capacity of at least 1, not 0") {
				t.Errorf("ring at capacity 0: %s (%s), want skipped for its capacity", tr.Outcome, tr.Reason)
			}
		default:
			if tr.Outcome != schema.OK || tr.Lost != 0 || tr.Received != tr.Sent || tr.Sent == 0 || tr.Params.Capacity != 0 {
				t.Errorf("%s at capacity 0: %s (%s), sent %d, received %d, capacity %d", tr.Impl, tr.Outcome, tr.Reason, tr.Sent, tr.Received, tr.Params.Capacity)
			}
		}
	}
	if !strings.Contains(stdout, "ring skipped: ring needs a capacity of at least 1, not 0") {
		t.Errorf("no reason for the skip:\n%s", stdout)
	}
	r, stdout, code = runResults(t, "--workload", "burst", "--impl", "chan,ring,bounded", "--sweep", "capacity=0,1",
		"--duration", "300ms", "--idle", "0s", "--payload", "0", "--no-charts")
	if code != 0 {
		t.Fatalf("sweep: exit %d\n%s", code, stdout)
	}
	ran := map[string]bool{}
	for _, tr := range r.Trials {
		ran[tr.Impl+"@"+tr.SweepValue+"="+string(tr.Outcome)] = true
		if tr.Outcome == schema.OK && (tr.Lost != 0 || tr.Received != tr.Sent) {
			t.Errorf("%s@%s: sent %d, received %d, lost %d", tr.Impl, tr.SweepValue, tr.Sent, tr.Received, tr.Lost)
		}
	}
	for _, want := range []string{"chan@0=ok", "chan@1=ok", "ring@0=skipped", "ring@1=ok", "bounded@0=skipped", "bounded@1=ok"} {
		if !ran[want] {
			t.Errorf("no trial %s among %v", want, ran)
		}
	}
}

// TestValueBytesSweep runs one trial per value size per queue: each builds
// its queue for that size, records it, and loses nothing.
func TestValueBytesSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	r, stdout, code := runResults(t, "--workload", "steady", "--impl", "chan,ring", "--sweep", "value-bytes=16,64,1024",
		"--messages", "20000", "--no-charts")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if len(r.Trials) != 6 {
		t.Fatalf("%d trials, want 3 sizes × 2 queues", len(r.Trials))
	}
	for _, tr := range r.Trials {
		if tr.SweepKey != "value_bytes" || tr.Params.ValueBytes != atoiT(t, tr.SweepValue) {
			t.Errorf("%s: sweep %s=%s, value_bytes %d", tr.Impl, tr.SweepKey, tr.SweepValue, tr.Params.ValueBytes)
		}
		if tr.Outcome != schema.OK || tr.Lost != 0 || tr.Received != 20000 {
			t.Errorf("%s@%s: %s (%s), received %d, lost %d", tr.Impl, tr.SweepValue, tr.Outcome, tr.Reason, tr.Received, tr.Lost)
		}
	}
	if !strings.Contains(stdout, "{16,64,1024}B values") || !strings.Contains(stdout, "value_bytes") {
		t.Errorf("the table does not show the value sizes:\n%s", stdout)
	}
	r, _, code = runResults(t, "--workload", "burst", "--impl", "chan", "--duration", "200ms", "--idle", "0s", "--no-charts")
	if code != 0 || len(r.Trials) != 1 || r.Trials[0].Params.ValueBytes != 32 {
		t.Errorf("burst (with a payload): exit %d, trials %+v, want one of 32-byte values", code, r.Trials)
	}
}
