package workloads

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/chanbench/chanbench/impls"
)

// A Spec is one workload: how many producers and consumers, how fast they
// go, what each message carries and how long it all lasts. Every field but
// Name is optional; Defaults fills in what a file leaves out.
type Spec struct {
	// Name identifies the workload in tables, charts and results.
	Name string `yaml:"name" json:"name"`
	// Description says what the workload shows.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Producers is the number of sending goroutines, at least 1.
	Producers int `yaml:"producers,omitempty" json:"producers"`
	// Consumers is the number of receiving goroutines, at least 1.
	Consumers int `yaml:"consumers,omitempty" json:"consumers"`
	// Capacity is the capacity of bounded queues; unbounded ones ignore it.
	// 0 is Go's unbuffered channel, where every send waits for a receiver
	// (a queue that needs a slot is skipped); an absent key takes
	// DefaultCapacity.
	Capacity int `yaml:"capacity" json:"capacity"`
	// Policy is what the bounded queue does when full: block (the default),
	// reject, drop-oldest or drop-newest, read from its name once, when the
	// workload is. Other queues always block or grow.
	Policy impls.Policy `yaml:"policy,omitempty" json:"policy"`
	// PayloadBytes is the heap memory each message carries, allocated by the
	// producer for every message.
	PayloadBytes Size `yaml:"payload_bytes,omitempty" json:"payload_bytes"`
	// ValueBytes is the size of the value each queue slot holds, the Go
	// type the queue is built for: one of ValueSizes. 0 (absent) takes the
	// smallest that carries the workload: 16, or 32 with a payload, whose
	// pointer needs the room (see Value).
	ValueBytes int `yaml:"value_bytes,omitempty" json:"value_bytes,omitempty"`
	// Messages is the total number of messages to send, shared among the
	// producers. Exclusive with Duration.
	Messages int64 `yaml:"messages,omitempty" json:"messages,omitempty"`
	// Duration is how long producers send. Exclusive with Messages.
	Duration Duration `yaml:"duration,omitempty" json:"duration,omitempty"`
	// Rate is the messages per second each producer aims for; 0 means as
	// fast as the queue takes them.
	Rate float64 `yaml:"rate,omitempty" json:"rate,omitempty"`
	// Burst, when set, makes each producer send Size messages back to back
	// every Every, instead of a steady Rate.
	Burst *Burst `yaml:"burst,omitempty" json:"burst,omitempty"`
	// Consumer is the work done for each message received.
	Consumer Consumer `yaml:"consumer,omitempty" json:"consumer"`
	// Drain, true by default, makes the consumers empty the queue after the
	// producers stop; the drain is part of the measured window.
	Drain *bool `yaml:"drain,omitempty" json:"drain"`
	// Idle is how long the trial holds on after the drain, to see how much
	// memory stays resident.
	Idle Duration `yaml:"idle,omitempty" json:"idle,omitempty"`
	// MemLimit is the trial's memory budget: the child is killed when its
	// RSS passes it. Default 1GiB, never more than half the machine's memory.
	MemLimit Size `yaml:"mem_limit,omitempty" json:"mem_limit"`
	// Timeout bounds the whole trial; past it the child is killed.
	Timeout Duration `yaml:"timeout,omitempty" json:"timeout"`
}

// A Burst makes each producer send Size messages back to back every Every.
type Burst struct {
	// Size is the number of messages in one burst, at least 1.
	Size int `yaml:"size" json:"size"`
	// Every is the time from the start of one burst to the next.
	Every Duration `yaml:"every" json:"every"`
}

// A Consumer describes the work done per message received.
type Consumer struct {
	// ServiceTime is the time spent on each message, busy-waited so that
	// microseconds are honoured.
	ServiceTime Duration `yaml:"service_time,omitempty" json:"service_time,omitempty"`
	// Jitter adds a uniformly random extra time in [0, Jitter) per message.
	Jitter Duration `yaml:"jitter,omitempty" json:"jitter,omitempty"`
}

