package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chanbench/chanbench/internal/isolate"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
)

// progressWidth is the widest progress line: one column short of an 80-column
// terminal, so that the cursor never wraps and \r redraws the same line.
const progressWidth = 79

// progress reports the trials on stderr: on a terminal, one line redrawn in
// place while a trial runs; elsewhere (a CI log, a pipe to tee), one plain
// line per finished trial, so that a long run is never silent.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	live   bool // stderr is a terminal: redraw a line in place
	plain  bool // stderr is not a terminal: a line per finished trial
	prefix string
	last   time.Time
}

func newProgress(stderr io.Writer, quiet bool) *progress {
	p := &progress{w: stderr}
	if quiet {
		return p
	}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.live = true
			return p
		}
	}
	p.plain = true
	return p
}

// start announces trial i of n.
func (p *progress) start(i, n int, impl string, rep, count int, sweep string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prefix = fmt.Sprintf("[%d/%d] %s", i, n, impl)
	if count > 1 {
		p.prefix += fmt.Sprintf(" rep %d/%d", rep, count)
	}
	if sweep != "" {
		p.prefix += " @" + sweep
	}
	if p.live {
		p.redraw(p.prefix + "  starting")
	}
}

// sample redraws the live line, at most ten times a second.
func (p *progress) sample(s isolate.Status) {
	if !p.live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	status := fmt.Sprintf("%.1fs  RSS %s  depth %s  sent %s  recv %s", s.Elapsed.Seconds(),
		units.Bytes(float64(s.RSS)), units.Count(float64(s.Depth)), units.Count(float64(s.Sent)), units.Count(float64(s.Received)))
	// The figures matter more than a long queue name or sweep value: cut
	// the prefix, not them.
	room := max(12, progressWidth-2-utf8.RuneCountInString(status))
	p.redraw(cut(p.prefix, room) + "  " + status)
}

// done ends the trial's line: the live line is cleared (the table follows),
// a plain report gets the trial's outcome.
func (p *progress) done(t *schema.Trial) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
		return
	}
	if !p.plain {
		return
	}
	line := fmt.Sprintf("%s: %s", p.prefix, t.Outcome)
	switch t.Outcome {
	case schema.OK:
		line += fmt.Sprintf(", %s msg/s, peak RSS %s", units.Rate(t.Throughput), units.Bytes(float64(t.PeakRSSBytes)))
	case schema.Skipped:
	default:
		line += ", peak RSS " + units.Bytes(float64(t.PeakRSSBytes))
	}
	fmt.Fprintln(p.w, fit(line))
}

// skipped reports a trial that did not run.
func (p *progress) skipped(i, n int, impl, why string) {
	if !p.plain {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w, fit(fmt.Sprintf("[%d/%d] %s: skipped (%s)", i, n, impl, why)))
}

func (p *progress) redraw(line string) {
	fmt.Fprint(p.w, "\r\033[K"+fit(line))
}

// fit cuts line to progressWidth characters.
func fit(line string) string { return cut(line, progressWidth) }

// cut shortens s to n characters, ending a cut string with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
