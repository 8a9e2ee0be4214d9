package cli

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/machine"
	"github.com/chanbench/chanbench/workloads"
)

const listUsage = `Usage: chanbench list

Lists the registered queues and the built-in workloads, one line each.
`

func listCmd(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return misusef("list", "unexpected argument %q", fs.Arg(0))
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "QUEUE\tBOUNDED\tLIMITS\tWHAT IT IS")
	for _, info := range impls.Infos() {
		bounded := "no"
		if info.Bounded {
			bounded = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", info.Name, bounded, limits(info), info.Summary)
	}
	tw.Flush()
	fmt.Fprintln(stdout)
	all, err := workloads.Builtins(machine.Memory())
	if err != nil {
		return err
	}
	tw = tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WORKLOAD\tSHAPE\tWHAT IT SHOWS")
	for _, name := range workloads.BuiltinNames() {
		s := all[name]
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, s.Shape(), s.Description)
	}
	return tw.Flush()
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
