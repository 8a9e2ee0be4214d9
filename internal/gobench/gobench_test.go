package gobench

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanbench/chanbench/schema"
	"github.com/chanbench/chanbench/schema/schematest"
	"golang.org/x/perf/benchfmt"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func testRuns() []*schema.Results {
	steady := schematest.Run("steady", "0123456789ab", append(schematest.Reps("chan", 10e6, 10.5e6), schematest.Reps("ring", 5e6)...)...)
	steady.Machine = schema.Machine{CPU: "AMD EPYC 7B13", Cores: 2, GOMAXPROCS: 2, OS: "linux", Arch: "amd64", GoVersion: "go1.26.8"}
	for i := range steady.Trials {
		t := &steady.Trials[i]
		t.Received = int64(t.Throughput) // a one-second window
		t.AllocsPerMsg = 0.000326
	}
	steady.Trials = append(steady.Trials, schema.Trial{Impl: "list", Workload: "steady", Outcome: schema.OOM, Reason: "rss past the budget"})

	sweep := schematest.Run("mpmc", "0123456789ab", schematest.Reps("ring", 4e6)...)
	sweep.Machine = steady.Machine
	sweep.Trials[0].SweepKey, sweep.Trials[0].SweepValue = "producers", "4"
	sweep.Trials[0].Received = 4000000
	sweep.Trials[0].Latency = nil
	return []*schema.Results{steady, sweep}
}

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	skipped, err := Write(&buf, testRuns()...)
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 1 {
		t.Errorf("skipped = %d, want 1 (the oom trial)", skipped)
	}
	golden := filepath.Join("testdata", "gobench.txt")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(golden); err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	} else if buf.String() != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", golden, &buf, want)
	}

	// benchfmt, which benchstat is built on, reads it back.
	got, units := readBack(t, buf.Bytes())
	if len(got) != 4 {
		t.Fatalf("benchfmt read %d results, want 4 (three steady trials that ended ok, one mpmc)", len(got))
	}
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Errorf("%s = %g, want %g", what, got, want)
		}
	}
	ring := got[2]
	check("name", ring.name, "Run/workload=steady/impl=ring")
	check("iterations", ring.iters, 5000000)
	for k, v := range map[string]string{"goos": "linux", "goarch": "amd64", "cpu": "AMD EPYC 7B13", "go": "go1.26.8",
		"workload": "steady", "chanbench": "devel (0123456789ab)"} {
		check("config "+k, ring.config[k], v)
	}
	near("sec/op", ring.values["sec/op"], 200e-9) // tidied from ns/op
	near("msg/s", ring.values["msg/s"], 5e6)
	near("p50-sec", ring.values["p50-sec"], 100e-9)
	near("p99-sec", ring.values["p99-sec"], 1000e-9)
	near("peak-rss-B", ring.values["peak-rss-B"], 10<<20)
	near("allocs/msg", ring.values["allocs/msg"], 0.000326)

	mpmc := got[3]
	check("swept name", mpmc.name, "Run/workload=mpmc/impl=ring/producers=4")
	check("mpmc workload config", mpmc.config["workload"], "mpmc")
	if _, ok := mpmc.values["p50-sec"]; ok {
		t.Errorf("a trial without latency wrote p50")
	}

	check("better msg/s", units.GetBetter("msg/s"), 1)
	check("better p99-ns", units.GetBetter("p99-ns"), -1)
	check("better peak-rss-B", units.GetBetter("peak-rss-B"), -1)
	if strings.Contains(buf.String(), "list") {
		t.Errorf("the oom trial was written:\n%s", &buf)
	}
}

// A result is one benchmark line as benchfmt reads it.
type result struct {
	name   string
	iters  int
	config map[string]string
	values map[string]float64
}

// readBack reads data with benchfmt, failing the test on a syntax error,
// and returns the results in order and the units' metadata.
func readBack(t *testing.T, data []byte) ([]result, benchfmt.UnitMetadataMap) {
	t.Helper()
	var got []result
	r := benchfmt.NewReader(bytes.NewReader(data), "chanbench.txt")
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Errorf("benchfmt: %v", rec)
		case *benchfmt.Result:
			res := result{name: rec.Name.String(), iters: rec.Iters, config: map[string]string{}, values: map[string]float64{}}
			for _, c := range rec.Config {
				res.config[c.Key] = string(c.Value)
			}
			for _, v := range rec.Values {
				res.values[v.Unit] = v.Value
			}
			got = append(got, res)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return got, r.Units()
}

func TestNumber(t *testing.T) {
	for x, want := range map[float64]string{
		0: "0", 12345678.9: "12345679", 188.14: "188.1", 41.79: "41.79", 1.5: "1.500", 0.000326: "0.0003260", 1e-9: "0.0000000",
	} {
		if got := number(x); got != want {
			t.Errorf("number(%g) = %q, want %q", x, got, want)
		}
	}
}
