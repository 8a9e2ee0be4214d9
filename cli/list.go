package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/machine"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/reports"
	"github.com/chanbench/chanbench/workloads"
)

const listUsage = `Usage: chanbench list

Lists the registered queues and the built-in workloads, one line each.
`

// listFlags returns a new set of list's flags: it has none.
func listFlags() *flag.FlagSet { return flag.NewFlagSet("list", flag.ContinueOnError) }

func listCmd(stdout, stderr io.Writer, args []string) error {
	fs := listFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misusef("list", "unexpected argument %q", fs.Arg(0))
	}
	// Both lists fit 80 columns: the queues' summaries are wrapped in
	// their column, the workloads' descriptions below each name.
	var rows [][]string
	for _, info := range impls.Infos() {
		bounded := "no"
		if info.Bounded {
			bounded = "yes"
		}
		rows = append(rows, []string{info.Name, bounded, policies(info), limits(info)})
	}
	head := []string{"QUEUE", "BOUNDED", "POLICIES", "LIMITS"}
	width := 0
	for _, r := range append(rows, head) {
		w := 0
		for _, c := range r {
			w += max(utf8.RuneCountInString(c), 8) + 2
		}
		width = max(width, w)
	}
	tw := tabwriter.NewWriter(stdout, 8, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\tWHAT IT IS")
	for i, info := range impls.Infos() {
		for k, line := range reports.Wrap(info.Summary, max(24, 79-width), 0) {
			cells := rows[i]
			if k > 0 {
				cells = make([]string, len(cells))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t"+line)
		}
	}
	tw.Flush()
	fmt.Fprintln(stdout, "\nPOLICIES: what the queue does by itself when full. For a queue that only")
	fmt.Fprintln(stdout, "blocks, the producer carries out reject and drop-newest around TrySend, and")
	fmt.Fprintln(stdout, "drop-oldest with TryRecv too, where the queue lets it receive (not spsc).")
	fmt.Fprintln(stdout, "An unbounded queue is never full.")
	fmt.Fprintln(stdout)
	all, err := workloads.Builtins(machine.Memory())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "WORKLOAD       SHAPE")
	for _, name := range workloads.BuiltinNames() {
		s := all[name]
		fmt.Fprintf(stdout, "%-13s  %s\n", name, s.Shape())
		for _, line := range reports.Wrap(s.Description, 79-15, 0) {
			fmt.Fprintf(stdout, "%15s%s\n", "", line)
		}
	}
	return nil
}

// policies says which full-queue policies a queue carries out itself.
func policies(info impls.Info) string {
	switch {
	case !info.Bounded:
		return units.Missing
	case info.Lossy:
		return "all"
	}
	return "block"
}

// limits spells the producer/consumer limits of a queue.
func limits(info impls.Info) string {
	count := func(n int) string {
		if n == 0 {
			return "N"
		}
		return fmt.Sprint(n)
	}
	return count(info.MaxProducers) + "P×" + count(info.MaxConsumers) + "C"
}
