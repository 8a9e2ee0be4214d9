package isolate

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanbench/chanbench/schema"
)

func TestWatchInterval(t *testing.T) {
	tests := []struct {
		name  string
		limit int64
		rss   int64
		want  time.Duration
	}{
		{"no budget", 0, 1 << 40, SampleInterval},
		{"well under the budget", 64 * mb, 10 * mb, SampleInterval},
		{"at three quarters", 64 * mb, 48 * mb, SampleInterval},
		{"past three quarters", 64 * mb, 48*mb + 1, time.Millisecond},
		{"over the budget", 64 * mb, 65 * mb, time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := &watch{limit: tc.limit}
			if got := w.interval(tc.rss); got != tc.want {
				t.Errorf("interval(%d) = %v, want %v", tc.rss, got, tc.want)
			}
		})
	}
}

// A reading is one RSS read by the watch, at a time from the start.
type reading struct {
	at  time.Duration
	rss int64
}

// watchClock is a fake clock for the watch, and the watch's fake child.
type watchClock struct {
	base, now time.Time
	kills     int
	statuses  []Status
}

// newFakeWatch returns a watch whose child began, and whose producers
// started, at c.base, with a last sample of depth 7 when started is set.
func newFakeWatch(c *watchClock, limit int64, timeout time.Duration, started bool) *watch {
	ev := newEvents()
	if started {
		ev.record(Event{Kind: kindPhase, Phase: "start", RSS: mb})
		ev.record(Event{Kind: kindSample, Heap: 3 * mb, Depth: 7, Sent: 70, Received: 63})
	}
	w := &watch{
		limit: limit, timeout: timeout, began: c.base, events: ev,
		killChild: func() { c.kills++ },
		onSample:  func(s Status) { c.statuses = append(c.statuses, s) },
		now:       func() time.Time { return c.now },
	}
	if started {
		w.t0 = c.base
	}
	return w
}

func TestWatchObserve(t *testing.T) {
	every10 := func(rss ...int64) []reading {
		var rs []reading
		for i, r := range rss {
			rs = append(rs, reading{time.Duration(i+1) * SampleInterval, r})
		}
		return rs
	}
	tests := []struct {
		name     string
		limit    int64
		timeout  time.Duration
		started  bool
		readings []reading
		kept     []float64 // times of the samples kept in the series, ms
		statuses int       // onSample calls
		peak     int64
		killed   schema.Outcome
		kill     *schema.Kill
	}{
		{"one sample kept per report interval", 64 * mb, time.Minute, true,
			every10(1*mb, 2*mb, 9*mb, 3*mb, 4*mb, 5*mb, 6*mb, 7*mb, 8*mb, 9*mb, 8*mb),
			[]float64{10, 60, 110}, 3, 9 * mb, "", nil},
		{"no series before the producers start", 64 * mb, time.Minute, false,
			every10(1*mb, 2*mb, 3*mb, 4*mb, 5*mb, 6*mb),
			nil, 2, 6 * mb, "", nil},
		{"over the budget kills at once", 64 * mb, time.Minute, true,
			[]reading{{10 * time.Millisecond, 10 * mb}, {20 * time.Millisecond, 64*mb + 1}},
			[]float64{10, 20}, 2, 64*mb + 1, schema.OOM,
			&schema.Kill{AtMS: 20, RSSBytes: 64*mb + 1, Depth: 7, Sent: 70, Received: 63}},
		{"over the budget before the producers start", 64 * mb, time.Minute, false,
			[]reading{{10 * time.Millisecond, 70 * mb}},
			nil, 1, 70 * mb, schema.OOM, &schema.Kill{RSSBytes: 70 * mb}},
		{"at the budget is not over", 64 * mb, time.Minute, true,
			every10(64*mb, 64*mb),
			[]float64{10}, 1, 64 * mb, "", nil},
		{"no budget, no kill", 0, time.Minute, true,
			every10(1<<40, 1<<41),
			[]float64{10}, 1, 1 << 41, "", nil},
		{"at the timeout is not past it", 64 * mb, 20 * time.Millisecond, true,
			every10(1*mb, 1*mb),
			[]float64{10}, 1, 1 * mb, "", nil},
		{"past the timeout kills", 64 * mb, 20 * time.Millisecond, true,
			every10(1*mb, 1*mb, 2*mb),
			[]float64{10, 30}, 2, 2 * mb, schema.Timeout,
			&schema.Kill{AtMS: 30, RSSBytes: 2 * mb, Depth: 7, Sent: 70, Received: 63}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			c := &watchClock{base: base}
			w := newFakeWatch(c, tc.limit, tc.timeout, tc.started)
			for _, r := range tc.readings {
				if w.killed != "" {
					t.Fatalf("reading at %v after the kill", r.at)
				}
				c.now = base.Add(r.at)
				w.observe(r.rss)
			}
			if !reflect.DeepEqual(w.series.TMS, tc.kept) {
				t.Errorf("samples kept at %v ms, want %v", w.series.TMS, tc.kept)
			}
			if len(c.statuses) != tc.statuses {
				t.Errorf("%d statuses, want %d", len(c.statuses), tc.statuses)
			}
			if w.peakRSS != tc.peak {
				t.Errorf("peak %d, want %d", w.peakRSS, tc.peak)
			}
			if w.killed != tc.killed || !reflect.DeepEqual(w.kill, tc.kill) || c.kills != btoi(tc.killed != "") {
				t.Errorf("killed %q %+v (%d kills), want %q %+v", w.killed, w.kill, c.kills, tc.killed, tc.kill)
			}
		})
	}
}

