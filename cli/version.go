package cli

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/chanbench/chanbench/schema"
)

const versionUsage = `Usage: chanbench version

Prints the version of chanbench as far as the build recorded it: a release
such as v1.2.0; for a build of a git checkout, a pseudo-version that names
the commit, ending in +dirty when the checkout had local changes; devel
when the build recorded neither (go run, go build -buildvcs=false).
chanbench --version does the same.
`

// versionFlags returns a new set of version's flags: it has none.
func versionFlags() *flag.FlagSet { return flag.NewFlagSet("version", flag.ContinueOnError) }

func versionCmd(stdout, stderr io.Writer, args []string) error {
	fs := versionFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misusef("version", "unexpected argument %q", fs.Arg(0))
	}
	fmt.Fprintln(stdout, "chanbench", version())
	return nil
}

// version returns the module version and VCS revision the binary was built
// from, as far as the build recorded them. A pseudo-version such as
// v0.0.0-20260101000000-0123456789ab already names the commit, so the
// commit is not repeated after it.
func version() string {
	t := buildTool()
	if t.Commit != "" && !strings.Contains(t.Version, strings.TrimSuffix(t.Commit, "+dirty")) {
		return t.Version + " (" + t.Commit + ")"
	}
	return t.Version
}

// buildTool describes this build as far as it recorded itself: its module
// version ("devel" when none), its commit (with +dirty for local changes),
// and its linker flags, which decide part of the code layout and so of the
// figures.
func buildTool() schema.Tool {
	t := schema.Tool{Version: "devel"}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return t
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		t.Version = info.Main.Version
	}
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			t.Commit = s.Value
			if len(t.Commit) > 12 {
				t.Commit = t.Commit[:12]
			}
		case "vcs.modified":
			dirty = s.Value == "true"
		case "-ldflags":
			t.LDFlags = s.Value
		}
	}
	if dirty && t.Commit != "" {
		t.Commit += "+dirty"
	}
	return t
}
