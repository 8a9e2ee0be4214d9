package workloads

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanbench/chanbench/impls"
)

func mustSpec(t testing.TB, src string) Spec {
	t.Helper()
	s, err := Parse([]byte(src), 24<<30)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func runDriver(t testing.TB, s Spec, q impls.Queue[Value32]) *Result {
	t.Helper()
	d, err := NewDriver(s, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Run()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestDriverAccountsForEveryMessage(t *testing.T) {
	for _, name := range []string{"chan", "list", "ring", "bounded", "segment", "pump"} {
		t.Run(name, func(t *testing.T) {
			s := mustSpec(t, "name: t\nproducers: 3\nconsumers: 2\ncapacity: 16\nmessages: 30001\npayload_bytes: 100\n")
			q, err := impls.New[Value32](name, s.Capacity)
			if err != nil {
				t.Fatal(err)
			}
			res := runDriver(t, s, q)
			if res.Sent != 30001 || res.Received != 30001 || res.Lost != 0 || res.Duplicates != 0 || res.Reordered != 0 {
				t.Errorf("sent %d received %d lost %d dup %d reordered %d; want 30001 each way and no faults",
					res.Sent, res.Received, res.Lost, res.Duplicates, res.Reordered)
			}
			if res.Latency.TotalCount() == 0 {
				t.Error("no latency recorded")
			}
		})
	}
}

func TestDriverDurationAndPacing(t *testing.T) {
	// 2 producers at 2000/s for 300ms send about 1200 messages: the pacing
	// holds the rate, and the schedule's latency is recorded.
	s := mustSpec(t, "name: t\nproducers: 2\nrate: 2000\nduration: 300ms\n")
	q := impls.NewChan[Value32](1024)
	res := runDriver(t, s, q)
	if res.Sent < 800 || res.Sent > 1300 {
		t.Errorf("sent %d in 300ms at 2×2000/s, want about 1200", res.Sent)
	}
	if res.Lost != 0 || res.Received != res.Sent {
		t.Errorf("received %d of %d", res.Received, res.Sent)
	}
	if res.Intended == nil || res.Intended.TotalCount() != res.Received {
		t.Errorf("intended latency not recorded for every paced message")
	}
}

func TestDriverBackpressureShowsInBlockedTimeAndIntendedLatency(t *testing.T) {
	// The consumer takes 1ms per message; 4-slot queue; producers paced at
	// 1000/s each for 2 producers: they must block about half the time, and
	// the schedule latency must exceed the enqueue latency.
	s := mustSpec(t, "name: t\nproducers: 2\ncapacity: 4\nrate: 1000\nduration: 300ms\nconsumer: {service_time: 1ms}\n")
	q := impls.NewBounded[Value32](4, impls.Block)
	res := runDriver(t, s, q)
	if res.BlockedNS == 0 {
		t.Fatalf("producers never blocked on a full queue")
	}
	frac := float64(res.BlockedNS) / float64(res.ProducerNS)
	if frac < 0.2 {
		t.Errorf("blocked %.0f%% of the time, want much of it", 100*frac)
	}
	if res.Intended.ValueAtPercentile(99) <= res.Latency.ValueAtPercentile(50) {
		t.Errorf("intended p99 %d <= enqueue p50 %d: backpressure hidden", res.Intended.ValueAtPercentile(99), res.Latency.ValueAtPercentile(50))
	}
}

func TestDriverBlockedTimeOfFlatOutProducers(t *testing.T) {
	// Against a slow consumer and a 4-slot queue, flat-out producers are
	// blocked nearly all the time. Timing every send must say so; the
	// default, a sample of the sends, must see it and say how sure it is.
	// Against an unbounded queue they never block.
	s := mustSpec(t, "name: t\nproducers: 2\ncapacity: 4\nduration: 300ms\nconsumer: {service_time: 20us}\n")
	for _, every := range []int{1, 0} {
		d, err := NewDriver(s, impls.NewBounded[Value32](4, impls.Block), Options{LatencyEvery: every})
		if err != nil {
			t.Fatal(err)
		}
		res, err := d.Run()
		if err != nil {
			t.Fatal(err)
		}
		frac := float64(res.BlockedNS) / float64(res.ProducerNS)
		if every == 1 && (frac < 0.7 || frac > 1.01 || res.BlockedSE != 0) {
			t.Errorf("every send timed: blocked %.0f%% of the time (standard error %v), want nearly all of it, exactly", 100*frac, res.BlockedSE)
		}
		if every == 0 && (frac == 0 || res.BlockedSE == 0) {
			t.Errorf("sampled sends: blocked %.0f%%, standard error %v, on a queue that is full all the time", 100*frac, res.BlockedSE)
		}
	}
	s = mustSpec(t, "name: t\nproducers: 2\nduration: 100ms\n")
	if res := runDriver(t, s, impls.NewList[Value32]()); res.BlockedNS != 0 {
		t.Errorf("list: blocked %v on a queue that is never full", time.Duration(res.BlockedNS))
	}
}

// TestDriverBlockedEstimateIsUnbiased drives a queue on which exactly one
// message in 50 makes the producer wait 20µs: the estimate from one send in
// 64 must land within four of its standard errors of the truth.
func TestDriverBlockedEstimateIsUnbiased(t *testing.T) {
	const n, one, wait = 100000, 50, 20 * time.Microsecond
	s := mustSpec(t, fmt.Sprintf("name: t\nmessages: %d\n", n))
	d, err := NewDriver(s, &slowEvery{Queue: impls.NewList[Value32](), one: one, wait: wait}, Options{LatencyEvery: 64})
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Run()
	if err != nil {
		t.Fatal(err)
	}
	truth := float64(n/one) * float64(wait)
	if res.BlockedSE <= 0 || math.Abs(float64(res.BlockedNS)-truth) > 4*res.BlockedSE {
		t.Errorf("estimated %v blocked ± %v (one standard error), truth about %v",
			time.Duration(res.BlockedNS), time.Duration(res.BlockedSE), time.Duration(truth))
	}
}

// slowEvery is a queue that is "full" for one message in one: TrySend
// refuses it and Send takes wait to queue it.
type slowEvery struct {
	impls.Queue[Value32]
	one  uint64
	wait time.Duration
}

func (q *slowEvery) TrySend(m Value32) error {
	if m.ID&seqMask%q.one == 0 {
		return impls.ErrFull
	}
	return q.Queue.TrySend(m)
}

func (q *slowEvery) Send(m Value32) error {
	if m.ID&seqMask%q.one == 0 {
		busyUntil(nanotime() + int64(q.wait))
	}
	return q.Queue.Send(m)
}

func TestDriverCountsPolicyDrops(t *testing.T) {
	for _, policy := range []string{"reject", "drop-oldest", "drop-newest"} {
		t.Run(policy, func(t *testing.T) {
			s := mustSpec(t, "name: t\nproducers: 2\ncapacity: 8\nmessages: 5000\npolicy: "+policy+"\nconsumer: {service_time: 20us}\n")
			p, _ := impls.ParsePolicy(policy)
			q := impls.NewBounded[Value32](8, p)
			res := runDriver(t, s, q)
			if res.Dropped == 0 {
				t.Errorf("nothing dropped by a slow consumer behind an 8-slot %s queue", policy)
			}
			if res.Lost != 0 || res.Received+res.Dropped != res.Sent || res.Reordered != 0 {
				t.Errorf("sent %d = received %d + dropped %d? lost %d reordered %d", res.Sent, res.Received, res.Dropped, res.Lost, res.Reordered)
			}
		})
	}
}

func TestDriverDetectsFaultyQueues(t *testing.T) {
	s := mustSpec(t, "name: t\nproducers: 2\nmessages: 2000\n")
	for _, tc := range []struct {
		name  string
		fault func(m Value32, n int) []Value32
		check func(r *Result) bool
	}{
		{"loses", func(m Value32, n int) []Value32 {
			if n == 100 {
				return nil
			}
			return []Value32{m}
		}, func(r *Result) bool { return r.Lost == 1 }},
		{"duplicates", func(m Value32, n int) []Value32 {
			if n == 100 {
				return []Value32{m, m}
			}
			return []Value32{m}
		}, func(r *Result) bool { return r.Duplicates == 1 && r.Lost == 0 }},
		{"reorders", nil, func(r *Result) bool { return r.Reordered > 0 && r.Lost == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := &faulty{Queue: impls.NewList[Value32](), fault: tc.fault}
			res := runDriver(t, s, q)
			if !tc.check(res) {
				t.Errorf("lost %d dup %d reordered %d: fault not detected", res.Lost, res.Duplicates, res.Reordered)
			}
		})
	}
}

// faulty wraps a queue and breaks it: fault decides what the n-th send
// really queues; without a fault it swaps two messages of one producer.
type faulty struct {
	impls.Queue[Value32]
	mu    sync.Mutex
	n     int
	held  *Value32
	fault func(m Value32, n int) []Value32
}

func (f *faulty) TrySend(m Value32) error { return f.Send(m) }

func (f *faulty) Send(m Value32) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.fault == nil {
		switch {
		case f.n == 50:
			f.held = &m
			return nil
		case f.held != nil && m.ID>>producerShift == f.held.ID>>producerShift:
			if err := f.Queue.Send(m); err != nil {
				return err
			}
			m, f.held = *f.held, nil
		}
		return f.Queue.Send(m)
	}
	for _, x := range f.fault(m, f.n) {
		if err := f.Queue.Send(x); err != nil {
			return err
		}
	}
	return nil
}

func TestWaitUntilIsAccurate(t *testing.T) {
	// Generous: the point is that it neither returns early nor sleeps
	// through a whole scheduler tick on an idle machine.
	for i := 0; i < 5; i++ {
		start := nanotime()
		target := start + int64(300*time.Microsecond)
		waitUntil(target)
		if now := nanotime(); now < target {
			t.Fatalf("waitUntil returned %dns early", target-now)
		}
	}
}

func TestProgressNeverShowsMoreReceivedThanSent(t *testing.T) {
	// Counts are published in batches; Progress must still never report a
	// consumer ahead of the producers, which a progress line would show.
	s := mustSpec(t, "name: t\nproducers: 4\nconsumers: 2\ncapacity: 64\nduration: 200ms\n")
	d, err := NewDriver(s, impls.NewRing[Value32](64), Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run()
	}()
	polls := 0
	for {
		select {
		case <-done:
			if polls < 100 {
				t.Errorf("only %d polls", polls)
			}
			return
		default:
		}
		sent, received, _ := d.Progress()
		if received > sent {
			t.Fatalf("progress: received %d > sent %d", received, sent)
		}
		polls++
	}
}

// TestConsumerCrashReleasesSenders crashes the consumer of a queue that
// hands out Senders while its producers are blocked on a full channel:
// Close would not wake them (a Sender's send is a plain channel send), so
// the driver must Disconnect, and the trial must end in the consumer's
// panic rather than hang.
func TestConsumerCrashReleasesSenders(t *testing.T) {
	for _, capacity := range []int{0, 1, 64} {
		t.Run(fmt.Sprintf("capacity=%d", capacity), func(t *testing.T) {
			s := mustSpec(t, fmt.Sprintf("name: t\nproducers: 4\ncapacity: %d\nmessages: 100000\n", capacity))
			q := &crashingChan{Chan: impls.NewChan[Value16](capacity), after: 500}
			d, err := NewDriver[Value16](s, q, Options{})
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan any, 1)
			go func() {
				defer func() { done <- recover() }()
				d.Run()
			}()
			select {
			case p := <-done:
				if p == nil || !strings.Contains(fmt.Sprint(p), "crashing consumer") {
					t.Errorf("Run ended with %v, want the consumer's panic", p)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Run hangs after the consumer crashed: the blocked Senders were never released")
			}
			// The values queued when the receivers went away were discarded
			// (Disconnect), not left for no one.
			if got := q.Discarded(); got < uint64(capacity) {
				t.Errorf("%d values discarded, want at least the %d that filled the channel", got, capacity)
			}
		})
	}
}

// crashingChan is a Chan, Senders and all, whose Recv panics after some
// values.
type crashingChan struct {
	*impls.Chan[Value16]
	n, after int
}

func (q *crashingChan) Recv() (Value16, error) {
	if q.n++; q.n > q.after {
		// Crash once the channel is full, so that the producers are blocked
		// in their sends (flat out, they fill it at once).
		for q.Len() < q.Cap() {
			runtime.Gosched()
		}
		panic("crashing consumer")
	}
	return q.Chan.Recv()
}