// Defaults for the keys a workload file leaves out.
const (
	DefaultProducers = 1
	DefaultConsumers = 1
	DefaultCapacity  = 1024
	DefaultDuration  = Duration(2e9)
	DefaultMemLimit  = Size(1 << 30)
	// MinMemLimit is the least budget a trial can run under: the child's
	// runtime, histograms and sampler need about this much on their own.
	MinMemLimit = Size(32 << 20)
	// MinTimeoutSlack is how much longer than the planned sending and idle
	// time a trial's timeout must be, for the child to start and the queue
	// to drain: a shorter timeout could only ever end in a timeout.
	MinTimeoutSlack = Duration(1e9)
)

// DefaultTimeout is the trial timeout when the workload gives none: the
// planned time plus a minute of slack.
func (s *Spec) DefaultTimeout() Duration {
	return s.Sending() + s.Idle + Duration(60e9)
}

// Sending is how long the producers are planned to send: the duration, or
// for a message count the time a paced or bursty producer's schedule takes
// to reach its share (0 for producers that run flat out, whose time depends
// on the queue).
func (s *Spec) Sending() Duration {
	if s.Messages == 0 {
		return s.Duration
	}
	share := (s.Messages + int64(s.Producers) - 1) / int64(max(s.Producers, 1))
	switch {
	case s.Burst != nil && s.Burst.Size > 0:
		bursts := float64((share - 1) / int64(s.Burst.Size))
		return Duration(math.Min(bursts*float64(s.Burst.Every), float64(3*maxDuration)))
	case s.Rate > 0:
		return Duration(math.Min(float64(share-1)/s.Rate*1e9, float64(3*maxDuration)))
	}
	return 0
}

// Value is the size of the value the queues carry: ValueBytes, or its
// default.
func (s *Spec) Value() int {
	switch {
	case s.ValueBytes != 0:
		return s.ValueBytes
	case s.PayloadBytes > 0:
		return payloadValueBytes
	}
	return ValueSizes[0]
}

// DrainEnabled reports whether consumers drain the queue after producers stop.
func (s *Spec) DrainEnabled() bool { return s.Drain == nil || *s.Drain }

// Parse reads a workload from YAML. Unknown keys are errors; the result has
// its defaults applied and has been validated against the machine's memory.
func Parse(data []byte, machineMemory uint64) (Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return Spec{}, errors.New("the workload file is empty")
		}
		if line := tabIndented(data); line > 0 {
			return Spec{}, fmt.Errorf("line %d: indented with a tab; YAML indents with spaces only (%v)", line, yamlError(err))
		}
		return Spec{}, yamlError(err)
	}
	if s.Name == "" {
		return Spec{}, errors.New("name: missing (every workload needs a name)")
	}
	if err := explicitZeros(data); err != nil {
		return Spec{}, err
	}
	unbuffered := s.Capacity == 0 && hasKey(data, "capacity")
	s.ApplyDefaults(machineMemory)
	if unbuffered {
		s.Capacity = 0
	}
	return s, s.Validate(machineMemory)
}

// tabIndented returns the number of the first line whose indentation holds
// a tab, or 0. YAML forbids tabs there, and the parser's own message ("found
// character that cannot start any token") does not say so.
func tabIndented(data []byte) int {
	lines := strings.Split(string(data), "\n")
	// A line with something after the tab first; else a line of blanks
	// holding one.
	for _, blank := range []bool{false, true} {
		for i, line := range lines {
			indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
			if strings.Contains(indent, "\t") && (strings.TrimSpace(line) == "") == blank {
				return i + 1
			}
		}
	}
	return 0
}

// hasKey reports whether the workload file gives key a value at its top
// level.
func hasKey(data []byte, key string) bool {
	var top map[string]any
	if yaml.Unmarshal(data, &top) != nil {
		return false
	}
	return top[key] != nil
}

