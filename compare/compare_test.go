package compare

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/schema/schematest"
)

// scaled returns xs multiplied by f.
func scaled(f float64, xs ...float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * f
	}
	return out
}

// Six repetitions with about 2% spread.
var sixReps = []float64{10.0e6, 10.1e6, 9.9e6, 10.2e6, 9.8e6, 10.05e6}

func concat(tss ...[]schema.Trial) []schema.Trial {
	var out []schema.Trial
	for _, ts := range tss {
		out = append(out, ts...)
	}
	return out
}

func mustCompare(t *testing.T, old, new *schema.Results, opt Options) *Comparison {
	t.Helper()
	c, err := Runs("old", []*schema.Results{old}, "new", []*schema.Results{new}, opt)
	if err != nil {
		t.Fatalf("Runs: %v", err)
	}
	return c
}

// findDelta returns the delta of impl's metric, failing the test if absent.
func findDelta(t *testing.T, c *Comparison, impl, metric string) Delta {
	t.Helper()
	for _, d := range c.Deltas {
		if d.Impl == impl && d.Metric == metric {
			return d
		}
	}
	t.Fatalf("no %s %s in the comparison; have %v", impl, metric, c.Deltas)
	return Delta{}
}

func TestVerdicts(t *testing.T) {
	overlapOld := []float64{10.0e6, 10.5e6, 9.5e6, 10.2e6, 9.8e6, 10.1e6}
	overlapNew := []float64{10.1e6, 9.6e6, 10.4e6, 9.9e6, 10.3e6, 9.7e6}
	tests := []struct {
		name      string
		old, new  []float64
		opt       Options
		verdict   Verdict
		change    float64 // rounded to 0.1%
		wantNote  string
		wantNoteP bool
	}{
		{name: "20% slower, clear separation", old: sixReps, new: scaled(0.8, sixReps...),
			opt: DefaultOptions, verdict: Worse, change: -0.2},
		{name: "25% faster", old: sixReps, new: scaled(1.25, sixReps...),
			opt: DefaultOptions, verdict: Better, change: 0.25},
		{name: "overlapping samples", old: overlapOld, new: overlapNew,
			opt: DefaultOptions, verdict: NoChange},
		{name: "too few samples", old: sixReps[:3], new: scaled(0.8, sixReps[:3]...),
			opt: DefaultOptions, verdict: NoChange, change: -0.2,
			wantNote: "need >= 4 samples to detect a difference at alpha level 0.05"},
		{name: "3% slower under a 5% threshold", old: sixReps, new: scaled(0.97, sixReps...),
			opt: DefaultOptions, verdict: NoChange, change: -0.03},
		{name: "3% slower over a 1% threshold", old: sixReps, new: scaled(0.97, sixReps...),
			opt: Options{Alpha: 0.05, Threshold: 0.01}, verdict: Worse, change: -0.03},
		{name: "alpha too strict for six samples", old: sixReps, new: scaled(0.8, sixReps...),
			opt: Options{Alpha: 0.001, Threshold: 0.05}, verdict: NoChange, change: -0.2,
			wantNote: "need >= 7 samples"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := schematest.Run("steady", "aaa", concat(schematest.Reps("chan", sixReps...), schematest.Reps("ring", tc.old...))...)
			new := schematest.Run("steady", "bbb", concat(schematest.Reps("chan", sixReps...), schematest.Reps("ring", tc.new...))...)
			c := mustCompare(t, old, new, tc.opt)
			d := findDelta(t, c, "ring", "throughput")
			if d.Verdict != tc.verdict {
				t.Errorf("ring throughput verdict = %q, want %q (change %+.3f, p=%.4f, notes %q)", d.Verdict, tc.verdict, d.Change, d.P, d.Notes)
			}
			if tc.change != 0 && math.Abs(d.Change-tc.change) > 0.001 {
				t.Errorf("ring throughput change = %+.4f, want %+.3f", d.Change, tc.change)
			}
			if got := strings.Join(d.Notes, "; "); !strings.Contains(got, tc.wantNote) || (tc.wantNote == "" && got != "") {
				t.Errorf("notes = %q, want %q", got, tc.wantNote)
			}
			// chan did not change at all.
			if d := findDelta(t, c, "chan", "throughput"); d.Verdict != NoChange || d.Change != 0 || d.P != 1 {
				t.Errorf("chan throughput = %q change %v p=%v, want ~ 0 p=1", d.Verdict, d.Change, d.P)
			}
			wantRegression := tc.verdict == Worse
			if got := len(c.Regressions(MetricNames())) > 0; got != wantRegression {
				t.Errorf("regressions = %v, want %v", c.Regressions(MetricNames()), wantRegression)
			}
			if len(c.Regressions(nil)) != 0 {
				t.Errorf("Regressions(nil) = %v, want none: no metric gates", c.Regressions(nil))
			}
		})
	}
}

