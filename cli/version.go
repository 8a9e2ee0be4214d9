package cli

import "runtime/debug"

// version returns the module version and VCS revision the binary was built
// from, as far as the build recorded them.
func version() string {
	v, commit := versionInfo()
	if commit != "" {
		return v + " (" + commit + ")"
	}
	return v
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
