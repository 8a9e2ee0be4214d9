package workloads

import (
	"strings"
	"testing"
	"time"

	"github.com/chanbench/chanbench/impls"
	"go.yaml.in/yaml/v3"
)

const gib = 1 << 30

func TestBuiltinsParseAndDescribeThemselves(t *testing.T) {
	all, err := Builtins(24 * gib)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"burst", "slow-consumer", "steady", "spsc", "mpmc"} {
		s, ok := all[name]
		if !ok {
			t.Errorf("built-in workload %s missing", name)
			continue
		}
		if len(s.Description) < 40 {
			t.Errorf("%s: description %q does not say what it shows", name, s.Description)
		}
	}
	if got := BuiltinNames(); len(got) != len(all) {
		t.Errorf("BuiltinNames() = %v, want the %d built-ins", got, len(all))
	}
}

func TestParseDefaults(t *testing.T) {
	s, err := Parse([]byte("name: x\n"), 24*gib)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("producers", s.Producers, DefaultProducers)
	check("consumers", s.Consumers, DefaultConsumers)
	check("capacity", s.Capacity, DefaultCapacity)
	check("policy", s.Policy, impls.Block)
	check("duration", s.Duration, DefaultDuration)
	check("mem_limit", s.MemLimit, DefaultMemLimit)
	check("drain", s.DrainEnabled(), true)
	check("timeout", s.Timeout, DefaultDuration+Duration(60e9))

	// The default budget never exceeds half the machine.
	small, err := Parse([]byte("name: x\n"), 1*gib)
	if err != nil {
		t.Fatal(err)
	}
	check("mem_limit on a 1 GiB machine", small.MemLimit, Size(gib/2))
}

func TestParseFullSpec(t *testing.T) {
	src := `
name: custom
description: all keys
producers: 3
consumers: 2
capacity: 64
policy: drop-oldest
payload_bytes: 2KiB
messages: 90000
burst: {size: 100, every: 10ms}
consumer: {service_time: 5us, jitter: 1us}
drain: false
idle: 500ms
mem_limit: 256MiB
timeout: 30s
`
	s, err := Parse([]byte(src), 24*gib)
	if err != nil {
		t.Fatal(err)
	}
	if s.PayloadBytes != 2048 || s.MemLimit != 256<<20 || s.Burst.Every.D().Milliseconds() != 10 ||
		s.Consumer.ServiceTime.D().Microseconds() != 5 || s.DrainEnabled() || s.Messages != 90000 || s.Policy != impls.DropOldest {
		t.Errorf("parsed %+v", s)
	}
}

func TestParseErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"unknown key", "name: x\nproducer: 3\n", `unknown key "producer"`},
		{"no name", "producers: 2\n", "name: missing"},
		{"empty", "", "empty"},
		{"negative producers", "name: x\nproducers: -1\n", "producers: -1"},
		{"zero producers", "name: x\nproducers: 0\n", "producers: 0"},
		{"zero messages", "name: x\nmessages: 0\n", "messages: 0"},
		{"negative consumers", "name: x\nconsumers: -2\n", "consumers: -2"},
		{"negative capacity", "name: x\ncapacity: -5\n", "capacity: -5"},
		{"both duration and messages", "name: x\nduration: 1s\nmessages: 10\n", "messages and duration"},
		{"bad duration", "name: x\nduration: soon\n", `"soon" is not a duration`},
		{"bad size", "name: x\npayload_bytes: lots\n", `"lots" is not a size`},
		{"bad policy", "name: x\npolicy: drop-all\n", "policy: unknown policy"},
		{"budget too small", "name: x\nmem_limit: 1MiB\n", "mem_limit: 1MiB is below"},
		{"budget too large", "name: x\nmem_limit: 20GiB\n", "more than half"},
		{"burst without size", "name: x\nburst: {every: 1s}\n", "burst.size"},
		{"burst and rate", "name: x\nrate: 10\nburst: {size: 1, every: 1s}\n", "burst and rate"},
		{"negative service time", "name: x\nconsumer: {service_time: -1s}\n", "consumer.service_time"},
		{"not a mapping", "- a\n- b\n", "cannot unmarshal"},
		{"wrong type", "name: x\nproducers: many\n", "many"},
		{"tab in the indentation", "name: x\nconsumer:\n\tservice_time: 1us\n", "line 3: indented with a tab"},
		{"a line of nothing but a tab", "name: x\nproducers: 2\n\t\n", "line 3: indented with a tab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), 24*gib)
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans several lines", err)
			}
		})
	}
}

