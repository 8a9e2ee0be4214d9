package isolate

// The event reader: the parent's side of protocol.go. It reads the child's
// JSON lines as they come and keeps what the watch and the classifier need:
// the latest sample, the phases reached with the child's own RSS at each,
// and the result.
//
// Invariants:
//  report.started is true exactly when report.phases is not empty.
//  report.result is nil until a result event has been read.
//  The stream is read by one goroutine; every other reader takes mu.

import (
	"bufio"
	"encoding/json"
	"io"
	"sync"

	"github.com/chanbench/chanbench/schema"
)

// maxEventLine is the longest event line the reader accepts, in bytes: a
// result with its latency percentiles is a few KiB. A longer line ends the
// reading, as a broken stream does.
const maxEventLine = 16 << 20

// A report is what the child has said about itself so far.
type report struct {
	// started is set at the first phase event: the producers have started.
	started bool
	// last is the latest sample event (heap, depth, progress).
	last Event
	// phases holds the latest event of each phase, by phase name.
	phases map[string]Event
	// result is the child's own measurements, from its result event.
	result *schema.Trial
}

// events is a report filled in by the event reader while the watch reads it.
type events struct {
	// maxLine is the longest line read accepts, in bytes: maxEventLine.
	maxLine int
	// mu protects r; read holds it only to record one event.
	mu sync.Mutex
	r  report
}

func newEvents() *events {
	return &events{maxLine: maxEventLine, r: report{phases: map[string]Event{}}}
}

// read reads events from r until it ends, fails, or holds a line longer
// than e.maxLine, and records each one. A line that is not a JSON event
// (garbled, or cut short by the child's death) is skipped. started is
// called once, at the first phase event.
func (e *events) read(r io.Reader, started func()) {
	sc := bufio.NewScanner(r)
	// The scanner's limit is the larger of its first buffer and its max.
	sc.Buffer(make([]byte, min(64<<10, e.maxLine)), e.maxLine)
	for sc.Scan() {
		var ev Event
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		if e.record(ev) {
			started()
		}
	}
}

// record keeps what ev says and reports whether it is the first phase.
func (e *events) record(ev Event) (first bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev.Kind {
	case kindSample:
		e.r.last = ev
	case kindPhase:
		e.r.phases[string(ev.Phase)] = ev
		first = !e.r.started
		e.r.started = true
	case kindResult:
		e.r.result = ev.Trial
	}
	return first
}

// progress returns the latest sample and whether the producers started.
func (e *events) progress() (Event, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.r.last, e.r.started
}

// snapshot returns the report. Once read has returned it is final.
func (e *events) snapshot() report {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.r
}