// explicitZeros rejects counts written as 0: an absent key takes its
// default, but "producers: 0" is a mistake, not a request for the default.
func explicitZeros(data []byte) error {
	var top map[string]any
	if yaml.Unmarshal(data, &top) != nil {
		return nil // the typed decode already accepted it; nothing to add
	}
	for _, key := range []string{"producers", "consumers", "messages"} {
		if v, ok := top[key]; ok && v == 0 {
			return fmt.Errorf("%s: 0, want at least 1", key)
		}
	}
	if v, ok := top["value_bytes"]; ok && v == 0 {
		return fmt.Errorf("value_bytes: 0, want one of %s (or leave it out for the smallest)", valueSizesText())
	}
	if b, ok := top["burst"].(map[string]any); ok && b["size"] == 0 {
		return errors.New("burst.size: 0, want at least 1")
	}
	return nil
}

// yamlError turns a yaml.v3 error into one line naming the key.
func yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		// "line 3: field foo not found in type workloads.Spec"
		if i := strings.Index(msg, "field "); i >= 0 && strings.Contains(msg, " not found in type") {
			key := strings.Fields(msg[i+len("field "):])[0]
			line := strings.TrimSuffix(msg[:i], ": ")
			return fmt.Errorf("%s: unknown key %q", line, key)
		}
		return oneLine(strings.ReplaceAll(msg, "workloads.", ""))
	}
	return oneLine(strings.TrimPrefix(err.Error(), "yaml: "))
}

// oneLine makes an error of msg with its line breaks escaped: the YAML
// library quotes offending values, which may span lines.
func oneLine(msg string) error {
	return errors.New(strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(msg))
}

// maxDuration bounds every duration key, so that sums such as the default
// timeout cannot overflow.
const maxDuration = Duration(7 * 24 * time.Hour)

// ApplyDefaults fills in what the workload leaves out. A memory budget is
// capped at half the machine's memory.
func (s *Spec) ApplyDefaults(machineMemory uint64) {
	if s.Producers == 0 {
		s.Producers = DefaultProducers
	}
	if s.Consumers == 0 {
		s.Consumers = DefaultConsumers
	}
	if s.Capacity == 0 {
		s.Capacity = DefaultCapacity
	}
	if s.Messages == 0 && s.Duration == 0 {
		s.Duration = DefaultDuration
	}
	if s.MemLimit == 0 {
		s.MemLimit = DefaultMemLimit
		if half := Size(machineMemory / 2); machineMemory > 0 && s.MemLimit > half {
			s.MemLimit = half
		}
	}
	if s.Timeout == 0 && s.Duration <= maxDuration && s.Idle <= maxDuration {
		s.Timeout = s.DefaultTimeout()
	}
	if s.Drain == nil {
		t := true
		s.Drain = &t
	}
}