// TestWatchObserveRecords checks what a kept sample records: the series
// row, the peaks of heap and depth, and the status.
func TestWatchObserveRecords(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &watchClock{base: base, now: base.Add(1500 * time.Millisecond)}
	w := newFakeWatch(c, 64*mb, time.Minute, true)
	w.t0 = base.Add(500 * time.Millisecond) // the producers started late
	w.observe(20 * mb)
	want := schema.Series{TMS: []float64{1000}, RSS: []int64{20 * mb}, Heap: []int64{3 * mb}, Depth: []int64{7}, Sent: []int64{70}, Received: []int64{63}}
	if !reflect.DeepEqual(w.series, want) {
		t.Errorf("series %+v, want %+v", w.series, want)
	}
	if w.peakHeap != 3*mb || w.peakDepth != 7 {
		t.Errorf("peaks heap %d depth %d, want %d 7", w.peakHeap, w.peakDepth, 3*mb)
	}
	wantStatus := []Status{{Elapsed: 1500 * time.Millisecond, RSS: 20 * mb, Depth: 7, Sent: 70, Received: 63}}
	if !reflect.DeepEqual(c.statuses, wantStatus) {
		t.Errorf("statuses %+v, want %+v", c.statuses, wantStatus)
	}
}

// fakeChild is a child for watch.run: an RSS source that serves rss and
// counts its readings, and a kill that makes it exit.
type fakeChild struct {
	rss     func(n int) (int64, error)
	reads   atomic.Int64
	exited  chan error
	killed  atomic.Bool
	endOnce sync.Once
}

func newFakeChild(rss func(n int) (int64, error)) *fakeChild {
	return &fakeChild{rss: rss, exited: make(chan error, 1)}
}

func (f *fakeChild) read() (int64, error) { return f.rss(int(f.reads.Add(1))) }

func (f *fakeChild) kill() {
	f.killed.Store(true)
	f.exit(errSignal)
}

func (f *fakeChild) exit(err error) { f.endOnce.Do(func() { f.exited <- err }) }

func (f *fakeChild) watch(limit int64, timeout time.Duration) *watch {
	return &watch{limit: limit, timeout: timeout, began: time.Now(), rss: f.read, killChild: f.kill, events: newEvents(), now: time.Now}
}

func TestWatchRunEndsWhenTheChildExits(t *testing.T) {
	f := newFakeChild(func(n int) (int64, error) { return 10 * mb, nil })
	w := f.watch(64*mb, time.Minute)
	time.AfterFunc(60*time.Millisecond, func() { f.exit(nil) })
	err, interrupted := w.run(context.Background(), nil, f.exited)
	if err != nil || interrupted || f.killed.Load() {
		t.Errorf("run = %v, interrupted %v, killed %v; want a plain exit", err, interrupted, f.killed.Load())
	}
	if n := f.reads.Load(); n < 2 || n > 7 {
		t.Errorf("%d readings in 60 ms, want about 6, one every %v", n, SampleInterval)
	}
}

func TestWatchRunInterrupted(t *testing.T) {
	f := newFakeChild(func(n int) (int64, error) { return 10 * mb, nil })
	w := f.watch(64*mb, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err, interrupted := w.run(ctx, nil, f.exited)
	if err != errSignal || !interrupted || !f.killed.Load() || w.killed != "" {
		t.Errorf("run = %v, interrupted %v, killed %v, outcome %q; want the child killed and no outcome", err, interrupted, f.killed.Load(), w.killed)
	}
}

func TestWatchRunKillsOverBudget(t *testing.T) {
	// RSS grows by 8 MiB a reading: past 48 MiB the watch reads every
	// millisecond, and it kills at the first reading past 64 MiB.
	f := newFakeChild(func(n int) (int64, error) { return int64(n) * 8 * mb, nil })
	w := f.watch(64*mb, time.Minute)
	started := make(chan time.Time, 1)
	started <- time.Now()
	err, interrupted := w.run(context.Background(), started, f.exited)
	if err != errSignal || interrupted {
		t.Fatalf("run = %v, interrupted %v; want the child killed", err, interrupted)
	}
	if w.killed != schema.OOM || w.kill.RSSBytes != 72*mb || w.peakRSS != 72*mb || f.reads.Load() != 9 {
		t.Errorf("killed %q at %+v, peak %d, after %d readings; want oom at 72 MiB after 9", w.killed, w.kill, w.peakRSS, f.reads.Load())
	}
}

func TestWatchRunKillsPastTimeout(t *testing.T) {
	f := newFakeChild(func(n int) (int64, error) { return 10 * mb, nil })
	w := f.watch(64*mb, 40*time.Millisecond)
	err, _ := w.run(context.Background(), nil, f.exited)
	if err != errSignal || w.killed != schema.Timeout {
		t.Fatalf("run = %v, outcome %q; want a timeout kill", err, w.killed)
	}
	if d := time.Since(w.began); d < 40*time.Millisecond {
		t.Errorf("killed after %v, before the 40ms timeout", d)
	}
}

// TestWatchRunSkipsFailedReadings checks that readings that fail or read 0
// (a child exiting) count for nothing.
func TestWatchRunSkipsFailedReadings(t *testing.T) {
	f := newFakeChild(func(n int) (int64, error) {
		if n%2 == 0 {
			return 0, nil
		}
		return 0, errors.New("no such process")
	})
	w := f.watch(1, time.Minute)
	time.AfterFunc(50*time.Millisecond, func() { f.exit(nil) })
	err, _ := w.run(context.Background(), nil, f.exited)
	if err != nil || w.killed != "" || w.peakRSS != 0 || f.reads.Load() < 2 {
		t.Errorf("run = %v, outcome %q, peak %d, %d readings; want an exit with nothing read", err, w.killed, w.peakRSS, f.reads.Load())
	}
}
