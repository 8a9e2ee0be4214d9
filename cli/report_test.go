package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyRun copies the reports package's fixture run name into a new run
// directory called label.
func copyRun(t *testing.T, name, label string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "reports", "testdata", name, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), label)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReportCmd(t *testing.T) {
	run := copyRun(t, "slow-consumer", "laptop")
	other := copyRun(t, "slow-consumer", "server")
	merged := filepath.Join(t.TempDir(), "merged")
	tmp := t.TempDir()
	damaged := filepath.Join(tmp, "damaged.json")
	os.WriteFile(damaged, []byte(`{"schema": 1, "trials": [{"impl": "ring", "sent": "many"`), 0o644)
	foreign := filepath.Join(tmp, "package.json")
	os.WriteFile(foreign, []byte(`{"name": "left-pad", "version": "1.3.0"}`), 0o644)
	wrongType := filepath.Join(tmp, "wrong.json")
	os.WriteFile(wrongType, []byte(`{"schema": 1, "trials": [{"impl": "ring", "sent": "many"}]}`), 0o644)

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
		wrote  string // a directory that must now hold the report
	}{
		{name: "run directory", args: []string{run}, stdout: "wrote report.md, index.html and memory, depth, latency, throughput (.png, .svg) in " + run, wrote: run},
		{name: "results file", args: []string{filepath.Join(other, "results.json")}, wrote: other},
		{name: "merged", args: []string{"--out", merged, run, other}, wrote: merged},
		{name: "several without --out", args: []string{run, other}, code: 2, stderr: "report: 2 results given; say where the merged report goes with --out DIR"},
		{name: "no results", args: nil, code: 2, stderr: "want at least one results file or directory"},
		{name: "missing", args: []string{"/nonexistent/run"}, code: 2, stderr: "chanbench: report: /nonexistent/run: no such file or directory\n"},
		{name: "damaged", args: []string{damaged}, code: 2, stderr: "report: " + damaged + ": not valid JSON"},
		{name: "foreign", args: []string{foreign}, code: 2, stderr: "report: " + foreign + ": not a chanbench results file"},
		{name: "wrong type", args: []string{wrongType}, code: 2, stderr: "report: " + wrongType + ": damaged results"},
		{name: "bad flag", args: []string{"--format", "pdf", run}, code: 2, stderr: "flag provided but not defined: -format"},
		{name: "help", args: []string{"-h"}, stdout: "Usage: chanbench report [options] RESULTS..."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr := checkMain(t, append([]string{"report"}, tc.args...), tc.code, tc.stdout, tc.stderr)
			if tc.code != 0 && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr is %d lines, want one:\n%s", strings.Count(stderr, "\n"), stderr)
			}
			if tc.wrote != "" {
				for _, f := range []string{"report.md", "index.html", "memory.png", "memory.svg", "throughput.png"} {
					if _, err := os.Stat(filepath.Join(tc.wrote, f)); err != nil {
						t.Errorf("%v", err)
					}
				}
			}
		})
	}
	md, err := os.ReadFile(filepath.Join(merged, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## laptop", "## server", "(laptop vs server)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("merged report.md lacks %q", want)
		}
	}
}
