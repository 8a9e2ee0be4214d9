package impls_test

// Benchmarks in the shape of crossbeam-channel's: every queue at capacity
// 1024 with int values, in four cases. One op is one message, so ns/op is
// the time per message and msgs/s its inverse; b.N messages go through per
// run. Producers send through a Sender of their own where the queue hands
// them out (chan), as chanbench run's do. Select one with
// -bench 'Queue/impl=ring/case=spsc'.

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
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
	snd, release, err := impls.NewSendEnd(q)
	if err != nil {
		b.Fatal(err)
	}
	defer release()
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		for i := range n {
			if err := snd.Send(done + i); err != nil {
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
		// Each producer sends through a Sender of its own where the queue
		// hands them out, as chanbench run's producers do.
		snd, release, err := impls.NewSendEnd(q)
		if err != nil {
			b.Fatal(err)
		}
		sending.Add(1)
		go func() {
			defer sending.Done()
			defer release()
			// Producer p sends the values of its share: p, p+producers, ...
			for v := p; v < b.N; v += producers {
				if err := snd.Send(v); err != nil {
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

// A benchMsg is the value BenchmarkChanNative sends: 16 bytes, like a
// message with an id and a send time.
type benchMsg struct {
	id   uint64
	sent int64
}

// benchSink keeps what the receivers summed, so the compiler cannot skip a
// received value.
var benchSink atomic.Uint64

// BenchmarkChanNative measures Chan through its Senders against the plain Go
// channel program it stands for, with the same shapes, capacities and
// values. One op is one message. impl=native is `ch <- v` in the producers,
// `for v := range ch` in the consumers, and close(ch) once the producers are
// done; impl=chan is a Sender per producer (Splitter.NewSender), Recv
// through the Queue interface in the consumers, and each Sender dropped and
// the queue closed once the producers are done. Capacity 1<<22 is larger
// than the messages of any run up to -benchtime 4000000x, so the producers
// never wait for room. seq is one goroutine sending a batch that fills the
// channel and then receiving it (not at capacity 0, where a lone goroutine
// cannot send).
//
// Single runs are noisy on a shared machine, so run the two impls
// interleaved, in rounds of one run each, from one test binary:
//
//	go test -c -o /tmp/impls.test ./impls
//	for i in $(seq 7); do
//		/tmp/impls.test -test.run '^$' -test.bench ChanNative \
//			-test.benchtime 1000000x -test.count 1
//	done | tee native.txt
//
// Then take chan/native of each round, shape and capacity, and the median
// over the rounds; benchstat -col /impl native.txt compares the medians of
// the two impls instead, which is close. The allocs/op of impl=chan must be
// 0, as native's: an allocation per message is a bug in the benchmark.
func BenchmarkChanNative(b *testing.B) {
	shapes := []struct {
		name                 string
		producers, consumers int // 0 producers: one goroutine sends and receives
	}{{"seq", 0, 0}, {"spsc", 1, 1}, {"mpsc", 4, 1}, {"mpmc", 4, 4}}
	for _, sh := range shapes {
		for _, c := range []int{0, 1, 1024, 1 << 22} {
			for _, impl := range []string{"native", "chan"} {
				name := fmt.Sprintf("shape=%s/cap=%d/impl=%s", sh.name, c, impl)
				b.Run(name, func(b *testing.B) {
					if sh.producers == 0 && c == 0 {
						b.Skip("one goroutine cannot send on a rendezvous channel")
					}
					b.ReportAllocs()
					var sum uint64
					switch {
					case sh.producers == 0 && impl == "native":
						sum = benchNativeSeq(b, c)
					case sh.producers == 0:
						sum = benchChanSeq(b, c)
					case impl == "native":
						sum = benchNative(b, c, sh.producers, sh.consumers)
					default:
						sum = benchChanSenders(b, c, sh.producers, sh.consumers)
					}
					b.StopTimer()
					if want := uint64(b.N) * uint64(b.N-1); sum != want {
						b.Fatalf("received values summing to %d, want %d", sum, want)
					}
					benchSink.Add(sum)
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
				})
			}
		}
	}
}

// benchShare returns how many of n messages producer p of producers sends,
// and the id of its first: producers send consecutive ranges.
func benchShare(n, producers, p int) (first, count int) {
	per := n / producers
	first = p * per
	if p == producers-1 {
		return first, n - first
	}
	return first, per
}

// benchMsgAt returns message i. The receivers add up both fields: for
// messages 0..n-1, n(n-1).
func benchMsgAt(i int) benchMsg { return benchMsg{id: uint64(i), sent: int64(i)} }

// benchNativeSeq is shape seq on a plain channel.
func benchNativeSeq(b *testing.B, capacity int) uint64 {
	ch := make(chan benchMsg, capacity)
	b.ResetTimer()
	var sum uint64
	for done := 0; done < b.N; {
		n := min(capacity, b.N-done)
		for i := range n {
			ch <- benchMsgAt(done + i)
		}
		for range n {
			m := <-ch
			sum += m.id + uint64(m.sent)
		}
		done += n
	}
	return sum
}

// benchChanSeq is shape seq on a Chan, through a Sender.
func benchChanSeq(b *testing.B, capacity int) uint64 {
	q := impls.NewChan[benchMsg](capacity)
	var sq impls.Splitter[benchMsg] = q
	s, err := sq.NewSender()
	if err != nil {
		b.Fatal(err)
	}
	defer sq.Close()
	defer s.Close()
	b.ResetTimer()
	var sum uint64
	for done := 0; done < b.N; {
		n := min(capacity, b.N-done)
		for i := range n {
			if err := s.Send(benchMsgAt(done + i)); err != nil {
				b.Fatal(err)
			}
		}
		for range n {
			m, err := sq.Recv()
			if err != nil {
				b.Fatal(err)
			}
			sum += m.id + uint64(m.sent)
		}
		done += n
	}
	return sum
}

// benchNative is a concurrent shape on a plain channel.
func benchNative(b *testing.B, capacity, producers, consumers int) uint64 {
	ch := make(chan benchMsg, capacity)
	b.ResetTimer()
	var sending sync.WaitGroup
	for p := range producers {
		first, n := benchShare(b.N, producers, p)
		sending.Add(1)
		go func() {
			defer sending.Done()
			for i := first; i < first+n; i++ {
				ch <- benchMsgAt(i)
			}
		}()
	}
	go func() {
		sending.Wait()
		close(ch)
	}()
	var sum atomic.Uint64
	var receiving sync.WaitGroup
	for range consumers {
		receiving.Add(1)
		go func() {
			defer receiving.Done()
			var s uint64
			for m := range ch {
				s += m.id + uint64(m.sent)
			}
			sum.Add(s)
		}()
	}
	receiving.Wait()
	return sum.Load()
}

// benchChanSenders is a concurrent shape on a Chan: a Sender per producer,
// Recv through the Queue interface.
func benchChanSenders(b *testing.B, capacity, producers, consumers int) uint64 {
	q := impls.NewChan[benchMsg](capacity)
	var sq impls.Splitter[benchMsg] = q
	senders := make([]impls.Sender[benchMsg], producers)
	for p := range senders {
		s, err := sq.NewSender()
		if err != nil {
			b.Fatal(err)
		}
		senders[p] = s
	}
	var rq impls.Queue[benchMsg] = q
	b.ResetTimer()
	sendErrs := make([]error, producers)
	var sending sync.WaitGroup
	for p, s := range senders {
		first, n := benchShare(b.N, producers, p)
		sending.Add(1)
		go func() {
			defer sending.Done()
			defer s.Close()
			for i := first; i < first+n; i++ {
				if err := s.Send(benchMsgAt(i)); err != nil {
					sendErrs[p] = err
					return
				}
			}
		}()
	}
	go func() {
		sending.Wait()
		rq.Close()
	}()
	var sum atomic.Uint64
	var receiving sync.WaitGroup
	for range consumers {
		receiving.Add(1)
		go func() {
			defer receiving.Done()
			var s uint64
			for {
				m, err := rq.Recv()
				if err != nil {
					break
				}
				s += m.id + uint64(m.sent)
			}
			sum.Add(s)
		}()
	}
	receiving.Wait()
	for _, err := range sendErrs {
		if err != nil {
			b.Fatal("Send: ", err)
		}
	}
	return sum.Load()
}
