package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestHelp checks where chanbench's usage goes, as the go command does it:
// asked for (help, -h) it goes to stdout with exit code 0; as the answer to
// a mistake it goes to stderr with exit code 2, the whole text when there
// are no arguments, else one line that says what was wrong and where the
// usage is.
func TestHelp(t *testing.T) {
	type test struct {
		name   string
		args   []string
		code   int
		stdout string   // all of stdout
		stderr string   // all of stderr, when errHas is empty
		errHas []string // what the one line on stderr must contain
	}
	tests := []test{
		{name: "no arguments", args: nil, code: 2, stderr: usage},
		{name: "help", args: []string{"help"}, stdout: usage},
		{name: "-h", args: []string{"-h"}, stdout: usage},
		{name: "-help", args: []string{"-help"}, stdout: usage},
		{name: "--help", args: []string{"--help"}, stdout: usage},
		{name: "help help", args: []string{"help", "help"}, stdout: helpUsage},
		{name: "help -h", args: []string{"help", "-h"}, stdout: helpUsage},
		{name: "version", args: []string{"version"}, stdout: "chanbench " + version() + "\n"},
		{name: "--version", args: []string{"--version"}, stdout: "chanbench " + version() + "\n"},
		{name: "-version", args: []string{"-version"}, stdout: "chanbench " + version() + "\n"},

		{name: "unknown command", args: []string{"nosuch"}, code: 2,
			errHas: []string{`unknown command "nosuch"`, "(run 'chanbench help' for usage)"}},
		{name: "unknown top-level flag", args: []string{"--bogus"}, code: 2,
			errHas: []string{`unknown flag "--bogus"`, "(run 'chanbench help' for usage)"}},
		{name: "help nosuch", args: []string{"help", "nosuch"}, code: 2,
			errHas: []string{`help: unknown command "nosuch"`, "(run 'chanbench help' for usage)"}},
		{name: "help for the hidden trial command", args: []string{"help", "trial"}, code: 2,
			errHas: []string{`help: unknown command "trial"`}},
		{name: "help with two commands", args: []string{"help", "run", "list"}, code: 2,
			errHas: []string{"help: want at most one command, got 2", "(run 'chanbench help' for usage)"}},

		{name: "list with an argument", args: []string{"list", "queues"}, code: 2,
			errHas: []string{`list: unexpected argument "queues"`, "(run 'chanbench help list' for usage)"}},
		{name: "version with an argument", args: []string{"version", "full"}, code: 2,
			errHas: []string{`version: unexpected argument "full"`, "(run 'chanbench help version' for usage)"}},
		{name: "report without results", args: []string{"report"}, code: 2,
			errHas: []string{"report: want at least one results file", "(run 'chanbench help report' for usage)"}},
		{name: "compare with one result", args: []string{"compare", "old"}, code: 2,
			errHas: []string{"compare: want two results, OLD and NEW; got 1", "(run 'chanbench help compare' for usage)"}},
		{name: "export without results", args: []string{"export"}, code: 2,
			errHas: []string{"export: want one results file or directory; got 0", "(run 'chanbench help export' for usage)"}},

		{name: "run with a bad count", args: []string{"run", "--count", "many"}, code: 2,
			errHas: []string{`run: invalid value "many" for flag -count`, "(run 'chanbench help run' for usage)"}},
		{name: "run with a bad size", args: []string{"run", "--mem-limit", "lots"}, code: 2,
			errHas: []string{`"lots" is not a size`, "(run 'chanbench help run' for usage)"}},
		{name: "run with a flag missing its value", args: []string{"run", "--workload"}, code: 2,
			errHas: []string{"run: flag needs an argument: -workload", "(run 'chanbench help run' for usage)"}},
		{name: "compare with a bad alpha", args: []string{"compare", "--alpha", "2", "old", "new"}, code: 2,
			errHas: []string{"compare: --alpha 2 is out of range (0,1)", "(run 'chanbench help compare' for usage)"}},
		{name: "compare with a bad threshold", args: []string{"compare", "--threshold", "five", "old", "new"}, code: 2,
			errHas: []string{"want a percentage such as 5%", "(run 'chanbench help compare' for usage)"}},
		{name: "compare with a bad format", args: []string{"compare", "--format", "html", "old", "new"}, code: 2,
			errHas: []string{`--format "html": want text, markdown or json`, "(run 'chanbench help compare' for usage)"}},
		{name: "compare with a bad metric", args: []string{"compare", "--fail-on", "speed", "old", "new"}, code: 2,
			errHas: []string{`unknown metric "speed"`, "(run 'chanbench help compare' for usage)"}},
	}
	for _, c := range commands {
		for _, args := range [][]string{{"help", c.name}, {"-h", c.name}, {c.name, "-h"}, {c.name, "-help"}, {c.name, "--help"}} {
			tests = append(tests, test{name: strings.Join(args, " "), args: args, stdout: c.usage()})
		}
		tests = append(tests, test{name: c.name + " --bogus", args: []string{c.name, "--bogus"}, code: 2,
			errHas: []string{c.name + ": flag provided but not defined: -bogus", "(run 'chanbench help " + c.name + "' for usage)"}})
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main(&stdout, &stderr, tc.args); code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
			if got := stdout.String(); got != tc.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tc.stdout)
			}
			got := stderr.String()
			if len(tc.errHas) == 0 {
				if got != tc.stderr {
					t.Errorf("stderr:\n%s\nwant:\n%s", got, tc.stderr)
				}
				return
			}
			if strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "chanbench: ") || !strings.HasSuffix(got, "\n") {
				t.Errorf("stderr %q, want one line starting with %q", got, "chanbench: ")
			}
			for _, want := range tc.errHas {
				if !strings.Contains(got, want) {
					t.Errorf("stderr %q lacks %q", got, want)
				}
			}
		})
	}
}

