// Command chanbench measures queues the way production load treats them:
// it drives queue implementations with producer bursts, slow consumers and
// steady floods, each trial in its own process under a memory budget, and
// records memory, depth, latency and throughput, checks that no message was
// lost, and draws the charts.
//
// Usage:
//
//	chanbench run     --workload burst     run a workload against the queues
//	chanbench list                         list the queues and workloads
//	chanbench report  results.json…        rebuild charts and reports
//	chanbench compare OLD NEW              compare two runs (CI regression check)
//	chanbench export  RESULTS              results in Go benchmark format
//	chanbench version                      print the version
//
// Run "chanbench help <command>" for each command's options. The command line
// lives in package cli, so that other programs can register their own queues
// and reuse it.
package main

import (
	"os"

	"github.com/chanbench/chanbench/cli"
)

func main() {
	os.Exit(cli.Main(os.Stdout, os.Stderr, os.Args[1:]))
}
