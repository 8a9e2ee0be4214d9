package reports

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/internal/units"
	"github.com/chanbench/chanbench/schema"
)

// TestStyles checks every built-in queue looks different from the others
// in colour, dashes and marker alike, so that each tells it apart in
// greyscale too, and that other names get a stable style.
func TestStyles(t *testing.T) {
	colors, dashes, glyphs := map[string]string{}, map[string]string{}, map[string]string{}
	for _, name := range impls.Names() {
		s := StyleOf(name)
		if _, ok := queueStyles[name]; !ok {
			t.Errorf("built-in queue %s has no style of its own", name)
		}
		for _, c := range []struct {
			seen map[string]string
			key  string
		}{{colors, fmt.Sprint(s.Color)}, {dashes, fmt.Sprint(s.Dashes)}, {glyphs, fmt.Sprint(s.Glyph)}} {
			if other, dup := c.seen[c.key]; dup {
				t.Errorf("%s and %s share %s", name, other, c.key)
			}
			c.seen[c.key] = name
		}
	}
	if a, b := StyleOf("my-queue"), StyleOf("my-queue"); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("StyleOf(my-queue) changed between calls: %v, %v", a, b)
	}
	if a, b := runStyle("ring", 0), runStyle("ring", 1); fmt.Sprint(a.Color) == fmt.Sprint(b.Color) || fmt.Sprint(a.Glyph) == fmt.Sprint(b.Glyph) {
		t.Errorf("ring looks the same in two runs: %v, %v", a, b)
	}
}

func TestHumanNumbers(t *testing.T) {
	check := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	check(units.Count(1024), "1024")
	check(units.Count(310_400), "310k")
	check(units.Count(4_180_000), "4.18M")
	check(humanRate(19_650), "19.6k msg/s")
	check(units.Seconds(0.6), "0.6s")
	check(units.Seconds(51.2), "51.2s")
	check(units.Seconds(252), "4.2 min")
	check(units.Seconds(3*3600), "3 h")
	check(units.SecondsIn(113, 121)(121), "121s")
	check(units.SecondsIn(150, 4000)(4000), "66.7 min")
	check(units.SecondsIn(0, -1)(252), "4.2 min")
	check(countOf(1, "message"), "1 message")
	check(countOf(0, "message"), "0 messages")
	check(countOf(88_000, "message"), "88k messages")
	check(units.Percent(0.9071), "91%")
	check(units.Percent(0.042), "4.2%")
	check(units.Percent(0.0004), "<0.1%")
	check(tickCount(2500), "2.5k")
	check(rangeText([]float64{12.5 * mib, 12.8 * mib}, units.Bytes), "12.5–12.8 MiB")
	check(rangeText([]float64{53e6, 54.9e6}, units.NS), "53–54.9ms")
	check(rangeText([]float64{140e3, 3.6e6}, units.NS), "140µs–3.6ms")
	check(rangeText([]float64{0.9, 0.9}, units.Percent), "90%")
	check(units.SignedPercent(-0.52), "−52%")
	check(units.SignedPercent(13.29), "14.3×")
}

// TestGrowth checks the growth fit against the model behind the
// slow-consumer fixture: list takes 197k msg/s in, 19.7k out, and holds
// 1640 bytes of RSS per queued message.
func TestGrowth(t *testing.T) {
	r := loadFixture(t, "slow-consumer")
	for _, row := range Summarize(r) {
		g := measureGrowth(row.MedianTrial(), r.Machine)
		switch row.Impl {
		case "list":
			const wantRate = (197000 - 19700) * 1640.0
			if !g.Unbounded || math.Abs(g.RSSRate/wantRate-1) > 0.05 {
				t.Errorf("list: unbounded %v at %s/s, want unbounded at about %s/s", g.Unbounded, units.Bytes(g.RSSRate), units.Bytes(wantRate))
			}
			if math.Abs(g.DepthRate/(197000-19700)-1) > 0.05 {
				t.Errorf("list: depth grows %s, want about 177k msg/s", humanRate(g.DepthRate))
			}
			if want := float64(r.Machine.MemoryBytes) / g.RSSRate; g.FillSec != want {
				t.Errorf("list: fills the machine in %gs, want %gs", g.FillSec, want)
			}
		case "chan", "ring", "bounded", "spsc":
			if g.Unbounded || g.FillSec != 0 {
				t.Errorf("%s: unbounded %v, fills in %gs; want bounded", row.Impl, g.Unbounded, g.FillSec)
			}
		}
	}
	// A queue that grew steadily but survived the run is unbounded too.
	sweep := loadFixture(t, "sweep")
	for _, row := range Summarize(sweep) {
		if row.Impl == "list" && row.SweepValue == "4" {
			if g := measureGrowth(row.MedianTrial(), sweep.Machine); !g.Unbounded {
				t.Errorf("list at producers=4 grew %s over %gs but is not unbounded", humanRate(g.DepthRate), g.Window)
			}
		}
	}
}

// TestGrowthThatDrained: a queue that grew while the producers sent and
// drained after they stopped absorbed a burst; the findings must not say it
// survived only because the run ended.
func TestGrowthThatDrained(t *testing.T) {
	r := loadFixture(t, "slow-consumer")
	var kept []schema.Trial
	for _, tr := range r.Trials {
		if tr.Impl != "list" {
			continue
		}
		tr.Outcome, tr.Reason, tr.Kill = schema.OK, "", nil
		tr.Throughput = 19700
		last := tr.Series.TMS[tr.Series.Len()-1]
		tr.Phases = schema.Phases{ProducersDoneMS: last, DrainedMS: last + 2500}
		kept = append(kept, tr)
	}
	r.Trials = kept
	var text string
	for _, f := range newRunViews([]*schema.Results{r})[0].findings() {
		if f.Queue == "list" {
			text = f.Text
		}
	}
	if !strings.Contains(text, "drained 2.5s after they stopped") || strings.Contains(text, "survived only because") {
		t.Errorf("list finding: %q", text)
	}
}
