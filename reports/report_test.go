package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/impls"
	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/workloads"
)

// goldenRuns are the runs behind each golden report.
var goldenRuns = []struct {
	name string
	runs []string
}{
	{"slow-consumer", []string{"slow-consumer"}},
	{"burst", []string{"burst"}},
	{"sweep", []string{"sweep"}},
	{"merged", []string{"slow-consumer", "slow-consumer"}},
}

func loadRuns(t *testing.T, names []string) []*schema.Results {
	t.Helper()
	var runs []*schema.Results
	for i, name := range names {
		r := loadFixture(t, name)
		if len(names) > 1 {
			r.Label = []string{"laptop", "server"}[i]
		}
		if i == 1 {
			// The same workload on a bigger machine.
			r.Machine.CPU = "AMD EPYC 9654 96-Core Processor"
			r.Machine.Cores, r.Machine.GOMAXPROCS = 16, 16
			r.Machine.MemoryBytes = 64 << 30
		}
		runs = append(runs, r)
	}
	return runs
}

// TestMarkdown holds report.md's text in testdata/NAME.md.golden; run with
// -update to rewrite them after a deliberate change, and read the diff.
func TestMarkdown(t *testing.T) {
	for _, tc := range goldenRuns {
		t.Run(tc.name, func(t *testing.T) {
			runs := loadRuns(t, tc.runs)
			charts := svgCharts(t, runs...)
			var got bytes.Buffer
			if err := WriteMarkdown(&got, charts, runs...); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".md.golden")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("report.md differs from %s (go test -update rewrites it):\n%s", path, lineDiff(string(want), got.String()))
			}
		})
	}
}

// lineDiff lists the lines that differ, want first.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + ":\n  want: " + wl + "\n   got: " + gl + "\n")
		}
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestWriteAll writes the reports of a run end to end, the PNGs drawn:
// every chart as PNG and SVG, a stale chart of an earlier run removed,
// report.md and index.html embedding the charts. TestReportsEmbedCharts
// checks the pages of the other golden runs.
func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	if *chartsOut != "" {
		dir = filepath.Join(*chartsOut, "report-burst")
	}
	// A stale chart from an earlier run that these results lack.
	os.MkdirAll(dir, 0o755)
	stale := filepath.Join(dir, "scaling.png")
	os.WriteFile(stale, []byte("old"), 0o644)

	runs := loadRuns(t, []string{"burst"})
	if err := WriteAll(dir, runs...); err != nil {
		t.Fatal(err)
	}
	charts := svgCharts(t, runs...)
	for _, c := range charts {
		png, err := os.ReadFile(filepath.Join(dir, c.Name+".png"))
		if err != nil {
			t.Errorf("%s.png: %v, want the chart", c.Name, err)
			continue
		}
		checkPNG(t, c.Name, png)
		svg, err := os.ReadFile(filepath.Join(dir, c.Name+".svg"))
		if err != nil {
			t.Errorf("%s.svg: %v, want the chart", c.Name, err)
			continue
		}
		checkSVG(t, c.Name, svg)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("stale scaling.png survived WriteAll")
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFileName))
	if err != nil {
		t.Fatal(err)
	}
	checkMarkdownEmbeds(t, md, charts)
	page, err := os.ReadFile(filepath.Join(dir, HTMLFileName))
	if err != nil {
		t.Fatal(err)
	}
	checkHTML(t, string(page), len(charts))
}

// TestReportsEmbedCharts checks report.md and index.html of every golden
// run embed each of its charts, the SVGs inline.
func TestReportsEmbedCharts(t *testing.T) {
	for _, tc := range goldenRuns {
		t.Run(tc.name, func(t *testing.T) {
			runs := loadRuns(t, tc.runs)
			charts := svgCharts(t, runs...)
			var md, page bytes.Buffer
			if err := WriteMarkdown(&md, charts, runs...); err != nil {
				t.Fatal(err)
			}
			checkMarkdownEmbeds(t, md.Bytes(), charts)
			if err := WriteHTML(&page, charts, runs...); err != nil {
				t.Fatal(err)
			}
			checkHTML(t, page.String(), len(charts))
		})
	}
}

// checkMarkdownEmbeds checks report.md embeds each chart's PNG.
func checkMarkdownEmbeds(t *testing.T, md []byte, charts []Chart) {
	t.Helper()
	for _, c := range charts {
		if !bytes.Contains(md, []byte("]("+c.Name+".png)")) {
			t.Errorf("report.md does not embed %s.png", c.Name)
		}
	}
}

