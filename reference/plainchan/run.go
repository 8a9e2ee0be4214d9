package main

import (
	"fmt"
	"sync"
	"time"
	"unsafe"
)

// A config is one trial's shape.
type config struct {
	producers, consumers int
	capacity             int // 0: an unbuffered channel
	messages             int // in all, shared among the producers
}

// A trial is what one run measured.
type trial struct {
	elapsed    time.Duration // from starting the producers to the last consumer's end
	received   uint64
	valueBytes int // the size of each value sent
}

// throughput returns the messages received per second.
func (t trial) throughput() float64 { return float64(t.received) / t.elapsed.Seconds() }

// run sends cfg.messages values of type T through one channel, from
// cfg.producers goroutines running produce to cfg.consumers goroutines
// running consume, and checks that each arrived exactly once as far as a
// count and a sum can tell: the number received and the sum of their
// sequence numbers. produce(ch, p, n) sends n values with the IDs
// p<<producerShift | seq, seq counting from 0; consume adds up the seq part
// of each ID it receives, so that the compiler must copy each value out of
// the channel, as any real consumer does. cfg.producers must be at most
// maxProducers.
func run[T any](cfg config,
	produce func(ch chan<- T, producer, n int),
	consume func(ch <-chan T) (n, seqSum uint64),
) (trial, error) {
	ch := make(chan T, cfg.capacity)

	counts := make([]uint64, cfg.consumers)
	sums := make([]uint64, cfg.consumers)
	var consumers sync.WaitGroup
	for c := range cfg.consumers {
		consumers.Go(func() { counts[c], sums[c] = consume(ch) })
	}

	start := time.Now()
	var producers sync.WaitGroup
	var want uint64 // the sum of every sequence number sent
	for p := range cfg.producers {
		n := share(cfg.messages, cfg.producers, p)
		want += uint64(n) * uint64(n-1) / 2
		producers.Go(func() { produce(ch, p, n) })
	}
	producers.Wait()
	close(ch)
	consumers.Wait()
	var zero T
	t := trial{elapsed: time.Since(start), valueBytes: int(unsafe.Sizeof(zero))}

	var sum uint64
	for c := range cfg.consumers {
		t.received += counts[c]
		sum += sums[c]
	}
	if t.received != uint64(cfg.messages) {
		return t, fmt.Errorf("received %d messages of %d", t.received, cfg.messages)
	}
	if sum != want {
		return t, fmt.Errorf("the sequence numbers received add up to %d, want %d", sum, want)
	}
	return t, nil
}

// share returns producer p's share of n messages among producers: n split
// as evenly as it goes, the first n%producers taking one more.
func share(n, producers, p int) int {
	s := n / producers
	if p < n%producers {
		s++
	}
	return s
}
