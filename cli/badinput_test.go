package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResultsBadInput gives every command that reads results each kind of
// broken results file: each must answer with one line and exit code 2.
func TestResultsBadInput(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join("..", "reports", "testdata", "slow-consumer", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	goodPath := write("good.json", good)
	empty := filepath.Join(dir, "empty-dir")
	os.Mkdir(empty, 0o755)
	files := map[string]string{
		"truncated":        write("truncated.json", good[:len(good)/2]),
		"not JSON":         write("notjson.json", []byte("schema: 1\ntrials: []\n")),
		"empty file":       write("empty.json", nil),
		"foreign JSON":     write("foreign.json", []byte(`{"name": "left-pad", "version": "1.3.0"}`)),
		"JSON array":       write("array.json", []byte(`[1, 2, 3]`)),
		"other schema":     write("schema.json", bytes.Replace(good, []byte(`"schema":1,`), []byte(`"schema":99,`), 1)),
		"wrong field type": write("type.json", []byte(`{"schema": 1, "trials": [{"impl": "ring", "sent": "many"}]}`)),
		"missing file":     filepath.Join(dir, "nope.json"),
		"dir without one":  empty,
	}
	for name, path := range files {
		for _, args := range [][]string{
			{"report", "--out", filepath.Join(dir, "r-"+strings.ReplaceAll(name, " ", "-")), path},
			{"compare", goodPath, path},
			{"compare", path, goodPath},
			{"export", path},
		} {
			t.Run(args[0]+"/"+name, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := Main(&stdout, &stderr, args)
				if code != 2 {
					t.Errorf("%v: exit %d, want 2", args, code)
				}
				msg := stderr.String()
				if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "chanbench: ") || strings.Contains(msg, "goroutine") {
					t.Errorf("%v: stderr %q, want one line", args, msg)
				}
			})
		}
	}
}