// checkHTML checks the page is self-contained: every chart inline, nothing
// fetched from anywhere.
func checkHTML(t *testing.T, page string, charts int) {
	t.Helper()
	if n := strings.Count(page, "<svg "); n != charts {
		t.Errorf("index.html has %d inline SVGs, want %d", n, charts)
	}
	if strings.Contains(page, "<?xml") {
		t.Errorf("index.html keeps an SVG's XML prolog")
	}
	// The only URLs allowed are XML namespace names, which nothing fetches.
	urls := regexp.MustCompile(`(src|href)\s*=\s*"|url\(|https?://`).FindAllStringIndex(page, -1)
	for _, u := range urls {
		ctx := page[max(0, u[0]-20):min(len(page), u[1]+30)]
		if !strings.Contains(page[max(0, u[0]-20):u[0]], "xmlns") {
			t.Errorf("index.html refers outside itself: …%s…", ctx)
		}
	}
	for _, want := range []string{"<table>", "<h3>Findings</h3>", "</html>"} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

// The findings rank queues by throughput only when the difference stands
// out of the run's noise.
func TestComparisonsRankOnlyBeyondNoise(t *testing.T) {
	trials := func(impl string, thr ...float64) []schema.Trial {
		ts := make([]schema.Trial, len(thr))
		for i, x := range thr {
			ts[i] = schema.Trial{Impl: impl, Repetition: i + 1, Outcome: schema.OK, Throughput: x}
		}
		return ts
	}
	for _, tc := range []struct {
		name     string
		fast     []float64
		slow     []float64
		want     string
		wantRank bool
	}{
		{"within 5%", []float64{103}, []float64{100}, "the workload, not the queue, set the pace", false},
		{"one repetition, 10% apart", []float64{110}, []float64{100}, "one repetition cannot rank them", false},
		{"one repetition, 50% apart", []float64{150}, []float64{100}, "a was the fastest", true},
		{"repetitions overlap", []float64{80, 120, 130}, []float64{100, 105, 110}, "overlap, so their order is noise", false},
		{"repetitions apart", []float64{115, 120, 130}, []float64{100, 105, 110}, "a was the fastest", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &schema.Results{Trials: append(trials("a", tc.fast...), trials("b", tc.slow...)...)}
			v := newRunViews([]*schema.Results{r})[0]
			var text []string
			for _, f := range v.comparisons() {
				text = append(text, f.Text)
			}
			got := strings.Join(text, "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("findings %q, want one saying %q", got, tc.want)
			}
			if ranked := strings.Contains(got, "fastest at"); ranked != tc.wantRank {
				t.Errorf("ranked = %v, want %v: %q", ranked, tc.wantRank, got)
			}
		})
	}
}

// okTrial is a repetition of impl that ended ok, moving thr msg/s.
func okTrial(impl string, rep int, thr float64) schema.Trial {
	return schema.Trial{Impl: impl, Repetition: rep, Outcome: schema.OK, Throughput: thr, Sent: 1000, Received: 1000,
		Params:  schema.Params{Producers: 1, Consumers: 1, Capacity: 1024, Policy: "block"},
		Latency: &schema.Latency{Count: 1000, SampleEvery: 1, P50: 5e5, P99: 1e6, P999: 1e6, Max: 1e6}}
}

// findingsText is every finding of r's report, one per line.
func findingsText(r *schema.Results) string {
	v := newRunViews([]*schema.Results{r})[0]
	var lines []string
	for _, f := range v.findings() {
		lines = append(lines, strings.TrimSpace(f.Queue+" "+f.Text))
	}
	return strings.Join(lines, "\n")
}

