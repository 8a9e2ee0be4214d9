package isolate

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chanbench/chanbench/workloads"
)

// testConfig is a config with every field set.
var testConfig = Config{Impl: "chan", Spec: workloads.Spec{Name: "steady", MemLimit: 64 << 20}, GOMAXPROCS: 2, LatencyEvery: 8, Seed: 3}

// TestStartSendsConfig checks that the child reads its config, as one JSON
// document, on stdin.
func TestStartSendsConfig(t *testing.T) {
	c, err := start(helperCommand(t, "echo"), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c.stdout)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("wait: %v", err)
	}
	var cfg Config
	if err := json.Unmarshal(got, &cfg); err != nil {
		t.Fatalf("stdin %q: %v", got, err)
	}
	want, _ := json.Marshal(testConfig)
	if again, _ := json.Marshal(cfg); string(again) != string(want) {
		t.Errorf("child read %s, want %s", again, want)
	}
}

// TestStartFails checks the error for a command that cannot start.
func TestStartFails(t *testing.T) {
	_, err := start([]string{"chanbench-no-such-command"}, testConfig)
	if err == nil || !strings.HasPrefix(err.Error(), "start trial: ") || !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("err = %v, want start trial: … wrapping exec.ErrNotFound", err)
	}
}

// TestStartKeepsStderrHead checks that the head of stderr is kept, and
// that a child writing more than that is neither blocked nor failed.
func TestStartKeepsStderrHead(t *testing.T) {
	tests := []struct {
		helper string
		want   string
	}{
		{"fail", "boom\n"},
		{"flood", strings.Repeat("0123456789abcdef", 200<<10/16)[:stderrHead]},
	}
	for _, tc := range tests {
		t.Run(tc.helper, func(t *testing.T) {
			c, err := start(helperCommand(t, tc.helper), testConfig)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, c.stdout)
			c.cmd.Wait()
			if got := c.stderr.String(); got != tc.want {
				t.Errorf("stderr head: %d bytes %.40q…, want %d bytes %.40q…", len(got), got, len(tc.want), tc.want)
			}
		})
	}
}

// TestHeadBuffer checks the buffer on its own: the first stderrHead bytes,
// over writes of any size, and every write reported as whole.
func TestHeadBuffer(t *testing.T) {
	var b headBuffer
	var all strings.Builder
	for i, n := range []int{10, stderrHead - 20, 5, 100, 1 << 20} {
		p := strings.Repeat(string(rune('a'+i)), n)
		all.WriteString(p)
		if got, err := b.Write([]byte(p)); got != n || err != nil {
			t.Fatalf("write %d bytes: %d, %v", n, got, err)
		}
	}
	if got, want := b.String(), all.String()[:stderrHead]; got != want {
		t.Errorf("kept %d bytes, want the first %d", len(got), len(want))
	}
}

// TestChildRSS checks that the RSS of a live child reads as more than 0,
// and that kill ends it.
func TestChildRSS(t *testing.T) {
	c, err := start(helperCommand(t, "sleep"), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	rss, err := c.rss()
	if err != nil || rss <= 0 {
		t.Errorf("rss of a live child: %d, %v", rss, err)
	}
	c.kill()
	c.kill() // a second kill is harmless
	_, exited := c.follow(newEvents())
	select {
	case err := <-exited:
		if exitOf(err).code != -1 {
			t.Errorf("killed child: wait %v, want death by a signal", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("killed child not reaped after 5 s")
	}
}

// TestFollow checks that follow reads every event, signals the start, and
// reaps the child after the last event.
func TestFollow(t *testing.T) {
	c, err := start(helperCommand(t, "events"), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	ev := newEvents()
	started, exited := c.follow(ev)
	if err := <-exited; err != nil {
		t.Errorf("wait: %v", err)
	}
	select {
	case t0 := <-started:
		if t0.Before(c.began) {
			t.Errorf("started at %v, before the child began at %v", t0, c.began)
		}
	default:
		t.Error("no start signalled")
	}
	if r := ev.snapshot(); !r.started || r.last.Sent != 30 {
		t.Errorf("report %+v, want started and sent 30", r)
	}
}
