package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chanbench/chanbench/reports"
	"github.com/chanbench/chanbench/schema"
)

func TestOutDirDefaultsNeverCollide(t *testing.T) {
	t.Chdir(t.TempDir())
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	seen := map[string]bool{}
	for range 3 {
		dir, err := outDir("", "burst", false, now)
		if err != nil {
			t.Fatal(err)
		}
		if seen[dir] {
			t.Fatalf("two runs in the same second both got %s", dir)
		}
		seen[dir] = true
	}
	for _, want := range []string{"results/burst-20260102-030405", "results/burst-20260102-030405-2", "results/burst-20260102-030405-3"} {
		if !seen[filepath.FromSlash(want)] {
			t.Errorf("no %s among %v", want, seen)
		}
	}
}

func TestOutDirRefusesToReplaceResults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := outDir(dir, "burst", false, time.Now()); err != nil {
		t.Fatalf("new directory: %v", err)
	}
	if _, err := outDir(dir, "burst", false, time.Now()); err != nil {
		t.Fatalf("empty existing directory: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, schema.FileName), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := outDir(dir, "burst", false, time.Now()); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("directory with results: %v, want a refusal naming --force", err)
	}
	if _, err := outDir(dir, "burst", true, time.Now()); err != nil {
		t.Errorf("with force: %v", err)
	}
}

func TestRunRefusesAnOutThatHoldsResults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "--quiet", "--no-charts", "--out", out, "--workload", "steady", "--impl", "chan", "--duration", "100ms"}
	if _, stderr, code := cli(t, args...); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	first, err := os.ReadFile(filepath.Join(out, schema.FileName))
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := cli(t, args...)
	if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "already holds results") || stdout != "" {
		t.Errorf("second run into the same --out: exit %d, stdout %q, stderr %q; want exit 2 and one line", code, stdout, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(out, schema.FileName)); !bytes.Equal(first, again) {
		t.Error("the first run's results were replaced")
	}
	if _, stderr, code := cli(t, append(args, "--force")...); code != 0 {
		t.Errorf("--force: exit %d\n%s", code, stderr)
	}
}

// TestRunKeepsResultsItCannotWrite takes the results directory away while
// the trials run: the run must still print its table, keep the results
// elsewhere, say where, and exit 1.
func TestRunKeepsResultsItCannotWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real trials")
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(binary, "run", "--quiet", "--out", out, "--workload", "steady", "--impl", "chan,ring", "--duration", "700ms")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The directory is made, and locked, before the first trial; once the
	// lock is there, replace the directory with a file.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(out, lockName)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the results directory was never made")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want 1\nstderr:\n%s", err, &stderr)
	}
	if !strings.Contains(stdout.String(), "chan") || !strings.Contains(stdout.String(), "ring") {
		t.Errorf("no table printed:\n%s", &stdout)
	}
	m := regexp.MustCompile(`the results are in (\S+) instead`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("stderr does not say where the results went:\n%s", &stderr)
	}
	defer os.RemoveAll(m[1])
	r, err := schema.Load(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Trials) != 2 {
		t.Errorf("kept %d trials, want 2", len(r.Trials))
	}
}

func TestLockRefusesASecondRun(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lock(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock(dir, false); err == nil || !strings.Contains(err.Error(), "another chanbench run") {
		t.Errorf("second run into the same directory: %v, want a refusal", err)
	}
	if err := checkOut(dir, false); err == nil || !strings.Contains(err.Error(), "another chanbench run") {
		t.Errorf("checkOut while a run holds the directory: %v", err)
	}
	unlock()
	again, err := lock(dir, false)
	if err != nil {
		t.Fatalf("after the first run ended: %v", err)
	}
	again()
}

func TestForceLeavesNothingOfTheOldRun(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{schema.FileName, reports.ReportFileName, "memory.png", "scaling.svg", "mine.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := outDir(dir, "burst", true, time.Now()); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 1 || filepath.Base(left[0]) != "mine.txt" {
		t.Errorf("left after --force: %v, want only the file chanbench did not write", left)
	}
}

func TestDryRunChecksTheOut(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	checkMain(t, []string{"run", "--dry-run", "--out", filepath.Join(file, "sub")}, 2, "", "not a directory")
	checkMain(t, []string{"run", "--dry-run", "--out", file}, 2, "", "is a file")
}

func TestOutRefusesADirectoryOfOtherFiles(t *testing.T) {
	dir := t.TempDir()
	if err := checkOut(dir, false); err != nil {
		t.Errorf("an empty directory: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.md"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkOut(dir, false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a directory of the user's files: %v, want a refusal", err)
	}
	if err := checkOut(dir, true); err != nil {
		t.Errorf("with --force: %v", err)
	}
}