// Latency measured from the schedule is attributed to blocking only where
// a queue blocked the producers; under a drop policy none did.
func TestSchedLatencyIsBlockingOnlyWhereProducersBlocked(t *testing.T) {
	for _, tc := range []struct {
		name    string
		blocked []float64
		want    string
		wantNot string
	}{
		{"drop policy, nothing blocked", []float64{0, 0}, "no producer blocked", "blocked by"},
		{"every queue blocked", []float64{0.3, 0.4}, "the time producers spent blocked by a full queue", "no producer blocked"},
		{"one of two blocked", []float64{0.3, 0}, "", "no producer blocked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &schema.Results{Count: 1}
			for i, b := range tc.blocked {
				tr := okTrial([]string{"chan", "ring"}[i], 1, 1e5)
				tr.BlockedFraction = b
				tr.IntendedLatency = &schema.Latency{Count: 1000, SampleEvery: 1, P50: 5e7, P99: 3e8, Max: 3e8}
				r.Trials = append(r.Trials, tr)
			}
			got := findingsText(r)
			if !strings.Contains(got, "Measured from when the schedule meant") {
				t.Fatalf("findings say nothing of the latency from the schedule:\n%s", got)
			}
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.wantNot) {
				t.Errorf("findings:\n%s\nwant %q and not %q", got, tc.want, tc.wantNot)
			}
			f, err := newChartSet(newRunViews([]*schema.Results{r})).latency()
			if err != nil {
				t.Fatal(err)
			}
			caption := f.Caption + " " + f.Panels[len(f.Panels)-1].Title.Text
			if !strings.Contains(caption, "blocked") {
				t.Errorf("latency caption %q says nothing of blocking", caption)
			}
			if blockedAttributed := strings.Contains(caption, "spent blocked") || strings.Contains(caption, "blocking counts"); blockedAttributed == (tc.blocked[0] == 0 && tc.blocked[1] == 0) {
				t.Errorf("latency caption %q: attributes it to blocking %v with blocked %v", caption, blockedAttributed, tc.blocked)
			}
		})
	}
}

// A queue that dropped a material share of its messages by policy is
// never ranked by throughput against queues that delivered every one, and
// the share it dropped is stated.
func TestLossyQueuesAreNotRanked(t *testing.T) {
	lossy := func(impl string, thr float64, dropped int64) schema.Trial {
		tr := okTrial(impl, 1, thr)
		tr.Params.Policy = "drop-newest"
		tr.Dropped, tr.Received = dropped, tr.Sent-dropped
		return tr
	}
	for _, tc := range []struct {
		name   string
		trials []schema.Trial
		want   []string
		not    []string
	}{
		{"one lossy, one whole", []schema.Trial{okTrial("segment", 1, 571e3), lossy("bounded", 100e3, 830)},
			[]string{"bounded is not ranked with the others: it dropped 83% of its messages"},
			[]string{"×", "fastest", "slowest", "Every queue"}},
		{"two whole ranked apart from the lossy one", []schema.Trial{okTrial("segment", 1, 600e3), okTrial("chan", 1, 300e3), lossy("bounded", 50e3, 900)},
			[]string{"segment was the fastest", "2× chan, the slowest of the others", "bounded is not ranked"},
			[]string{"× bounded"}},
		{"a trace of drops is ranked, its share stated", []schema.Trial{okTrial("segment", 1, 600e3), lossy("bounded", 200e3, 2)},
			[]string{"segment was the fastest", "dropped 0.2% of the messages"},
			[]string{"not ranked"}},
		{"every queue lossy", []schema.Trial{lossy("chan", 600e3, 300), lossy("bounded", 200e3, 830)},
			[]string{"chan and bounded are not ranked: they dropped 30% and 83% of their messages"},
			[]string{"fastest", "with the others"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &schema.Results{Count: 1, Trials: tc.trials}
			got := findingsText(r)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("findings lack %q:\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("findings say %q:\n%s", n, got)
				}
			}
			f, err := newChartSet(newRunViews([]*schema.Results{r})).throughput()
			if err != nil {
				t.Fatal(err)
			}
			if said, lossy := strings.Contains(f.Caption, "dropped messages by policy"), strings.Contains(got, "not ranked"); said != lossy {
				t.Errorf("throughput caption %q: says a bar counts fewer messages %v, want %v", f.Caption, said, lossy)
			}
		})
	}
}

