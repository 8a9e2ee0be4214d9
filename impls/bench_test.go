package impls_test

// Benchmarks in the shape of crossbeam-channel's: every queue at capacity
// 1024 with int values, in four cases. One op is one message, so ns/op is
// the time per message and msgs/s its inverse; b.N messages go through per
// run. Select one with -bench 'Queue/impl=ring/case=spsc'.

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/chanbench/chanbench/impls"
)

const benchCapacity = 1024

var benchCases = []struct {
	name                 string
	producers, consumers int // 0 producers: one goroutine sends and receives
}{
	{"seq", 0, 0},
	{"spsc", 1, 1},
	{"mpsc", 4, 1},
	{"mpmc", 4, 4},
}

func BenchmarkQueue(b *testing.B) {
	for _, info := range impls.Infos() {
		q, err := impls.New[int](info.Name, benchCapacity)
		if err != nil {
			if slices.Contains(builtinNames, info.Name) {
				b.Fatal(err)
			}
			continue // registered from outside for other element types
		}
		q.Close()
		b.Run("impl="+info.Name, func(b *testing.B) {
			for _, bc := range benchCases {
				b.Run("case="+bc.name, func(b *testing.B) {
					if err := info.Supports(bc.producers, bc.consumers); err != nil {
						b.Skip(err)
					}
					q, err := impls.New[int](info.Name, benchCapacity)
					if err != nil {
						b.Fatal(err)
					}
					defer q.Close()
					b.ReportAllocs()
					b.ResetTimer()
					if bc.producers == 0 {
						benchSeq(b, q)
					} else {
						benchConcurrent(b, q, bc.producers, bc.consumers)
					}
					b.StopTimer()
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
				})
			}
		})
	}
}

// benchSeq sends and receives b.N values from one goroutine, in batches
// that fill the queue (at most benchCapacity for an unbounded one).
func benchSeq(b *testing.B, q impls.Queue[int]) {
	batch := benchCapacity
	if c := q.Cap(); c > 0 {
		batch = min(batch, c)
	}
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		for i := range n {
			if err := q.Send(done + i); err != nil {
				b.Fatal(err)
			}
		}
		for i := range n {
			v, err := q.Recv()
			if err != nil || v != done+i {
				b.Fatalf("Recv = %d, %v; want %d, nil", v, err, done+i)
			}
		}
		done += n
	}
}

// benchConcurrent sends values 0..b.N-1 from producers goroutines and
// receives them in consumers goroutines, which stop when the producers are
// done and close the queue. The sum of the received values checks that
// every message arrived once.
func benchConcurrent(b *testing.B, q impls.Queue[int], producers, consumers int) {
	var sendErr error
	var errOnce sync.Once
	var sending sync.WaitGroup
	for p := range producers {
		sending.Add(1)
		go func() {
			defer sending.Done()
			// Producer p sends the values of its share: p, p+producers, ...
			for v := p; v < b.N; v += producers {
				if err := q.Send(v); err != nil {
					errOnce.Do(func() { sendErr = err })
					return
				}
			}
		}()
	}
	go func() {
		sending.Wait()
		q.Close()
	}()

	var receiving sync.WaitGroup
	sums := make([]int, consumers)
	counts := make([]int, consumers)
	recvErrs := make([]error, consumers)
	for c := range consumers {
		receiving.Add(1)
		go func() {
			defer receiving.Done()
			sum, count := 0, 0
			for {
				v, err := q.Recv()
				if err != nil {
					if !errors.Is(err, impls.ErrClosed) {
						recvErrs[c] = err
					}
					break
				}
				sum += v
				count++
			}
			sums[c], counts[c] = sum, count
		}()
	}
	receiving.Wait()
	b.StopTimer()
	sending.Wait()
	if sendErr != nil {
		b.Fatal("Send: ", sendErr)
	}
	sum, count := 0, 0
	for c := range consumers {
		if recvErrs[c] != nil {
			b.Fatal("Recv: ", recvErrs[c])
		}
		sum += sums[c]
		count += counts[c]
	}
	if want := b.N * (b.N - 1) / 2; count != b.N || sum != want {
		b.Fatalf("received %d values summing to %d, want %d summing to %d", count, sum, b.N, want)
	}
}