// Validate checks the spec after defaults, returning one error that names
// the key and the problem.
func (s *Spec) Validate(machineMemory uint64) error {
	switch {
	case s.Producers < 1:
		return fmt.Errorf("producers: %d, want at least 1", s.Producers)
	case s.Producers > MaxProducers:
		return fmt.Errorf("producers: %d, want at most %d", s.Producers, MaxProducers)
	case s.Consumers < 1:
		return fmt.Errorf("consumers: %d, want at least 1", s.Consumers)
	case s.ValueBytes != 0 && CheckValueBytes(s.ValueBytes) != nil:
		return fmt.Errorf("value_bytes: %w", CheckValueBytes(s.ValueBytes))
	case s.PayloadBytes > 0 && s.Value() < payloadValueBytes:
		return fmt.Errorf("value_bytes: %d has no room for the payload's pointer; want %d or more (or payload_bytes: 0)", s.Value(), payloadValueBytes)
	case s.Capacity < 0:
		return fmt.Errorf("capacity: %d, want 0 (unbuffered) or more", s.Capacity)
	case s.PayloadBytes < 0:
		return fmt.Errorf("payload_bytes: %d is negative", s.PayloadBytes)
	case s.Messages < 0:
		return fmt.Errorf("messages: %d is negative", s.Messages)
	case s.Messages > 0 && s.Duration > 0:
		return errors.New("messages and duration: give one or the other, not both")
	case s.Duration < 0:
		return fmt.Errorf("duration: %v is negative", s.Duration)
	case s.Messages == 0 && s.Duration == 0:
		return errors.New("duration: 0, want more than 0 (or give messages instead)")
	case s.Rate < 0 || math.IsNaN(s.Rate) || math.IsInf(s.Rate, 0):
		return fmt.Errorf("rate: %g, want a number of messages per second, 0 or more", s.Rate)
	case s.Duration > maxDuration:
		return fmt.Errorf("duration: %v is more than a week", s.Duration)
	case s.Idle > maxDuration:
		return fmt.Errorf("idle: %v is more than a week", s.Idle)
	case s.Timeout > 3*maxDuration:
		return fmt.Errorf("timeout: %v is more than three weeks", s.Timeout)
	case s.Consumer.ServiceTime > maxDuration || s.Consumer.Jitter > maxDuration:
		return errors.New("consumer: service_time and jitter must be under a week")
	case s.Idle < 0:
		return fmt.Errorf("idle: %v is negative", s.Idle)
	case s.Timeout <= 0:
		return fmt.Errorf("timeout: %v, want more than 0", s.Timeout)
	case s.Consumer.ServiceTime < 0:
		return fmt.Errorf("consumer.service_time: %v is negative", s.Consumer.ServiceTime)
	case s.Consumer.Jitter < 0:
		return fmt.Errorf("consumer.jitter: %v is negative", s.Consumer.Jitter)
	case s.MemLimit < MinMemLimit:
		return fmt.Errorf("mem_limit: %v is below the %v a trial needs for the harness itself", s.MemLimit, MinMemLimit)
	case machineMemory > 0 && uint64(s.MemLimit) > machineMemory/2:
		return fmt.Errorf("mem_limit: %v is more than half of this machine's %v", s.MemLimit, Size(machineMemory))
	}
	if room := s.MemLimit - MinMemLimit; s.PayloadBytes > room {
		return fmt.Errorf("payload_bytes: %v per message does not fit the %v memory budget (%v of it is the harness's)", s.PayloadBytes, s.MemLimit, MinMemLimit)
	}
	if planned := s.Sending() + s.Idle; s.Timeout < planned+MinTimeoutSlack {
		return fmt.Errorf("timeout: %v, want at least %v: the %v planned (sending %v, idle %v) plus %v to start and drain",
			s.Timeout, planned+MinTimeoutSlack, planned, s.Sending(), s.Idle, MinTimeoutSlack)
	}
	if b := s.Burst; b != nil {
		switch {
		case b.Size < 1:
			return fmt.Errorf("burst.size: %d, want at least 1", b.Size)
		case b.Every <= 0 || b.Every > maxDuration:
			return fmt.Errorf("burst.every: %v, want more than 0 and at most a week", b.Every)
		case s.Rate > 0:
			return errors.New("burst and rate: give one or the other, not both")
		}
	}
	if s.Messages > 0 && s.Messages < int64(s.Producers) {
		return fmt.Errorf("messages: %d is fewer than the %d producers", s.Messages, s.Producers)
	}
	return nil
}

// CheckImpl reports whether the queue registered as name can serve the
// spec, and why not: its numbers of producers and consumers, its capacity,
// and whether its policy means anything for that queue.
func (s *Spec) CheckImpl(name string) error {
	info, ok := impls.Lookup(name)
	if !ok {
		return fmt.Errorf("unknown queue %q (known: %s)", name, strings.Join(impls.Names(), ", "))
	}
	if err := info.Supports(s.Producers, s.Consumers); err != nil {
		return err
	}
	if !acceptsValue(name, s.Value()) {
		return fmt.Errorf("%s is not registered for %d-byte values (workloads.Value%d)", name, s.Value(), s.Value())
	}
	if info.Bounded && s.Capacity < info.MinCapacity {
		return fmt.Errorf("%s needs a capacity of at least %d, not %d", name, info.MinCapacity, s.Capacity)
	}
	return info.SupportsPolicy(s.Policy, s.Producers, s.Consumers, s.Capacity)
}

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtins returns the built-in workloads by name, with defaults applied.
func Builtins(machineMemory uint64) (map[string]Spec, error) {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		return nil, err
	}
	out := map[string]Spec{}
	for _, e := range entries {
		data, err := builtinFS.ReadFile(path.Join("builtin", e.Name()))
		if err != nil {
			return nil, err
		}
		s, err := Parse(data, machineMemory)
		if err != nil {
			return nil, fmt.Errorf("built-in workload %s: %w", e.Name(), err)
		}
		out[s.Name] = s
	}
	return out, nil
}