// Where the report counts repetitions it counts those that ran and ended
// ok, not the run's Count.
func TestRepetitionsSayWhatRan(t *testing.T) {
	oom := func(impl string, rep int) schema.Trial {
		return schema.Trial{Impl: impl, Repetition: rep, Outcome: schema.OOM, PeakRSSBytes: 300 << 20, Sent: 10}
	}
	for _, tc := range []struct {
		name        string
		count       int
		interrupted bool
		trials      []schema.Trial
		workload    string // in the workload line
		note        string // the table's note begins so
		caption     string // the throughput chart's caption begins so
		spreadB     string // queue b's spread cell, "" with no spread column
	}{
		{"interrupted after one of four", 4, true,
			[]schema.Trial{okTrial("a", 1, 100), okTrial("b", 1, 200)},
			"4 repetitions planned, 1 recorded per queue", "One repetition per queue;", "One repetition per queue.", ""},
		{"one queue failed twice", 3, false,
			[]schema.Trial{okTrial("a", 1, 100), okTrial("b", 1, 200), okTrial("a", 2, 110), oom("b", 2), okTrial("a", 3, 105), oom("b", 3)},
			", 3 repetitions.", "Medians over the repetitions that ended ok, 1 to 3 per queue (peak RSS over every repetition that ran)",
			"Median of the repetitions that ended ok, 1 to 3 per queue;", "–"},
		{"all ran", 2, false,
			[]schema.Trial{okTrial("a", 1, 100), okTrial("b", 1, 200), okTrial("a", 2, 110), okTrial("b", 2, 190)},
			", 2 repetitions.", "Medians over 2 repetitions;", "Median of 2 repetitions;", "5.1%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &schema.Results{Count: tc.count, Interrupted: tc.interrupted, Trials: tc.trials}
			if got := describeWorkload(r); !strings.Contains(got, tc.workload) {
				t.Errorf("workload line %q lacks %q", got, tc.workload)
			}
			v := newRunViews([]*schema.Results{r})[0]
			table, note := summaryTable(v)
			if !strings.HasPrefix(note, tc.note) {
				t.Errorf("table note %q, want it to begin %q", note, tc.note)
			}
			col := slices.Index(table.Head, "spread")
			switch {
			case tc.spreadB == "" && col >= 0:
				t.Errorf("a spread column with one repetition each: %v", table.Head)
			case tc.spreadB != "" && col < 0:
				t.Errorf("no spread column: %v", table.Head)
			case col >= 0 && table.Rows[1][col] != tc.spreadB:
				t.Errorf("b's spread %q, want %q", table.Rows[1][col], tc.spreadB)
			}
			f, err := newChartSet([]*runView{v}).throughput()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(f.Caption, tc.caption) {
				t.Errorf("throughput caption %q, want it to begin %q", f.Caption, tc.caption)
			}
		})
	}
}

// Spans of one kind are spelled in one unit across a report: the times
// the machine would fill at each queue's growth straddle two minutes here.
func TestFillTimesShareAUnit(t *testing.T) {
	r := loadFixture(t, "slow-consumer")
	r.Machine.MemoryBytes = 32 << 30 // list fills it in about 119s, segment in 120s
	got := findingsText(r)
	fills := regexp.MustCompile(`would fill the machine's 32 GiB in ([0-9.]+)( min|s| h)`).FindAllStringSubmatch(got, -1)
	if len(fills) != 3 {
		t.Fatalf("want three forecasts, got %d:\n%s", len(fills), got)
	}
	for _, f := range fills {
		if f[2] != fills[0][2] {
			t.Errorf("forecasts in two units, %q and %q:\n%s", fills[0][0], f[0], got)
		}
	}
}

// No text in the reports says "1 messages" or "producer(s)".
func TestPlurals(t *testing.T) {
	one := okTrial("chan", 1, 5)
	one.PeakDepth = 1
	one.PeakRSSBytes = 64 << 20
	one.Latency = nil
	r := &schema.Results{Count: 1, Machine: schema.Machine{CPU: "cpu", Cores: 1, GOMAXPROCS: 1},
		Workload: workloads.Spec{Name: "one", Producers: 1, Consumers: 1, Capacity: 1, Policy: impls.Block, Messages: 1},
		Trials:   []schema.Trial{one, okTrial("ring", 1, 5)}}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, nil, r); err != nil {
		t.Fatal(err)
	}
	text := md.String() + machineLine(r)
	for _, name := range []string{"burst", "slow-consumer", "sweep", "merged"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".md.golden"))
		if err != nil {
			t.Fatal(err)
		}
		text += string(b)
	}
	bad := regexp.MustCompile(`(^|[^0-9.,])1 (producers|consumers|messages|cores|repetitions|queues)\b|\(s\)`)
	if m := bad.FindAllString(text, -1); len(m) > 0 {
		t.Errorf("wrong plurals %q in:\n%s", m, md.String())
	}
	for _, want := range []string{"1 producer → 1 consumer", "1 message in all", "at most 1 message queued", "1 core"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
}
