package workloads

import (
	"fmt"
	"sync"
	"testing"

	"github.com/chanbench/chanbench/impls"
)

// BenchmarkHarness measures what the harness costs on the steady workload
// (4 producers flat out, 1 consumer, capacity 1024): the driver with all its
// validation, counting and latency stamping, against a bare loop doing the
// same sends and receives on the same queue. Compare ns/op side by side:
//
//	go test -run '^$' -bench Harness -count 6 ./workloads/ | benchstat -col /loop -
//
// The values are 16 bytes (Value16), the default. The bare loops use what
// they receive (a sum kept in sink): a loop that drops it lets the compiler
// skip copying each message out of the call's results, which no real
// consumer does.
func BenchmarkHarness(b *testing.B) {
	const producers = 4
	for _, impl := range []string{"chan", "ring"} {
		b.Run(fmt.Sprintf("impl=%s/loop=bare", impl), func(b *testing.B) {
			q, _ := impls.New[Value16](impl, 1024)
			sink = bareLoop(b, q, producers)
		})
		b.Run(fmt.Sprintf("impl=%s/loop=driver", impl), func(b *testing.B) {
			q, _ := impls.New[Value16](impl, 1024)
			driverLoop(b, q, producers, 0)
		})
	}
	b.Run("impl=native/loop=bare", func(b *testing.B) {
		ch := make(chan Value16, 1024)
		var wg sync.WaitGroup
		b.ReportAllocs()
		b.ResetTimer()
		for p := 0; p < producers; p++ {
			n := share(b.N, producers, p)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < n; i++ {
					ch <- Value16{ID: makeID(p, int64(i))}
				}
			}()
		}
		go func() { wg.Wait(); close(ch) }()
		var sum uint64
		for m := range ch {
			sum += m.ID
		}
		sink = sum
	})
}

// BenchmarkHarnessShapes is BenchmarkHarness for more queues and two
// shapes at capacity 1024: spsc (1 producer, 1 consumer) and mpsc (4
// producers, 1 consumer), each queue's driver loop beside its bare loop.
// Take the per-run driver/bare ratio of each pair:
//
//	go test -c -o /tmp/workloads.test ./workloads
//	/tmp/workloads.test -test.run '^$' -test.bench HarnessShapes -test.benchtime 1000000x -test.count 6
func BenchmarkHarnessShapes(b *testing.B) {
	for _, shape := range []struct {
		name      string
		producers int
	}{{"spsc", 1}, {"mpsc", 4}} {
		for _, impl := range []string{"chan", "ring", "bounded", "spsc", "segment"} {
			info, _ := impls.Lookup(impl)
			if info.Supports(shape.producers, 1) != nil {
				continue
			}
			b.Run(fmt.Sprintf("shape=%s/impl=%s/loop=bare", shape.name, impl), func(b *testing.B) {
				q, _ := impls.New[Value16](impl, 1024)
				sink = bareLoop(b, q, shape.producers)
			})
			b.Run(fmt.Sprintf("shape=%s/impl=%s/loop=driver", shape.name, impl), func(b *testing.B) {
				q, _ := impls.New[Value16](impl, 1024)
				driverLoop(b, q, shape.producers, 0)
			})
		}
	}
}

// BenchmarkStamping measures what latency stamping costs: every message
// versus one in 64 and the default one in 256 for flat-out producers.
//
//	go test -run '^$' -bench Stamping -count 6 ./workloads/ | benchstat -col /every -
func BenchmarkStamping(b *testing.B) {
	for _, impl := range []string{"chan", "ring"} {
		for _, every := range []int{1, 64, 256} {
			b.Run(fmt.Sprintf("impl=%s/every=%d", impl, every), func(b *testing.B) {
				q, _ := impls.New[Value16](impl, 1024)
				driverLoop(b, q, 4, every)
			})
		}
	}
}

func share(n, parts, i int) int {
	s := n / parts
	if i < n%parts {
		s++
	}
	return s
}

// sink keeps what the bare loops receive alive.
var sink uint64

// bareLoop sends b.N values from producers goroutines and receives them on
// this one: nothing but the queue's own calls. Like the driver, each
// producer sends through a Sender of its own where the queue offers them,
// and Go's channel (chan) is used with Go's own send and receive.
func bareLoop[V Value](b *testing.B, q impls.Queue[V], producers int) uint64 {
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for p := 0; p < producers; p++ {
		n := share(b.N, producers, p)
		snd, release, err := impls.NewSendEnd(q)
		if err != nil {
			b.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer release()
			if cs, ok := snd.(*impls.ChanSender[V]); ok {
				c := cs.SendChan()
				for i := 0; i < n; i++ {
					var m V
					headOf(&m).ID = makeID(p, int64(i))
					c <- m
				}
				return
			}
			for i := 0; i < n; i++ {
				var m V
				headOf(&m).ID = makeID(p, int64(i))
				snd.Send(m)
			}
		}()
	}
	go func() { wg.Wait(); q.Close() }()
	var sum uint64
	if c, ok := q.(*impls.Chan[V]); ok {
		for m := range c.RecvChan() {
			sum += headOf(&m).ID
		}
		return sum
	}
	for {
		m, err := q.Recv()
		if err != nil {
			break
		}
		sum += headOf(&m).ID
	}
	return sum
}

func driverLoop[V Value](b *testing.B, q impls.Queue[V], producers, every int) {
	if b.N < producers {
		b.N = producers
	}
	s, err := Parse([]byte(fmt.Sprintf("name: bench\nproducers: %d\nmessages: %d\n", producers, b.N)), 0)
	if err != nil {
		b.Fatal(err)
	}
	// The clock stops once the consumers have drained the queue, as the
	// bare loop's does: what Run does after that (merging what each
	// consumer saw, the histograms) is outside a trial's measured window
	// too.
	d, err := NewDriver(s, q, Options{LatencyEvery: every, OnPhase: func(p Phase, _ int64) {
		if p == PhaseDrained {
			b.StopTimer()
		}
	}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	res, err := d.Run()
	if err != nil {
		b.Fatal(err)
	}
	if res.Lost != 0 || res.Received != int64(b.N) {
		b.Fatalf("received %d of %d", res.Received, b.N)
	}
}
