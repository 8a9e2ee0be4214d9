package cli

import (
	"flag"
	"strings"
	"testing"
)

// TestFlagUsage checks the layout of a generated flag list: sections in
// order, flags by name, the text beside the name or below a wide one,
// wrapped to 80 columns, and defaults shown unless zero.
func TestFlagUsage(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Int("count", 1, "run each trial `N` times")
	fs.Bool("quiet", false, "no progress on stderr")
	fs.String("out", "", "write into `DIR`")
	fs.String("a-rather-long-flag-name", "x", "a flag whose name leaves no room beside it")
	fs.Duration("idle", 0, "hold on for `D` after the drain, to see how much memory stays resident, a text long enough to wrap")
	got := flagUsage(fs, []section{
		{title: "Options:"},
		{title: "Workload:", has: func(name string) bool { return name == "idle" }},
	})
	want := `
Options:
  --a-rather-long-flag-name string
             a flag whose name leaves no room beside it (default x)
  --count N  run each trial N times (default 1)
  --out DIR  write into DIR
  --quiet    no progress on stderr

Workload:
  --idle D  hold on for D after the drain, to see how much memory stays
            resident, a text long enough to wrap
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if empty := flagUsage(flag.NewFlagSet("none", flag.ContinueOnError), options); empty != "" {
		t.Errorf("a command without flags: %q, want no list", empty)
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing space: %q", line)
		}
	}
}
