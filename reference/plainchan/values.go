package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The values sent have exactly the layouts of chanbench's value types,
// workloads.Value16 to workloads.Value1024 (copied, not imported, so that
// this program shares no code with what it checks): the channel's element
// size, alignment and pointer layout are the same, and so is the work the
// runtime does to copy one in and out, write barriers on the payload
// pointer included. TestValueLayout holds each to its chanbench type.

// value16 is workloads.Value16, the smallest value: no payload pointer.
type value16 struct {
	ID     uint64 // the producer's index times 2^48 plus the sequence number
	SentNS int64  // always 0: this program takes no latency stamps
}

// A padded value is workloads.Value32 and the larger ones: value16's fields,
// the payload pointer (always nil here, as in a chanbench workload without
// a payload), then padding of type P, an array of the size less 24 bytes.
// The fields before the padding are at the same offsets for every P.
type padded[P any] struct {
	ID      uint64
	SentNS  int64
	Payload *byte
	_       P
}

// An ID holds the producer's index above producerShift and the sequence
// number below it, as chanbench's do: 2^16 producers, 2^48 messages each.
const (
	producerShift = 48
	seqMask       = 1<<producerShift - 1
	maxProducers  = 1 << (64 - producerShift)
)

// runners maps each -value-bytes to the run for its type. The loops are
// written for value16 and for padded values, whose fields the compiler
// knows, so that they compile to what a program sending that type would
// run. One loop generic over every value type would have to make and read
// values through methods, called indirectly for every message: on a 2-core
// machine the fastest of 15 such runs was 15-20% slower at GOMAXPROCS 1,
// while these matched the loop written out (see BenchmarkRun).
var runners = map[int]func(config) (trial, error){
	16:   func(cfg config) (trial, error) { return run(cfg, produce16, consume16) },
	32:   runPadded[[32 - 24]byte],
	64:   runPadded[[64 - 24]byte],
	128:  runPadded[[128 - 24]byte],
	256:  runPadded[[256 - 24]byte],
	1024: runPadded[[1024 - 24]byte],
}

// sizes lists the sizes -value-bytes accepts, smallest first, as
// "16, 32, 64, 128, 256, 1024".
func sizes() string {
	return strings.ReplaceAll(strings.Trim(fmt.Sprint(slices.Sorted(maps.Keys(runners))), "[]"), " ", ", ")
}

// produce16 sends producer p's n values, numbered from 0.
func produce16(ch chan<- value16, p, n int) {
	id := uint64(p) << producerShift
	for seq := range n {
		ch <- value16{ID: id | uint64(seq)}
	}
}

// consume16 receives until ch is closed and returns the number of values
// and the sum of their sequence numbers.
func consume16(ch <-chan value16) (n, seqSum uint64) {
	for v := range ch {
		n++
		seqSum += v.ID & seqMask
	}
	return n, seqSum
}

func runPadded[P any](cfg config) (trial, error) {
	return run(cfg, producePadded[P], consumePadded[P])
}

// producePadded is produce16 for padded values. The type parameter costs
// nothing here: padded[P]'s fields are at offsets the compiler knows.
func producePadded[P any](ch chan<- padded[P], p, n int) {
	id := uint64(p) << producerShift
	for seq := range n {
		ch <- padded[P]{ID: id | uint64(seq)}
	}
}

// consumePadded is consume16 for padded values.
func consumePadded[P any](ch <-chan padded[P]) (n, seqSum uint64) {
	for v := range ch {
		n++
		seqSum += v.ID & seqMask
	}
	return n, seqSum
}