// BuiltinNames lists the built-in workloads in a stable order.
func BuiltinNames() []string {
	order := []string{"burst", "slow-consumer", "steady", "spsc", "mpmc"}
	all, _ := Builtins(0)
	var rest []string
	for name := range all {
		if !slices.Contains(order, name) {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	return append(order, rest...)
}

// Load returns the built-in workload called nameOrPath, or else reads the
// YAML file at that path.
func Load(nameOrPath string, machineMemory uint64) (Spec, error) {
	all, err := Builtins(machineMemory)
	if err != nil {
		return Spec{}, err
	}
	if s, ok := all[nameOrPath]; ok {
		return s, nil
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			names := BuiltinNames()
			return Spec{}, fmt.Errorf("workload %q: not a built-in (%s) and no such file", nameOrPath, strings.Join(names, ", "))
		}
		return Spec{}, fmt.Errorf("workload %s: %w", nameOrPath, err)
	}
	s, err := Parse(data, machineMemory)
	if err != nil {
		return Spec{}, fmt.Errorf("workload %s: %w", nameOrPath, err)
	}
	return s, nil
}

// Shape summarises the spec in a few words: "4P×1C burst 25000/1s 1KiB".
func (s *Spec) Shape() string { return s.SweptShape("", "") }

// SweptShape is Shape with the key a sweep varies (producers, consumers,
// rate, payload, value_bytes, capacity or gomaxprocs) written as values, the set of
// values the sweep took ("{1,2,4}"), in place of the spec's own value,
// which no trial may have run with; keys Shape does not show are added at
// the end. An empty key gives Shape.
func (s *Spec) SweptShape(key, values string) string {
	producers, consumers := strconv.Itoa(s.Producers), strconv.Itoa(s.Consumers)
	switch key {
	case "producers":
		producers = values
	case "consumers":
		consumers = values
	}
	parts := []string{producers + "P×" + consumers + "C"}
	switch {
	case s.Burst != nil:
		parts = append(parts, fmt.Sprintf("burst %d/%v", s.Burst.Size, s.Burst.Every))
	case key == "rate":
		parts = append(parts, values+"/s each")
	case s.Rate > 0:
		parts = append(parts, fmt.Sprintf("%g/s each", s.Rate))
	default:
		parts = append(parts, "flat out")
	}
	if s.Consumer.ServiceTime > 0 {
		parts = append(parts, "work "+s.Consumer.ServiceTime.String())
	}
	if key == "payload" {
		parts = append(parts, values)
	} else if s.PayloadBytes > 0 {
		parts = append(parts, s.PayloadBytes.String())
	}
	if key == "value_bytes" {
		parts = append(parts, values+"B values")
	} else {
		parts = append(parts, strconv.Itoa(s.Value())+"B values")
	}
	if s.Messages == 1 {
		parts = append(parts, "1 msg")
	} else if s.Messages > 0 {
		parts = append(parts, fmt.Sprintf("%d msgs", s.Messages))
	} else {
		parts = append(parts, s.Duration.String())
	}
	switch key {
	case "capacity":
		parts = append(parts, "capacity "+values)
	case "gomaxprocs":
		parts = append(parts, "GOMAXPROCS "+values)
	case "rate":
		if s.Burst != nil {
			// Bursts set the pace; the swept rate is recorded all the same.
			parts = append(parts, "rate "+values+"/s")
		}
	}
	return strings.Join(parts, " ")
}
