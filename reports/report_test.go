package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
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

func loadRuns(t *testing.T, names []string) []*Results {
	t.Helper()
	var runs []*Results
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
			charts, err := Charts(runs...)
			if err != nil {
				t.Fatal(err)
			}
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

func TestWriteAll(t *testing.T) {
	for _, tc := range goldenRuns {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if *chartsOut != "" {
				dir = filepath.Join(*chartsOut, "report-"+tc.name)
			}
			// A stale chart from an earlier run that these results lack.
			os.MkdirAll(dir, 0o755)
			stale := filepath.Join(dir, "scaling.png")
			os.WriteFile(stale, []byte("old"), 0o644)

			runs := loadRuns(t, tc.runs)
			if err := WriteAll(dir, runs...); err != nil {
				t.Fatal(err)
			}
			charts, _ := Charts(runs...)
			for _, c := range charts {
				for _, ext := range []string{".png", ".svg"} {
					if st, err := os.Stat(filepath.Join(dir, c.Name+ext)); err != nil || st.Size() < 1000 {
						t.Errorf("%s%s: %v, want the chart", c.Name, ext, err)
					}
				}
			}
			if tc.name != "sweep" {
				if _, err := os.Stat(stale); err == nil {
					t.Errorf("stale scaling.png survived WriteAll")
				}
			}
			md, err := os.ReadFile(filepath.Join(dir, ReportFileName))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range charts {
				if !bytes.Contains(md, []byte("]("+c.Name+".png)")) {
					t.Errorf("report.md does not embed %s.png", c.Name)
				}
			}
			page, err := os.ReadFile(filepath.Join(dir, HTMLFileName))
			if err != nil {
				t.Fatal(err)
			}
			checkHTML(t, string(page), len(charts))
		})
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
	trials := func(impl string, thr ...float64) []Trial {
		ts := make([]Trial, len(thr))
		for i, x := range thr {
			ts[i] = Trial{Impl: impl, Repetition: i + 1, Outcome: OK, Throughput: x}
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
			r := &Results{Trials: append(trials("a", tc.fast...), trials("b", tc.slow...)...)}
			v := newRunViews([]*Results{r})[0]
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
