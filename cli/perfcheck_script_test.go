package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPerfCheckBadInput gives scripts/perf-check.sh bad input. Each must
// be refused before the slow part — building the base and running trials —
// with one line and exit code 2, and leave --out as it was and no build
// directory behind.
func TestPerfCheckBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds chanbench from the working tree")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if err := exec.Command("git", "-C", "..", "rev-parse", "--show-toplevel").Run(); err != nil {
		t.Skip("not in a git checkout")
	}
	script, err := filepath.Abs(filepath.Join("..", "scripts", "perf-check.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		want   string // the error line, after "perf-check: "
		outDir bool   // --out is an empty directory beforehand
	}{
		{name: "unknown workload", args: []string{"--workload", "nosuch"},
			want: `workload "nosuch": not a built-in`},
		{name: "unknown workload in a list", args: []string{"--workload", "burst,nosuch"},
			want: `workload "nosuch": not a built-in`},
		{name: "unknown workload into an empty --out", args: []string{"--workload", "nosuch"}, outDir: true,
			want: `workload "nosuch": not a built-in`},
		{name: "unknown queue", args: []string{"--impl", "chan,nosuch"},
			want: `--impl: unknown queue "nosuch"`},
		{name: "queue that cannot run the workload", args: []string{"--impl", "spsc"},
			want: "--impl: spsc supports at most 1 producer"},
		{name: "bad alpha", args: []string{"--alpha", "2"},
			want: "compare: --alpha 2 is out of range (0,1)"},
		{name: "bad threshold", args: []string{"--threshold=five"},
			want: "want a percentage such as 5%"},
		{name: "bad metric", args: []string{"--fail-on", "throughput,speed"},
			want: `unknown metric "speed"`},
		{name: "bad count", args: []string{"--count", "0"},
			want: "--count 0: want a positive number"},
		{name: "unknown option", args: []string{"--frob"},
			want: "unknown option --frob"},
		{name: "bad base", args: []string{"no-such-ref-for-perf-check"},
			want: "no-such-ref-for-perf-check: not a commit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			out := filepath.Join(tmp, "out")
			if tc.outDir {
				if err := os.Mkdir(out, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			scratch := filepath.Join(tmp, "tmp")
			if err := os.Mkdir(scratch, 0o755); err != nil {
				t.Fatal(err)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bash, append([]string{script, "--out", out}, tc.args...)...)
			cmd.Dir = tmp
			cmd.Env = append(os.Environ(), "TMPDIR="+scratch)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 {
				t.Errorf("%v, want exit status 2", err)
			}

			// Progress lines may come first; the last line is the error.
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "perf-check: ") || !strings.Contains(last, tc.want) {
				t.Errorf("last line on stderr %q, want %q in it", last, tc.want)
			}
			for _, l := range lines[:len(lines)-1] {
				if !strings.HasPrefix(l, "perf-check: building the candidate") {
					t.Errorf("stderr line %q before the error, want only the candidate's build", l)
				}
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout %q, want nothing", &stdout)
			}

			if tc.outDir {
				if entries, err := os.ReadDir(out); err != nil || len(entries) > 0 {
					t.Errorf("--out holds %d entries (%v), want it empty", len(entries), err)
				}
			} else if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("--out exists (%v), want none", err)
			}
			if entries, _ := os.ReadDir(scratch); len(entries) > 0 {
				t.Errorf("%s left behind in TMPDIR", entries[0].Name())
			}
		})
	}
}
