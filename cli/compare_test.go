package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// Six repetitions with about 2% spread.
var sixReps = []float64{10.0e6, 10.1e6, 9.9e6, 10.2e6, 9.8e6, 10.05e6}

// writeCompareRun writes a results document for workload with one ok trial per
// throughput of each queue, and returns its directory.
func writeCompareRun(t *testing.T, workload string, queues map[string][]float64) string {
	t.Helper()
	r := &schema.Results{
		Schema:   schema.Schema,
		Tool:     schema.Tool{Version: "devel"},
		Workload: workloads.Spec{Name: workload, Producers: 1, Consumers: 1},
	}
	for _, impl := range []string{"chan", "ring", "list"} {
		for i, thr := range queues[impl] {
			r.Trials = append(r.Trials, schema.Trial{
				Impl: impl, Workload: workload, Repetition: i + 1,
				Params:       schema.Params{Producers: 1, Consumers: 1, Capacity: 1024},
				Outcome:      schema.OK,
				Throughput:   thr,
				Latency:      &schema.Latency{P50: 100, P99: 1000 + int64(i)},
				PeakRSSBytes: 10 << 20,
			})
		}
	}
	dir := t.TempDir()
	if err := schema.Write(dir, r); err != nil {
		t.Fatal(err)
	}
	return dir
}

func scaledReps(f float64, xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * f
	}
	return out
}

func TestCompareCmd(t *testing.T) {
	base := writeCompareRun(t, "steady", map[string][]float64{"chan": sixReps, "ring": sixReps})
	slowRing := writeCompareRun(t, "steady", map[string][]float64{"chan": sixReps, "ring": scaledReps(0.8, sixReps)})
	slightlySlow := writeCompareRun(t, "steady", map[string][]float64{"chan": sixReps, "ring": scaledReps(0.97, sixReps)})
	overlapping := writeCompareRun(t, "steady", map[string][]float64{"chan": sixReps,
		"ring": {10.1e6, 9.6e6, 10.4e6, 9.9e6, 10.3e6, 9.7e6}})
	fewOld := writeCompareRun(t, "steady", map[string][]float64{"ring": sixReps[:3]})
	fewNew := writeCompareRun(t, "steady", map[string][]float64{"ring": scaledReps(0.8, sixReps[:3])})
	burst := writeCompareRun(t, "burst", map[string][]float64{"chan": sixReps, "ring": sixReps})
	onlyList := writeCompareRun(t, "steady", map[string][]float64{"list": sixReps})

	junk := filepath.Join(t.TempDir(), "junk.json")
	os.WriteFile(junk, []byte(`{"not":"results"}`), 0o644)
	schema2 := filepath.Join(t.TempDir(), "v2.json")
	os.WriteFile(schema2, []byte(`{"schema":2,"trials":[]}`), 0o644)

	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // each must appear
		stderr     string
		ringLineIs string // the text row of ring throughput must contain it
	}{
		{name: "a run with itself", args: []string{base, base}, code: 0,
			stdout: []string{"workload steady", "chan", "ring"}, ringLineIs: "~"},
		{name: "20% slower with clear separation", args: []string{base, slowRing}, code: 1,
			ringLineIs: "-20.0%", stderr: "chanbench: compare: 1 regression: ring throughput -20.0%"},
		{name: "overlapping samples", args: []string{base, overlapping}, code: 0, ringLineIs: "~"},
		{name: "too few samples", args: []string{fewOld, fewNew}, code: 0,
			stdout: []string{"need >= 4 samples to detect a difference at alpha level 0.05"}, ringLineIs: "-20.0%"},
		{name: "3% slower under the 5% threshold", args: []string{base, slightlySlow}, code: 0, ringLineIs: "-3.0%"},
		{name: "3% slower under a 2% threshold", args: []string{"--threshold", "2%", base, slightlySlow}, code: 1,
			ringLineIs: "worse"},
		{name: "threshold without a percent sign", args: []string{"--threshold=2", base, slightlySlow}, code: 1},
		{name: "gate excludes throughput", args: []string{"--fail-on", "p99,rss", base, slowRing}, code: 0,
			ringLineIs: "worse"},
		{name: "no gate", args: []string{"--fail-on=none", base, slowRing}, code: 0},
		{name: "markdown", args: []string{"--format", "markdown", base, slowRing}, code: 1,
			stdout: []string{"| ring | throughput |", "**worse**", "**Worse:** ring throughput -20.0%"}},
		{name: "json", args: []string{"--format=json", base, slowRing}, code: 1, stdout: []string{`"verdict": "worse"`}},

		{name: "missing file", args: []string{base, "/nonexistent/results.json"}, code: 2,
			stderr: "chanbench: compare: NEW /nonexistent/results.json: no such file or directory"},
		{name: "foreign JSON", args: []string{base, junk}, code: 2, stderr: "not a chanbench results file"},
		{name: "other schema", args: []string{schema2, base}, code: 2, stderr: "results schema 2, this chanbench reads 1"},
		{name: "mismatched workloads", args: []string{base, burst}, code: 2,
			stderr: "chanbench: compare: mismatched workloads: OLD ran steady, NEW ran burst"},
		{name: "no trials in common", args: []string{base, onlyList}, code: 2, stderr: "no trials in common"},
		{name: "one argument", args: []string{base}, code: 2, stderr: "want two results, OLD and NEW; got 1"},
		{name: "unknown flag", args: []string{"--bogus", base, base}, code: 2, stderr: "flag provided but not defined: -bogus"},
		{name: "bad format", args: []string{"--format", "html", base, base}, code: 2, stderr: `--format "html": want text, markdown or json`},
		{name: "bad alpha", args: []string{"--alpha", "1.5", base, base}, code: 2, stderr: "--alpha 1.5 is out of range (0,1)"},
		{name: "bad threshold", args: []string{"--threshold", "five", base, base}, code: 2, stderr: "want a percentage such as 5%"},
		{name: "bad metric", args: []string{"--fail-on", "speed", base, base}, code: 2, stderr: `unknown metric "speed"`},
		{name: "help", args: []string{"-h"}, code: 0, stdout: []string{"Usage: chanbench compare"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr := checkMain(t, append([]string{"compare"}, tc.args...), tc.code, "", tc.stderr)
			for _, want := range tc.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if tc.code != 0 && tc.stderr != "" && strings.Count(stderr, "\n") != 1 {
				t.Errorf("error is not one line: %q", stderr)
			}
			if tc.ringLineIs != "" {
				var row string
				for _, l := range strings.Split(stdout, "\n") {
					if strings.HasPrefix(l, "ring ") && strings.Contains(l, "throughput") {
						row = l
					}
				}
				if !strings.Contains(row, tc.ringLineIs) {
					t.Errorf("ring throughput row = %q, want %q in it", row, tc.ringLineIs)
				}
			}
			if tc.name == "json" && !json.Valid([]byte(stdout)) {
				t.Errorf("--format json wrote invalid JSON:\n%s", stdout)
			}
		})
	}
}
