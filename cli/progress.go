package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/chanbench/chanbench/internal/isolate"
)

// progress draws one live line per trial on stderr when it is a terminal.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	on     bool
	prefix string
	last   time.Time
}

func newProgress(stderr io.Writer, quiet bool) *progress {
	on := false
	if f, ok := stderr.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: stderr, on: on}
}

func (p *progress) start(i, n int, impl string, rep, count int, sweep string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prefix = fmt.Sprintf("[%d/%d] %-8s rep %d/%d", i, n, impl, rep, count)
	if sweep != "" {
		p.prefix += " @" + sweep
	}
	fmt.Fprintf(p.w, "\r\033[K%s  starting", p.prefix)
}

func (p *progress) sample(s isolate.Status) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K%s  %5.1fs  RSS %6.1f MiB  depth %-9d sent %-11d recv %d",
		p.prefix, s.Elapsed.Seconds(), float64(s.RSS)/(1<<20), s.Depth, s.Sent, s.Received)
}

func (p *progress) done() {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}
