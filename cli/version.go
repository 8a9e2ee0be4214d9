package cli

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

const versionUsage = `Usage: chanbench version

Prints the version of chanbench as far as the build recorded it: a release
such as v1.2.0; for a build of a git checkout, a pseudo-version that names
the commit, ending in +dirty when the checkout had local changes; devel
when the build recorded neither (go run, go build -buildvcs=false).
chanbench --version does the same.
`

func versionCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
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
	v, commit := versionInfo()
	if commit != "" && !strings.Contains(v, strings.TrimSuffix(commit, "+dirty")) {
		return v + " (" + commit + ")"
	}
	return v
}

// buildLDFlags returns the linker flags the binary was built with, as the
// build recorded them.
func buildLDFlags() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == "-ldflags" {
			return s.Value
		}
	}
	return ""
}

func versionInfo() (v, commit string) {
	v = "devel"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v, ""
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
			if len(commit) > 12 {
				commit = commit[:12]
			}
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && commit != "" {
		commit += "+dirty"
	}
	return v, commit
}
