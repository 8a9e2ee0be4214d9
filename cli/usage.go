package cli

import (
	"flag"
	"strings"
	"unicode/utf8"

	"github.com/chanbench/chanbench/reports"
)

// A section is a titled part of a command's list of flags.
type section struct {
	// title heads the list, such as "Options:".
	title string
	// has reports whether the flag called name belongs here; nil for the
	// section of every flag no other section has.
	has func(name string) bool
}

// options is the one section of a command that does not group its flags.
var options = []section{{title: "Options:"}}

// Widths of a flag list: the widest "--name ARG" that still has its text
// beside it, and the whole line.
const (
	flagColumn = 22
	usageWidth = 80
)

// flagUsage lists every flag of fs under the titles of sections, in the
// order of sections and then by name: "--name ARG", then what it does and
// its default, wrapped to 80 columns. ARG and the text come from the flag's
// usage string as flag.UnquoteUsage reads it; the default is shown unless
// it is the zero value (then the text says what the default is, if it
// matters). A section no flag belongs to is left out.
func flagUsage(fs *flag.FlagSet, sections []section) string {
	var b strings.Builder
	for i, s := range sections {
		var flags []*flag.Flag
		fs.VisitAll(func(f *flag.Flag) {
			if sectionOf(f.Name, sections) == i {
				flags = append(flags, f)
			}
		})
		if len(flags) == 0 {
			continue
		}
		b.WriteString("\n" + s.title + "\n")
		col := 0
		for _, f := range flags {
			if n := utf8.RuneCountInString(flagName(f)); n <= flagColumn {
				col = max(col, n)
			}
		}
		col += 2
		for _, f := range flags {
			b.WriteString(flagEntry(f, col))
		}
	}
	return b.String()
}

// sectionOf returns the index of the section the flag called name belongs
// to: the first whose has claims it, else the one without a has.
func sectionOf(name string, sections []section) int {
	rest := -1
	for i, s := range sections {
		switch {
		case s.has == nil:
			rest = i
		case s.has(name):
			return i
		}
	}
	return rest
}

// flagName spells a flag as the command line takes it: "  --count N".
func flagName(f *flag.Flag) string {
	arg, _ := flag.UnquoteUsage(f)
	if arg != "" {
		arg = " " + arg
	}
	return "  --" + f.Name + arg
}

// flagEntry is the flag's lines of the list, its text starting at column
// col: beside its name, or below it when the name is wider.
func flagEntry(f *flag.Flag, col int) string {
	_, text := flag.UnquoteUsage(f)
	if !zeroDefault(f.DefValue) {
		text += " (default " + f.DefValue + ")"
	}
	name := flagName(f)
	indent := strings.Repeat(" ", col)
	lines := reports.Wrap(text, usageWidth-col, 0)
	if len(lines) == 0 {
		lines = []string{""}
	}
	var b strings.Builder
	for i, line := range lines {
		switch {
		case i > 0:
			b.WriteString(indent)
		case utf8.RuneCountInString(name) > col-2:
			b.WriteString(name + "\n" + indent)
		default:
			b.WriteString(name + strings.Repeat(" ", col-utf8.RuneCountInString(name)))
		}
		b.WriteString(line + "\n")
	}
	return strings.ReplaceAll(b.String(), " \n", "\n")
}

// zeroDefault reports whether a flag's default, as flag.Flag.DefValue
// spells it, is its type's zero value, which the usage does not show.
func zeroDefault(v string) bool {
	switch v {
	case "", "0", "0s", "false":
		return true
	}
	return false
}
