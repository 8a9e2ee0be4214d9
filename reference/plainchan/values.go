package main

import (
	"fmt"
	"maps"
	"slices"
)

// msg56 has exactly the layout of chanbench's workloads.Message (copied, not
// imported, so that this program shares no code with what it checks): the
// channel's element size, alignment and pointer layout are the same, and so
// is the work the runtime does to copy one in and out, write barriers
// included. TestMessageLayout holds the two together.
type msg56 struct {
	Producer   uint32
	Seq        uint64
	SentNS     int64
	IntendedNS int64
	Payload    []byte
}

// A padded value is the producer's index and a sequence number, after
// padding of type P: 16 bytes and P's size. The padding comes first
// because Go pads a struct that ends in a zero-size field, which would make
// the smallest one 24 bytes.
type padded[P any] struct {
	_        P
	Producer uint32
	Seq      uint64
}

// runners maps each -value-bytes to the run for its type. The loops are
// written for msg56 and for padded values, whose fields the compiler knows,
// so that they compile to what a program sending that type would run. One
// loop generic over every value type would have to make and read values
// through methods, called indirectly for every message: on a 2-core
// machine the fastest of 15 such runs was 15-20% slower at GOMAXPROCS 1,
// while these matched the loop written out (see BenchmarkRun).
var runners = map[int]func(config) (trial, error){
	16:   runPadded[struct{}],
	32:   runPadded[[16]byte],
	56:   func(cfg config) (trial, error) { return run(cfg, produce56, consume56) },
	64:   runPadded[[48]byte],
	128:  runPadded[[112]byte],
	256:  runPadded[[240]byte],
	1024: runPadded[[1008]byte],
}

// sizes lists the sizes -value-bytes accepts, in order.
func sizes() string {
	return fmt.Sprint(slices.Sorted(maps.Keys(runners)))
}

// produce56 sends producer p's n messages, numbered from 0.
func produce56(ch chan<- msg56, p uint32, n int) {
	for i := range n {
		ch <- msg56{Producer: p, Seq: uint64(i)}
	}
}

// consume56 receives until ch is closed and returns the number of messages
// and the sum of their sequence numbers.
func consume56(ch <-chan msg56) (n, seqSum uint64) {
	for m := range ch {
		n++
		seqSum += m.Seq
	}
	return n, seqSum
}

func runPadded[P any](cfg config) (trial, error) {
	return run(cfg, producePadded[P], consumePadded[P])
}

// producePadded is produce56 for padded values. The type parameter costs
// nothing here: padded[P]'s fields are at offsets the compiler knows.
func producePadded[P any](ch chan<- padded[P], p uint32, n int) {
	for i := range n {
		ch <- padded[P]{Producer: p, Seq: uint64(i)}
	}
}

// consumePadded is consume56 for padded values.
func consumePadded[P any](ch <-chan padded[P]) (n, seqSum uint64) {
	for m := range ch {
		n++
		seqSum += m.Seq
	}
	return n, seqSum
}
