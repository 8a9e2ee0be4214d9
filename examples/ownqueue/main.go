// Command ownqueue shows how to benchmark a queue of your own with
// chanbench without forking it: register the queue under a name, then hand
// over to chanbench's command line. Every chanbench feature then works on
// it, from another module:
//
//	go run . run --workload burst --impl slice,chan,ring
//	go run . run --workload slow-consumer --impl slice,bounded --mem-limit 256MiB
package main

import (
	"fmt"
	"os"

	"github.com/chanbench/chanbench/cli"
	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/workloads"
)

func main() {
	// Registration must run on every start: each trial re-runs this
	// program as a child process, which builds the queue by name.
	err := impls.Register(impls.Info{
		Name:    "slice",
		Summary: "unbounded mutex-guarded slice, the simplest queue there is",
		Bounded: false,
	}, func(impls.Options) impls.Queue[workloads.Message] {
		return NewSlice[workloads.Message]()
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ownqueue:", err)
		os.Exit(2)
	}
	os.Exit(cli.Main(os.Stdout, os.Stderr, os.Args[1:]))
}
