package compare

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/schema/schematest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden pins the text and markdown renderings. Run with
// -update to rewrite testdata/compare.*.
func TestGolden(t *testing.T) {
	old := schematest.Run("steady", "aaaaaaaaaaaa", concat(schematest.Reps("chan", sixReps...), schematest.Reps("ring", sixReps...), schematest.Reps("list", sixReps[:3]...))...)
	newTrials := concat(schematest.Reps("chan", scaled(0.99, sixReps...)...), schematest.Reps("ring", scaled(0.7, sixReps...)...), schematest.Reps("list", scaled(0.8, sixReps[:3]...)...))
	for i := range newTrials {
		if newTrials[i].Impl == "ring" {
			newTrials[i].Latency.P99 *= 2
		}
	}
	old.Trials = append(old.Trials, schematest.Reps("pump", sixReps[:4]...)...)
	for _, tr := range schematest.Reps("pump", sixReps[:4]...) {
		tr.Outcome, tr.Reason = schema.OOM, "rss 1.02GiB passed the budget of 1GiB"
		newTrials = append(newTrials, tr)
	}
	new := schematest.Run("steady", "bbbbbbbbbbbb", newTrials...)
	c, err := Runs("base/results.json", []*schema.Results{old}, "head/results.json", []*schema.Results{new}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		file  string
		write func(*Comparison, *bytes.Buffer) error
	}{
		{"compare.txt", func(c *Comparison, b *bytes.Buffer) error { return c.WriteText(b) }},
		{"compare.md", func(c *Comparison, b *bytes.Buffer) error { return c.WriteMarkdown(b) }},
	} {
		var buf bytes.Buffer
		if err := f.write(c, &buf); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", f.file)
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got := buf.String(); got != string(want) {
			t.Errorf("%s differs (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", f.file, got, want)
		}
	}
}
