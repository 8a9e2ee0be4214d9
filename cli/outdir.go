package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chanbench/chanbench/reports"
	"github.com/chanbench/chanbench/schema"
)

// outDir returns the results directory, created and known to be writable,
// before any trial runs: a run must never finish only to find it cannot
// keep its results. A directory given with --out that already holds results
// is refused unless force is set. The default, results/<workload>-<time>,
// is claimed with a single mkdir, so two runs started in the same second
// get different directories (the second with a -2 suffix).
func outDir(out, workload string, force bool, now time.Time) (string, error) {
	if out == "" {
		base := filepath.Join("results", fmt.Sprintf("%s-%s", sanitize(workload), now.Format("20060102-150405")))
		if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
			return "", fmt.Errorf("results directory: %w", err)
		}
		for n := 1; ; n++ {
			dir := base
			if n > 1 {
				dir = fmt.Sprintf("%s-%d", base, n)
			}
			err := os.Mkdir(dir, 0o755)
			if err == nil {
				return dir, checkWritable(dir)
			}
			if !errors.Is(err, os.ErrExist) || n == 1000 {
				return "", fmt.Errorf("results directory: %w", err)
			}
		}
	}
	if err := checkOut(out, force); err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", fmt.Errorf("--out: %w", err)
	}
	if force {
		// Nothing of the run being replaced may stay beside the new one.
		old := []string{schema.FileName, reports.ReportFileName, reports.HTMLFileName}
		for _, name := range reports.ChartNames {
			old = append(old, name+".png", name+".svg")
		}
		for _, name := range old {
			if err := os.Remove(filepath.Join(out, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("--force: %w", err)
			}
		}
	}
	return out, checkWritable(out)
}

// checkOut reports whether --out can take this run's results, without
// creating anything: a directory that holds another run's results or other
// files, or that another run is writing into, is refused unless force is
// set.
func checkOut(out string, force bool) error {
	if out == "" {
		return nil
	}
	st, err := os.Stat(out)
	switch {
	case err == nil && !st.IsDir():
		return fmt.Errorf("--out %s is a file, not a directory", out)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--out: %w", err)
	case err != nil:
		// Not there yet: its nearest existing parent must be a directory.
		for dir := filepath.Dir(out); ; dir = filepath.Dir(dir) {
			if st, err := os.Stat(dir); err == nil {
				if !st.IsDir() {
					return fmt.Errorf("--out %s: %s is not a directory", out, dir)
				}
				return nil
			}
			if dir == filepath.Dir(dir) {
				return nil
			}
		}
	}
	if force {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, lockName)); err == nil {
		return fmt.Errorf("--out %s: another chanbench run is writing there (if none is, remove %s)", out, filepath.Join(out, lockName))
	}
	if _, err := os.Stat(filepath.Join(out, schema.FileName)); err == nil {
		return fmt.Errorf("--out %s already holds results; give a new directory, or --force to replace them", out)
	}
	// A directory of other files (--out .) would get report.md, index.html
	// and the charts written over whatever of those names it holds.
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return fmt.Errorf("--out %s is not empty; give a new or empty directory, or --force to write into it", out)
	}
	return nil
}

// lockName is the file a run keeps in its results directory while it runs,
// so that a second run started into the same --out is refused.
const lockName = ".chanbench-running"

// lock claims dir for this run: it creates lockName, failing if another
// run has (unless force). The returned function removes it.
func lock(dir string, force bool) (func(), error) {
	path := filepath.Join(dir, lockName)
	flags := os.O_CREATE | os.O_WRONLY | os.O_EXCL
	if force {
		flags = os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("--out %s: another chanbench run is writing there (if none is, remove %s)", dir, path)
	}
	if err != nil {
		return nil, fmt.Errorf("results directory %s is not writable: %w", dir, errors.Unwrap(err))
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	return func() { os.Remove(path) }, nil
}

// checkWritable proves that dir takes files by writing and removing one.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".chanbench-write-check-*")
	if err != nil {
		return fmt.Errorf("results directory %s is not writable: %w", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// keepElsewhere writes the results into a new directory under the system's
// temporary directory, for a run whose results directory failed it.
func keepElsewhere(res *schema.Results) (string, error) {
	dir, err := os.MkdirTemp("", "chanbench-results-")
	if err != nil {
		return "", err
	}
	return dir, schema.Write(dir, res)
}

// sanitize makes a workload name safe as part of a directory name.
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r == ':' {
			return '_'
		}
		return r
	}, name)
}
