package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/schema"
)

// binary is the chanbench binary the integration tests drive, built once by
// TestMain without the race detector so that trials measure the real thing.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chanbench-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "chanbench")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, "../cmd/chanbench")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("build chanbench: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// checkMain calls Main in this process with args and checks its exit code
// and that stdout and stderr contain the given text (empty matches
// anything). It returns what Main wrote.
func checkMain(t *testing.T, args []string, code int, stdout, stderr string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if got := Main(&out, &errOut, args); got != code {
		t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", got, code, &out, &errOut)
	}
	if !strings.Contains(out.String(), stdout) {
		t.Errorf("stdout lacks %q:\n%s", stdout, &out)
	}
	if !strings.Contains(errOut.String(), stderr) {
		t.Errorf("stderr = %q, want %q", &errOut, stderr)
	}
	return out.String(), errOut.String()
}

// cli runs the built binary and returns its stdout, stderr and exit code.
func cli(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

// runResults runs chanbench run with args into a fresh directory and loads
// the results.
func runResults(t *testing.T, args ...string) (*schema.Results, string, int) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := cli(t, append([]string{"run", "--quiet", "--out", out}, args...)...)
	r, err := schema.Load(out)
	if err != nil {
		t.Fatalf("exit %d, no results: %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout, stderr)
	}
	return r, stdout, code
}

func byImpl(r *schema.Results) map[string][]schema.Trial {
	m := map[string][]schema.Trial{}
	for _, t := range r.Trials {
		m[t.Impl] = append(m[t.Impl], t)
	}
	return m
}
