package cli

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chanbench/chanbench/internal/isolate"
	"github.com/chanbench/chanbench/schema"
)

func TestProgressFitsEightyColumns(t *testing.T) {
	var b strings.Builder
	p := &progress{w: &b, live: true}
	p.start(999, 999, "a-queue-with-a-long-name", 12, 12, "gomaxprocs=1024")
	p.sample(isolate.Status{Elapsed: 1234 * time.Second, RSS: 1023 << 30, Depth: 123456789, Sent: 9876543210, Received: 9876543210})
	p.done(&schema.Trial{Outcome: schema.OK})
	for _, line := range strings.Split(b.String(), "\r") {
		line = strings.TrimPrefix(line, "\033[K")
		if n := utf8.RuneCountInString(line); n > 79 {
			t.Errorf("progress line of %d characters: %q", n, line)
		}
	}
	if !strings.Contains(b.String(), "sent 9.88G") {
		t.Errorf("progress lacks the counts: %q", b.String())
	}
}

func TestProgressWithoutTerminalPrintsALinePerTrial(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, false) // not an *os.File: not a terminal
	p.start(1, 3, "chan", 1, 1, "")
	p.sample(isolate.Status{Elapsed: time.Second, RSS: 20 << 20})
	p.done(&schema.Trial{Outcome: schema.OK, Throughput: 1.5e6, PeakRSSBytes: 20 << 20})
	p.skipped(2, 3, "spsc", "spsc supports at most 1 producer, not 4")
	p.start(3, 3, "list", 1, 1, "")
	p.done(&schema.Trial{Outcome: schema.OOM, PeakRSSBytes: 257 << 20})
	want := "[1/3] chan: ok, 1.5M msg/s, peak RSS 20 MiB\n" +
		"[2/3] spsc: skipped (spsc supports at most 1 producer, not 4)\n" +
		"[3/3] list: oom, peak RSS 257 MiB\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var q strings.Builder
	quiet := newProgress(&q, true)
	quiet.start(1, 1, "chan", 1, 1, "")
	quiet.done(&schema.Trial{Outcome: schema.OK})
	if q.Len() != 0 {
		t.Errorf("--quiet printed %q", q.String())
	}
}
