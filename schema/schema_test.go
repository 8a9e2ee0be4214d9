package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/workloads"
)

func sample() *Results {
	return &Results{
		Schema:   Schema,
		Tool:     Tool{Version: "devel", LDFlags: "-funcalign=64"},
		Workload: workloads.Spec{Name: "steady", Producers: 4, Consumers: 1, ValueBytes: 16},
		Count:    1,
		Trials: []Trial{{
			Impl: "chan", Outcome: OK, Params: Params{ValueBytes: 16},
			Series: Series{TMS: []float64{0, 10}, RSS: []int64{1, 2}, Heap: []int64{3, 4}, Depth: []int64{0, 1}, Sent: []int64{0, 5}, Received: []int64{0, 4}},
		}},
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if err := Write(dir, sample()); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{dir, filepath.Join(dir, FileName)} {
		r, err := Load(path)
		if err != nil {
			t.Fatalf("Load(%s): %v", path, err)
		}
		if r.Label != "run" {
			t.Errorf("Label = %q, want the directory's name", r.Label)
		}
		if r.Tool.LDFlags != "-funcalign=64" || len(r.Trials) != 1 || r.Trials[0].Series.Len() != 2 || r.Trials[0].Outcome != OK {
			t.Errorf("Load(%s) = %+v, not what was written", path, r)
		}
	}
	// No temporary file is left beside the document.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the run directory, want only %s", len(entries), FileName)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing.json"):                "missing.json: no such file",
		write("array.json", `[1,2]`):                      "not a chanbench results file (not a JSON object)",
		write("broken.json", `{"schema":`):                "not valid JSON",
		write("other.json", `{"name":"x"}`):               "not a chanbench results file (no schema or trials)",
		write("future.json", `{"schema":99,"trials":[]}`): "results schema 99, this chanbench reads 1",
		write("damaged.json", `{"schema":1,"trials":3}`):  "damaged results",
	} {
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%s) error = %v, want %q", filepath.Base(path), err, want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Load(%s) error has more than one line: %q", filepath.Base(path), err)
		}
	}
}

// Results written before trials recorded their value size read as the
// 56-byte messages every queue carried then, not as the default size.
func TestLoadOlderValues(t *testing.T) {
	r := sample()
	r.Workload.ValueBytes = 0
	r.Trials[0].Params.ValueBytes = 0
	dir := t.TempDir()
	if err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Workload.ValueBytes != 56 || got.Trials[0].Params.ValueBytes != 56 {
		t.Errorf("older results: workload %d bytes, trial %d bytes; want 56 and 56", got.Workload.ValueBytes, got.Trials[0].Params.ValueBytes)
	}
	// Newer results keep their size.
	if err := Write(dir, sample()); err != nil {
		t.Fatal(err)
	}
	if got, _ := Load(dir); got.Trials[0].Params.ValueBytes != 16 {
		t.Errorf("newer results: trial %d bytes, want 16", got.Trials[0].Params.ValueBytes)
	}
}

func TestLoadRunsWalksDirectories(t *testing.T) {
	dir := t.TempDir()
	for _, step := range []string{"b/step2", "a/step1", "b/step1"} {
		r := sample()
		r.Label = step
		if err := Write(filepath.Join(dir, step), r); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := LoadRuns(dir)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, r := range runs {
		labels = append(labels, r.Label)
	}
	if got := strings.Join(labels, ","); got != "a/step1,b/step1,b/step2" {
		t.Errorf("LoadRuns read %s, want every run below the directory in lexical order", got)
	}
	if runs, err := LoadRuns(filepath.Join(dir, "a", "step1")); err != nil || len(runs) != 1 {
		t.Errorf("LoadRuns(run directory) = %d runs, %v; want 1", len(runs), err)
	}
}

func TestThroughput(t *testing.T) {
	for _, tc := range []struct {
		received int64
		sec      float64
		want     float64
	}{{3_000_000, 1.5, 2e6}, {10, 0, 0}, {10, -1, 0}, {0, 2, 0}} {
		if got := Throughput(tc.received, tc.sec); got != tc.want {
			t.Errorf("Throughput(%d, %v) = %v, want %v", tc.received, tc.sec, got, tc.want)
		}
	}
}