func TestLowerIsBetter(t *testing.T) {
	old := schematest.Run("steady", "", schematest.Reps("ring", sixReps...)...)
	new := schematest.Run("steady", "", schematest.Reps("ring", sixReps...)...)
	for i := range new.Trials {
		new.Trials[i].Latency = &schema.Latency{P50: 100 + int64(i), P99: 2000 + int64(i)} // p99 doubled
		new.Trials[i].PeakRSSBytes = 5<<20 + int64(i)<<10                                  // RSS halved
		new.Trials[i].AllocsPerMsg = 1                                                     // allocates now
	}
	c := mustCompare(t, old, new, DefaultOptions)
	check := func(metric string, verdict Verdict) {
		t.Helper()
		if d := findDelta(t, c, "ring", metric); d.Verdict != verdict {
			t.Errorf("%s verdict = %q, want %q (change %+.3f p=%.4f)", metric, d.Verdict, verdict, d.Change, d.P)
		}
	}
	check("throughput", NoChange)
	check("p50", NoChange)
	check("p99", Worse)
	check("rss", Better)
	check("allocs", Worse)
	// Allocation noise of the runtime is below the floor.
	for i := range new.Trials {
		old.Trials[i].AllocsPerMsg = 0.0003 + float64(i)*1e-6
		new.Trials[i].AllocsPerMsg = 0.0009 + float64(i)*1e-6
	}
	if d := findDelta(t, mustCompare(t, old, new, DefaultOptions), "ring", "allocs"); d.Verdict != NoChange || d.P > 0.05 {
		t.Errorf("allocs 0.0003 → 0.0009 = %q (p=%.3f), want ~ though significant: below the floor", d.Verdict, d.P)
	}
	for i := range new.Trials {
		new.Trials[i].AllocsPerMsg = 0.0303 + float64(i)*1e-6
	}
	if d := findDelta(t, mustCompare(t, old, new, DefaultOptions), "ring", "allocs"); d.Verdict != Worse {
		t.Errorf("allocs 0.0003 → 0.0303 = %q, want worse", d.Verdict)
	}
	if d := findDelta(t, c, "ring", "allocs"); !math.IsInf(d.Change, 1) || d.ChangeString() != "+∞" {
		t.Errorf("allocs change from 0 = %v %q, want +Inf", d.Change, d.ChangeString())
	}
	// JSON has no infinity: the change is written as null.
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	var back struct {
		Deltas []struct {
			Metric string
			Change *float64
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("WriteJSON wrote invalid JSON: %v\n%s", err, buf.Bytes())
	}
	for _, d := range back.Deltas {
		if (d.Metric == "allocs") != (d.Change == nil) {
			t.Errorf("JSON change of %s = %v", d.Metric, d.Change)
		}
	}
}

func TestSkipsUnrecordedAllocs(t *testing.T) {
	old := schematest.Run("steady", "", schematest.Reps("ring", sixReps...)...)
	c := mustCompare(t, old, old, DefaultOptions)
	for _, d := range c.Deltas {
		if d.Metric == "allocs" {
			t.Errorf("allocs compared though no trial allocated: %+v", d)
		}
		if d.Verdict != NoChange {
			t.Errorf("a run compared with itself: %s %s is %q", d.Impl, d.Metric, d.Verdict)
		}
	}
	if len(c.Deltas) != 4 {
		t.Errorf("got %d deltas, want 4 (throughput, p50, p99, rss)", len(c.Deltas))
	}
}

func TestOutcomes(t *testing.T) {
	withOutcome := func(ts []schema.Trial, n int, o schema.Outcome, reason string) []schema.Trial {
		for i := 0; i < n; i++ {
			ts[i].Outcome, ts[i].Reason = o, reason
		}
		return ts
	}
	old := schematest.Run("burst", "",
		concat(schematest.Reps("ring", sixReps...), schematest.Reps("list", sixReps...), withOutcome(schematest.Reps("pump", sixReps...), 6, schema.OOM, "rss 1.1GiB past the budget"), schematest.Reps("spsc", sixReps...))...)
	new := schematest.Run("burst", "",
		concat(withOutcome(schematest.Reps("ring", sixReps...), 2, schema.Crash, "panic: index out of range\ngoroutine 1"),
			withOutcome(schematest.Reps("list", sixReps...), 6, schema.OOM, "rss past the budget"),
			withOutcome(schematest.Reps("pump", sixReps...), 6, schema.OOM, "rss 1.2GiB past the budget"),
			schematest.Reps("spsc", sixReps...))...)
	c := mustCompare(t, old, new, DefaultOptions)

	ring := findDelta(t, c, "ring", OutcomeMetric)
	if ring.Verdict != Worse || ring.Old.Outcome != "ok" || ring.New.Outcome != "ok 4/6, crash 2/6" {
		t.Errorf("ring outcome = %q %q → %q, want worse ok → ok 4/6, crash 2/6", ring.Verdict, ring.Old.Outcome, ring.New.Outcome)
	}
	if want := "NEW: crash: panic: index out of range"; len(ring.Notes) != 1 || ring.Notes[0] != want {
		t.Errorf("ring notes = %q, want [%q]", ring.Notes, want)
	}
	// ring's four ok repetitions are still compared.
	if d := findDelta(t, c, "ring", "throughput"); d.New.N != 4 || d.Old.N != 6 {
		t.Errorf("ring throughput n = %d+%d, want 6+4", d.Old.N, d.New.N)
	}
	if d := findDelta(t, c, "list", OutcomeMetric); d.Verdict != Worse || d.New.Outcome != "oom" {
		t.Errorf("list outcome = %q → %q, want worse → oom", d.Verdict, d.New.Outcome)
	}
	// Without ok repetitions in NEW there is nothing to test.
	for _, d := range c.Deltas {
		if d.Impl == "list" && d.Metric != OutcomeMetric {
			t.Errorf("list %s compared without ok repetitions", d.Metric)
		}
	}
	// Running out of memory on both sides is the workload's point, not a change.
	if d := findDelta(t, c, "pump", OutcomeMetric); d.Verdict != NoChange {
		t.Errorf("pump oom → oom = %q, want ~", d.Verdict)
	}
	for _, d := range c.Deltas {
		if d.Impl == "spsc" && d.Metric == OutcomeMetric {
			t.Errorf("spsc ok → ok reported an outcome row")
		}
	}
	if got := len(c.Regressions([]string{"throughput"})); got != 0 {
		t.Errorf("throughput regressions = %d, want 0", got)
	}
	if got := len(c.Regressions([]string{OutcomeMetric})); got != 2 {
		t.Errorf("outcome regressions = %d, want 2 (ring, list)", got)
	}
	// A fixed crash is better.
	c = mustCompare(t, new, old, DefaultOptions)
	if d := findDelta(t, c, "ring", OutcomeMetric); d.Verdict != Better {
		t.Errorf("ring crash → ok = %q, want better", d.Verdict)
	}
}

func TestMatching(t *testing.T) {
	old := schematest.Run("steady", "", concat(schematest.Reps("chan", sixReps...), schematest.Reps("ring", sixReps...), schematest.Reps("list", sixReps...))...)
	newTrials := concat(schematest.Reps("chan", sixReps...), schematest.Reps("ring", sixReps...), schematest.Reps("segment", sixReps...))
	for i := range newTrials {
		if newTrials[i].Impl == "ring" {
			newTrials[i].Params.Capacity = 64 // different parameters: not the same trial
		}
	}
	new := schematest.Run("steady", "", newTrials...)
	c := mustCompare(t, old, new, DefaultOptions)
	for _, d := range c.Deltas {
		if d.Impl != "chan" {
			t.Errorf("compared %s %s; only chan ran alike on both sides", d.Impl, d.Metric)
		}
	}
	if got, want := strings.Join(c.OnlyOld, ","), "steady ring,steady list"; got != want {
		t.Errorf("OnlyOld = %q, want %q", got, want)
	}
	if got, want := strings.Join(c.OnlyNew, ","), "steady ring,steady segment"; got != want {
		t.Errorf("OnlyNew = %q, want %q", got, want)
	}

	// Sweep values are part of the match.
	sweep := func(impl, v string, thr ...float64) []schema.Trial {
		ts := schematest.Reps(impl, thr...)
		for i := range ts {
			ts[i].SweepKey, ts[i].SweepValue = "producers", v
		}
		return ts
	}
	old = schematest.Run("mpmc", "", concat(sweep("ring", "1", sixReps...), sweep("ring", "4", sixReps...))...)
	new = schematest.Run("mpmc", "", concat(sweep("ring", "1", sixReps...), sweep("ring", "4", scaled(0.7, sixReps...)...))...)
	c = mustCompare(t, old, new, DefaultOptions)
	worse := c.Regressions(MetricNames())
	if len(worse) != 1 || worse[0].Queue() != "ring/producers=4" {
		t.Errorf("regressions = %+v, want ring/producers=4 only", worse)
	}
}

func TestErrors(t *testing.T) {
	steady := schematest.Run("steady", "", schematest.Reps("ring", sixReps...)...)
	tests := []struct {
		name     string
		old, new *schema.Results
		opt      Options
		want     string
	}{
		{"mismatched workloads", steady, schematest.Run("burst", "", schematest.Reps("ring", sixReps...)...), DefaultOptions,
			"mismatched workloads: OLD ran steady, NEW ran burst"},
		{"no trials in common", steady, schematest.Run("steady", "", schematest.Reps("list", sixReps...)...), DefaultOptions,
			"no trials in common: OLD ran steady ring (producers=1"},
		{"no trials at all", steady, schematest.Run("steady", ""), DefaultOptions,
			"NEW ran no trials"},
		{"alpha 0", steady, steady, Options{Alpha: 0, Threshold: 0.05}, "alpha 0 is out of range"},
		{"alpha 1", steady, steady, Options{Alpha: 1, Threshold: 0.05}, "alpha 1 is out of range"},
		{"negative threshold", steady, steady, Options{Alpha: 0.05, Threshold: -1}, "threshold -1 is out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Runs("old", []*schema.Results{tc.old}, "new", []*schema.Results{tc.new}, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestNotes(t *testing.T) {
	old := schematest.Run("steady", "", schematest.Reps("ring", sixReps...)...)
	new := schematest.Run("steady", "", schematest.Reps("ring", sixReps...)...)
	new.Workload.Capacity = 64
	new.Machine.CPU = "Other CPU"
	new.Interrupted, new.Label = true, "head"
	new.Tool.LDFlags = "-funcalign=64"
	c := mustCompare(t, old, new, DefaultOptions)
	got := strings.Join(c.Notes, "\n")
	for _, want := range []string{"workload steady differs between OLD and NEW (capacity 1024 vs 64)", `"Test CPU" vs "Other CPU"`,
		"a run of NEW (head) was interrupted", "different linker flags (none, -funcalign=64)"} {
		if !strings.Contains(got, want) {
			t.Errorf("notes = %q, want %q", got, want)
		}
	}
	new.Tool.LDFlags = ""
	if got := strings.Join(mustCompare(t, old, new, DefaultOptions).Notes, "\n"); strings.Contains(got, "linker flags") {
		t.Errorf("notes = %q: the same flags are no difference", got)
	}
}

func TestPooledRuns(t *testing.T) {
	dir := t.TempDir()
	// Six interleaved steps of one repetition each, as perf-check.sh writes.
	for i, thr := range sixReps {
		r := schematest.Run("steady", "", schematest.Reps("ring", thr)...)
		if err := schema.Write(filepath.Join(dir, "old", "step"+string(rune('1'+i))), r); err != nil {
			t.Fatal(err)
		}
		r = schematest.Run("steady", "", schematest.Reps("ring", thr*0.8)...)
		if err := schema.Write(filepath.Join(dir, "new", "step"+string(rune('1'+i))), r); err != nil {
			t.Fatal(err)
		}
	}
	old, err := schema.LoadRuns(filepath.Join(dir, "old"))
	if err != nil || len(old) != 6 {
		t.Fatalf("LoadRuns(dir of runs) = %d runs, %v; want 6", len(old), err)
	}
	new, err := schema.LoadRuns(filepath.Join(dir, "new"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Runs("old", old, "new", new, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if d := findDelta(t, c, "ring", "throughput"); d.Verdict != Worse || d.Old.N != 6 || c.Old.Runs != 6 {
		t.Errorf("pooled runs: ring throughput %q n=%d over %d runs, want worse n=6 over 6", d.Verdict, d.Old.N, c.Old.Runs)
	}

	// A run directory and a file are one run each.
	for _, p := range []string{filepath.Join(dir, "old", "step1"), filepath.Join(dir, "old", "step1", schema.FileName)} {
		if runs, err := schema.LoadRuns(p); err != nil || len(runs) != 1 {
			t.Errorf("LoadRuns(%s) = %d runs, %v; want 1", p, len(runs), err)
		}
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	junk := filepath.Join(dir, "junk.json")
	os.WriteFile(junk, []byte(`{"not":"results"}`), 0o644)
	for path, want := range map[string]string{
		filepath.Join(dir, "missing"): "missing: no such file or directory",
		empty:                         "empty: no results.json in it or below it",
		junk:                          "not a chanbench results file",
	} {
		if _, err := schema.LoadRuns(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadRuns(%s) error = %v, want %q", filepath.Base(path), err, want)
		}
	}
}

// Trials that record their queue's facts (each its own pointer, as read
// from results.json) still match their counterparts: a run compared with
// itself has every queue in common.
func TestMatchingWithQueueFacts(t *testing.T) {
	withFacts := func() *schema.Results {
		ts := schematest.Reps("ring", 10e6, 10.5e6, 9.5e6)
		for i := range ts {
			ts[i].Params.Queue = &schema.QueueFacts{Bounded: true, MinCapacity: 1}
		}
		return schematest.Run("steady", "", ts...)
	}
	c := mustCompare(t, withFacts(), withFacts(), DefaultOptions)
	if d := findDelta(t, c, "ring", "throughput"); d.Old.N != 3 || d.New.N != 3 {
		t.Errorf("ring throughput n=%d/%d, want 3/3 matched", d.Old.N, d.New.N)
	}
}
