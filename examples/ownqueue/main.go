// Command ownqueue shows how to benchmark a queue of your own with
// chanbench without forking it: register the queue under a name, then hand
// over to chanbench's command line. Every chanbench feature then works on
// it, from another module:
//
//	go run . run --workload burst --impl slice,chan,ring
//	go run . run --workload slow-consumer --impl slice,bounded --mem-limit 256MiB
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/chanbench/chanbench/cli"
	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/workloads"
)

var info = impls.Info{
	Name:    "slice",
	Summary: "unbounded mutex-guarded slice, the simplest queue there is",
	Bounded: false,
}

// register registers the queue for values of type V. A queue is built for
// the value type a workload's value_bytes picks (workloads.Value16 by
// default); chanbench skips a queue, with the reason, for a size it was not
// registered for.
func register[V workloads.Value]() error {
	return impls.Register(info, func(impls.Options) impls.Queue[V] { return NewSlice[V]() })
}

func main() {
	// Registration must run on every start: each trial re-runs this
	// program as a child process, which builds the queue by name.
	err := errors.Join(
		register[workloads.Value16](),
		register[workloads.Value32](),
		register[workloads.Value64](),
		register[workloads.Value128](),
		register[workloads.Value256](),
		register[workloads.Value1024](),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ownqueue:", err)
		os.Exit(2)
	}
	os.Exit(cli.Main(os.Stdout, os.Stderr, os.Args[1:]))
}
