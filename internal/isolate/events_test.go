package isolate

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/chanbench/chanbench/schema"
)

// Lines a child writes, as protocol.go encodes them.
const (
	lineStart   = `{"kind":"phase","t_ms":0,"phase":"start","rss":1000}`
	lineSample1 = `{"kind":"sample","t_ms":50,"heap":10,"depth":3,"sent":30,"received":27}`
	lineSample2 = `{"kind":"sample","t_ms":100,"heap":20,"depth":5,"sent":60,"received":55}`
	lineDrained = `{"kind":"phase","t_ms":120,"phase":"drained","rss":3000}`
	lineResult  = `{"kind":"result","t_ms":130,"trial":{"elapsed_s":0.12,"sent":60,"received":60}}`
)

// testMaxLine is the line limit TestEventsRead reads with.
const testMaxLine = 1 << 10

func TestEventsRead(t *testing.T) {
	sample2 := Event{Kind: kindSample, TMS: 100, Heap: 20, Depth: 5, Sent: 60, Received: 55}
	sample1 := Event{Kind: kindSample, TMS: 50, Heap: 10, Depth: 3, Sent: 30, Received: 27}
	start := Event{Kind: kindPhase, Phase: "start", RSS: 1000}
	drained := Event{Kind: kindPhase, TMS: 120, Phase: "drained", RSS: 3000}
	tests := []struct {
		name    string
		stream  string
		want    report
		results int64 // Sent of the result, -1 for none
	}{
		// Every case reads with a line limit of 1 KiB, as if it were
		// maxEventLine, so that a line past it costs little memory.
		{"empty", "", report{phases: map[string]Event{}}, -1},
		{"whole trial",
			lines(lineStart, lineSample1, lineSample2, lineDrained, lineResult),
			report{started: true, last: sample2, phases: map[string]Event{"start": start, "drained": drained}}, 60},
		{"samples before the start do not start it",
			lines(lineSample1),
			report{last: sample1, phases: map[string]Event{}}, -1},
		{"garbled lines are skipped",
			lines(lineStart, `{"kind":"sample","t_ms":`, "\x00\xff not json", lineSample1, `[1,2,3]`),
			report{started: true, last: sample1, phases: map[string]Event{"start": start}}, -1},
		{"an unknown kind is ignored",
			lines(lineStart, `{"kind":"gossip","depth":99}`),
			report{started: true, phases: map[string]Event{"start": start}}, -1},
		{"cut short in the middle of the last line",
			lines(lineStart, lineSample1) + lineSample2[:40],
			report{started: true, last: sample1, phases: map[string]Event{"start": start}}, -1},
		{"the last line without its newline still counts",
			lines(lineStart) + lineSample1,
			report{started: true, last: sample1, phases: map[string]Event{"start": start}}, -1},
		{"CRLF line ends",
			lineStart + "\r\n" + lineSample1 + "\r\n",
			report{started: true, last: sample1, phases: map[string]Event{"start": start}}, -1},
		{"a line past the limit ends the reading",
			lines(lineStart, strings.Repeat("x", testMaxLine+1), lineSample1),
			report{started: true, phases: map[string]Event{"start": start}}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEvents()
			e.maxLine = testMaxLine
			starts := 0
			e.read(iotest.HalfReader(strings.NewReader(tc.stream)), func() { starts++ })
			got := e.snapshot()
			checkResult(t, got.result, tc.results)
			got.result = nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("report\n got %+v\nwant %+v", got, tc.want)
			}
			if want := btoi(tc.want.started); starts != want {
				t.Errorf("started called %d times, want %d", starts, want)
			}
		})
	}
}

// TestEventsReadError checks that a stream that fails keeps what came
// before the failure.
func TestEventsReadError(t *testing.T) {
	r := io.MultiReader(strings.NewReader(lines(lineStart, lineSample1)), iotest.ErrReader(errors.New("pipe broke")))
	e := newEvents()
	e.read(r, func() {})
	got := e.snapshot()
	if !got.started || got.last.Sent != 30 || got.result != nil {
		t.Errorf("after a failed read: %+v, want started, sent 30, no result", got)
	}
}

// TestEventsProgress checks what the watch sees while the stream is read.
func TestEventsProgress(t *testing.T) {
	e := newEvents()
	if last, started := e.progress(); started || last != (Event{}) {
		t.Fatalf("before any event: %+v %v", last, started)
	}
	e.read(strings.NewReader(lines(lineSample1, lineStart)), func() {})
	if last, started := e.progress(); !started || last.Depth != 3 {
		t.Errorf("after a sample and the start: %+v %v, want depth 3, started", last, started)
	}
}

// checkResult checks the result's Sent, or that there is none (sent -1).
func checkResult(t *testing.T, res *schema.Trial, sent int64) {
	t.Helper()
	switch {
	case sent < 0 && res != nil:
		t.Errorf("result %+v, want none", res)
	case sent >= 0 && res == nil:
		t.Errorf("no result, want one with sent %d", sent)
	case sent >= 0 && res.Sent != sent:
		t.Errorf("result sent %d, want %d", res.Sent, sent)
	}
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
