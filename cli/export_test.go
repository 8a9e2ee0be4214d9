package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportCmd(t *testing.T) {
	dir := writeCompareRun(t, "steady", map[string][]float64{"chan": sixReps[:2], "ring": sixReps[:1]})
	out := filepath.Join(t.TempDir(), "steady.txt")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "to stdout", args: []string{dir}, stdout: "BenchmarkRun/workload=steady/impl=ring\t0\t100.0 ns/op\t10000000 msg/s"},
		{name: "to a file", args: []string{"--out", out, dir}},
		{name: "missing", args: []string{"/nonexistent"}, code: 2, stderr: "chanbench: export: /nonexistent: no such file or directory"},
		{name: "no argument", args: nil, code: 2, stderr: "want one results file or directory; got 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkMain(t, append([]string{"export"}, tc.args...), tc.code, tc.stdout, tc.stderr)
		})
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\nBenchmarkRun/"); n != 3 {
		t.Errorf("--out wrote %d benchmark lines, want 3:\n%s", n, data)
	}
}