func TestCheckImpl(t *testing.T) {
	s, _ := Parse([]byte("name: x\nproducers: 2\n"), 24*gib)
	if err := s.CheckImpl("spsc"); err == nil || !strings.Contains(err.Error(), "producer") {
		t.Errorf("spsc with 2 producers: %v, want an error about producers", err)
	}
	if err := s.CheckImpl("ring"); err != nil {
		t.Errorf("ring: %v", err)
	}
	if err := s.CheckImpl("nope"); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("unknown queue: %v, want the known names", err)
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]Size{"1024": 1024, "1KiB": 1024, "512MiB": 512 << 20, "1.5GiB": 3 << 29, "2KB": 2000, "0": 0} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MiB", "1XB", "-", "NaNMiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) succeeded", bad)
		}
	}
	if s := Size(256 << 20).String(); s != "256MiB" {
		t.Errorf("String() = %q", s)
	}
}

func TestCapacityZeroIsUnbuffered(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"name: x\ncapacity: 0\n", 0},
		{"name: x\n", DefaultCapacity},
		{"name: x\ncapacity: ~\n", DefaultCapacity},
		{"name: x\ncapacity: 1\n", 1},
	} {
		s, err := Parse([]byte(tc.src), 24*gib)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		if s.Capacity != tc.want {
			t.Errorf("%q: capacity %d, want %d", tc.src, s.Capacity, tc.want)
		}
		out, err := yaml.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := Parse(out, 24*gib); err != nil || back.Capacity != tc.want {
			t.Errorf("%q written out and read back: capacity %d, %v", tc.src, back.Capacity, err)
		}
	}
	s, _ := Parse([]byte("name: x\ncapacity: 0\nproducers: 2\n"), 24*gib)
	for name, want := range map[string]string{"chan": "", "list": "", "ring": "at least 1, not 0", "bounded": "at least 1, not 0"} {
		err := s.CheckImpl(name)
		if (err == nil) != (want == "") || err != nil && !strings.Contains(err.Error(), want) {
			t.Errorf("%s at capacity 0: %v, want %q", name, err, want)
		}
	}
}

func TestTimeoutCoversAPacedMessageCount(t *testing.T) {
	for _, tc := range []struct {
		src     string
		sending time.Duration
	}{
		{"name: x\nmessages: 600\nrate: 200\n", 2995 * time.Millisecond},
		{"name: x\nproducers: 4\nmessages: 100000\nburst: {size: 5000, every: 1s}\n", 4 * time.Second},
		{"name: x\nmessages: 600\n", 0},
		{"name: x\nduration: 3s\n", 3 * time.Second},
	} {
		s, err := Parse([]byte(tc.src), 24*gib)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		if got := s.Sending().D(); got != tc.sending {
			t.Errorf("%q: sending %v, want %v", tc.src, got, tc.sending)
		}
		if s.Timeout.D() < tc.sending+time.Minute {
			t.Errorf("%q: default timeout %v, shorter than the planned %v plus a minute", tc.src, s.Timeout, tc.sending)
		}
	}
	if _, err := Parse([]byte("name: x\nmessages: 600\nrate: 200\ntimeout: 2s\n"), 24*gib); err == nil || !strings.Contains(err.Error(), "sending 2.995s") {
		t.Errorf("a 2s timeout for 3s of paced sending: %v, want a refusal", err)
	}
}