// TestHelpBinary checks usage and version through the built binary, where
// stdout and stderr are the process's own.
func TestHelpBinary(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stdout string // what stdout starts with
	}{
		{[]string{"--version"}, "chanbench "},
		{[]string{"version"}, "chanbench "},
		{[]string{"help"}, usage},
		{[]string{"help", "run"}, runUsage},
		{[]string{"run", "--help"}, runUsage},
		{[]string{"compare", "-h"}, compareUsage},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := cli(t, tc.args...)
			if code != 0 || stderr != "" || !strings.HasPrefix(stdout, tc.stdout) {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit 0, stdout starting %q, no stderr", code, stdout, stderr, tc.stdout)
			}
		})
	}
}

// TestUsageText checks that every usage text fits an 80-column terminal,
// and that the top-level usage lists every command.
func TestUsageText(t *testing.T) {
	texts := map[string]string{"chanbench": usage, "help": helpUsage}
	for _, c := range commands {
		texts[c.name] = c.usage()
		if !strings.Contains(usage, "\n  chanbench "+c.name+" ") {
			t.Errorf("the usage of chanbench does not list %s", c.name)
		}
		if !strings.HasPrefix(c.usage(), "Usage: chanbench "+c.name) {
			t.Errorf("the usage of %s starts %q", c.name, strings.SplitN(c.usage(), "\n", 2)[0])
		}
	}
	for name, text := range texts {
		t.Run(name, func(t *testing.T) {
			if !strings.HasSuffix(text, "\n") {
				t.Errorf("does not end with a newline")
			}
			for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				if strings.Contains(line, "\t") {
					t.Errorf("line %d holds a tab, whose width depends on the terminal: %q", i+1, line)
				}
				if n := utf8.RuneCountInString(line); n > 80 {
					t.Errorf("line %d is %d columns wide, over 80: %q", i+1, n, line)
				}
			}
		})
	}
}

// TestUsageListsEveryFlag checks, for every command, that its --help lists
// each flag the command defines, once, with its default where that is not
// the zero value, after the hand-written text.
func TestUsageListsEveryFlag(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main(&stdout, &stderr, []string{c.name, "--help"}); code != 0 {
				t.Fatalf("exit %d: %s", code, &stderr)
			}
			help := stdout.String()
			if !strings.HasPrefix(help, c.text) {
				t.Errorf("the usage does not start with the hand-written text")
			}
			c.flags().VisitAll(func(f *flag.Flag) {
				entry, n := flagEntryIn(help, f.Name)
				if n != 1 {
					t.Errorf("--%s: listed %d times, want once:\n%s", f.Name, n, help)
					return
				}
				if strings.Contains(c.text, "\n  --"+f.Name+" ") {
					t.Errorf("--%s: also in the hand-written text, which would drift", f.Name)
				}
				if !zeroDefault(f.DefValue) && !strings.Contains(entry, "(default "+f.DefValue+")") {
					t.Errorf("--%s: %q does not give the default %s", f.Name, entry, f.DefValue)
				}
			})
		})
	}
	run := lookup("run").usage()
	if _, n := flagEntryIn(run, "latency-every"); n != 1 {
		t.Errorf("run --help lists --latency-every %d times, want once:\n%s", n, run)
	}
}

// flagEntryIn finds the flag called name in a usage text: it returns the
// flag's entry, its lines joined into one, and how many entries it has.
func flagEntryIn(help, name string) (string, int) {
	lines := strings.Split(help, "\n")
	var entry string
	n := 0
	for i, line := range lines {
		if line != "  --"+name && !strings.HasPrefix(line, "  --"+name+" ") {
			continue
		}
		n++
		entry = line
		for _, more := range lines[i+1:] {
			if !strings.HasPrefix(more, "   ") {
				break
			}
			entry += " " + more
		}
	}
	return strings.Join(strings.Fields(entry), " "), n
}
