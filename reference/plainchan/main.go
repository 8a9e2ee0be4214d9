// Plainchan is the reference that chanbench's figures for Go's channel are
// checked against: the same shape of load, sent through a plain channel by
// a plain Go program, with nothing between the producers and the consumers
// but make, <-, range and close.
//
// It imports nothing but the standard library, so that a slowdown in
// chanbench's harness cannot slow the reference down with it, and it does
// only what the channel needs: no latency stamps, no memory sampling, no
// child process. It measures throughput the way chanbench does: messages
// received, divided by the time from starting the producers to the last
// consumer's end. scripts/fidelity.sh runs both and prints the ratio.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"time"
)

const usage = `Usage: plainchan [options]
       plainchan -read-throughput RESULTS.json

Sends -messages values through one Go channel, from -producers goroutines
to -consumers goroutines, -count times, and prints each repetition's
throughput (messages received per second, from starting the producers to
the last consumer's end), then their median:

  msg/s 5123456 elapsed 976.1ms
  ...
  median msg/s 5123456

Each value has the layout of chanbench's value of the same size
(chanbench run --value-bytes): an ID and a time stamp, then from 32 bytes
on a payload pointer (nil here) and padding. It checks that every message
arrived: the count received, and the sum of the sequence numbers in the
IDs. A failed check ends it with exit status 1.

With -read-throughput it reads a chanbench results.json instead and prints
the median throughput of its trials whose outcome is ok, as one number.

Options:
`

func main() {
	os.Exit(plainchan(os.Stdout, os.Stderr, os.Args[1:]))
}

// plainchan runs the command with args and returns its exit status: 0, 1
// when a check or a read failed, 2 for bad input.
func plainchan(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("plainchan", flag.ContinueOnError)
	// Misuse is one line on stderr; -h prints the usage on stdout.
	fs.SetOutput(io.Discard)
	var (
		cfg        config
		count      int
		valueBytes int
		readFile   string
	)
	fs.IntVar(&cfg.producers, "producers", 4, "sending goroutines")
	fs.IntVar(&cfg.consumers, "consumers", 1, "receiving goroutines")
	fs.IntVar(&cfg.capacity, "capacity", 1024, "the channel's buffer; 0 is an unbuffered channel")
	fs.IntVar(&cfg.messages, "messages", 5_000_000, "messages per repetition, shared among the producers")
	fs.IntVar(&count, "count", 5, "repetitions")
	fs.IntVar(&valueBytes, "value-bytes", 16, "size of the value sent, in bytes: one of "+sizes()+"; 16 is chanbench's default without a payload")
	fs.StringVar(&readFile, "read-throughput", "", "print the median ok throughput of a chanbench results `file` and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(stderr, "plainchan: %v (see plainchan -h)\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plainchan: unexpected argument %q (see plainchan -h)\n", fs.Arg(0))
		return 2
	}

	if readFile != "" {
		thr, err := readThroughput(readFile)
		if err != nil {
			fmt.Fprintf(stderr, "plainchan: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%.0f\n", thr)
		return 0
	}

	runOnce, ok := runners[valueBytes]
	switch {
	case cfg.producers < 1, cfg.consumers < 1:
		fmt.Fprintln(stderr, "plainchan: -producers and -consumers must be at least 1")
		return 2
	case cfg.producers > maxProducers:
		fmt.Fprintf(stderr, "plainchan: -producers %d: at most %d fit in a value's ID\n", cfg.producers, maxProducers)
		return 2
	case cfg.capacity < 0:
		fmt.Fprintln(stderr, "plainchan: -capacity must be 0 or more")
		return 2
	case cfg.messages < 1, count < 1:
		fmt.Fprintln(stderr, "plainchan: -messages and -count must be at least 1")
		return 2
	case !ok:
		fmt.Fprintf(stderr, "plainchan: -value-bytes %d: want one of %s\n", valueBytes, sizes())
		return 2
	}

	fmt.Fprintf(stdout, "# %dP×%dC capacity %d, %d-byte values, %d messages, GOMAXPROCS %d, %s\n",
		cfg.producers, cfg.consumers, cfg.capacity, valueBytes, cfg.messages,
		runtime.GOMAXPROCS(0), runtime.Version())
	var thr []float64
	for range count {
		t, err := runOnce(cfg)
		if err != nil {
			fmt.Fprintf(stderr, "plainchan: %v\n", err)
			return 1
		}
		thr = append(thr, t.throughput())
		fmt.Fprintf(stdout, "msg/s %.0f elapsed %v\n", t.throughput(), t.elapsed.Round(100*time.Microsecond))
	}
	fmt.Fprintf(stdout, "median msg/s %.0f\n", median(thr))
	return 0
}

// median returns the median of xs, which must not be empty.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
