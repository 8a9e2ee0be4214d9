package impls

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Info describes a registered queue: what it is and which workloads it can
// serve. The harness reads it to refuse impossible combinations before a
// trial starts.
type Info struct {
	// Name is the registry name, as given to --impl.
	Name string
	// Summary is one line saying what the queue is.
	Summary string
	// Bounded reports whether the queue has a fixed capacity and pushes back
	// (or drops) when full. An unbounded queue grows without limit.
	Bounded bool
	// MinCapacity is the smallest capacity New accepts for a bounded queue
	// (0 for a rendezvous channel). Unbounded queues ignore the capacity.
	MinCapacity int
	// MaxProducers and MaxConsumers are the most concurrent senders and
	// receivers the queue supports; 0 means any number.
	MaxProducers, MaxConsumers int
	// Lossy reports that the queue carries out the non-blocking policies
	// (Reject, DropOldest, DropNewest) itself, as Options.Policy says, and
	// counts what it discards (it implements Dropper). For a bounded queue
	// that is not Lossy, the harness carries them out at the producer
	// (see PolicyBy).
	Lossy bool
}

// Supports reports whether the queue can serve the given numbers of
// producers and consumers, and why not.
func (i Info) Supports(producers, consumers int) error {
	if i.MaxProducers > 0 && producers > i.MaxProducers {
		return fmt.Errorf("%s supports at most %s, not %d", i.Name, plural(i.MaxProducers, "producer"), producers)
	}
	if i.MaxConsumers > 0 && consumers > i.MaxConsumers {
		return fmt.Errorf("%s supports at most %s, not %d", i.Name, plural(i.MaxConsumers, "consumer"), consumers)
	}
	return nil
}

// Options configure a queue built by name with NewWith.
type Options struct {
	// Capacity is the number of values a bounded queue holds; ignored by
	// unbounded queues.
	Capacity int
	// Policy is what a full Bounded queue does with a send; the zero value
	// is Block. Other queues ignore it.
	Policy Policy
}

// A constructor builds a Queue[T] for one element type T.
type constructor[T any] func(Options) Queue[T]

type entry struct {
	info Info
	// builtin builds the queue for any element type; nil for queues
	// registered from outside, which have typed constructors only.
	builtin bool
	// typed holds constructor[T] values keyed by reflect.Type of T.
	typed map[reflect.Type]any
}

var registry = struct {
	sync.RWMutex
	entries map[string]*entry
}{entries: map[string]*entry{}}

// The built-in queues. Their constructors are generic, so New dispatches on
// the name directly (see newBuiltin) rather than through typed.
var builtins = []Info{
	{Name: "chan", Summary: "Go's built-in channel (capacity 0 = rendezvous)", Bounded: true},
	{Name: "list", Summary: "unbounded mutex + singly linked list, one node allocated per send"},
	{Name: "ring", Summary: "bounded lock-free MPMC ring with sequence-stamped slots (Vyukov)", Bounded: true, MinCapacity: 1},
	{Name: "bounded", Summary: "mutex + condition variables over a ring buffer; block, reject or drop when full", Bounded: true, MinCapacity: 1, Lossy: true},
	{Name: "spsc", Summary: "single-producer single-consumer lock-free ring, values handed over through stamped slots (FastForward)", Bounded: true, MinCapacity: 1, MaxProducers: 1, MaxConsumers: 1},
	{Name: "segment", Summary: "unbounded linked blocks of slots, freed as the consumer passes them (crossbeam's list flavor)"},
	{Name: "pump", Summary: "unbounded \"infinite channel\": a goroutine shuttling between two channels through a growing slice"},
}

func init() {
	for _, info := range builtins {
		registry.entries[info.Name] = &entry{info: info, builtin: true}
	}
}

func newBuiltin[T any](name string, o Options) Queue[T] {
	switch name {
	case "chan":
		return NewChan[T](o.Capacity)
	case "list":
		return NewList[T]()
	case "ring":
		return NewRing[T](o.Capacity)
	case "bounded":
		return NewBounded[T](o.Capacity, o.Policy)
	case "spsc":
		return NewSPSC[T](o.Capacity)
	case "segment":
		return NewSegment[T]()
	case "pump":
		return NewPump[T]()
	}
	panic("impls: no built-in queue " + name)
}

// Register adds a queue implemented outside this package under info.Name,
// with a constructor for element type T. It is meant to be called from an
// init function or main before the harness starts. Registering the same name
// again for another element type adds that type; registering a name twice for
// one type, or the name of a built-in queue, is an error.
func Register[T any](info Info, ctor func(Options) Queue[T]) error {
	if info.Name == "" || strings.ContainsAny(info.Name, ", \t\n=/") {
		return fmt.Errorf("register queue: invalid name %q (no spaces, commas, '=' or '/')", info.Name)
	}
	if ctor == nil {
		return fmt.Errorf("register queue %s: nil constructor", info.Name)
	}
	typ := reflect.TypeFor[T]()
	registry.Lock()
	defer registry.Unlock()
	e, ok := registry.entries[info.Name]
	switch {
	case ok && e.builtin:
		return fmt.Errorf("register queue %s: a built-in queue has that name", info.Name)
	case ok && e.typed[typ] != nil:
		return fmt.Errorf("register queue %s: already registered for %v", info.Name, typ)
	case !ok:
		e = &entry{info: info, typed: map[reflect.Type]any{}}
		registry.entries[info.Name] = e
	}
	e.typed[typ] = constructor[T](ctor)
	return nil
}

// Lookup returns the Info of the queue registered under name.
func Lookup(name string) (Info, bool) {
	registry.RLock()
	defer registry.RUnlock()
	e, ok := registry.entries[name]
	if !ok {
		return Info{}, false
	}
	return e.info, true
}

// Names lists the registered queues: the built-ins in their fixed order,
// then the others sorted by name.
func Names() []string {
	infos := Infos()
	names := make([]string, len(infos))
	for i, info := range infos {
		names[i] = info.Name
	}
	return names
}

// Infos lists every registered queue in the order of Names.
func Infos() []Info {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]Info, 0, len(registry.entries))
	out = append(out, builtins...)
	var extra []Info
	for _, e := range registry.entries {
		if !e.builtin {
			extra = append(extra, e.info)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
	return append(out, extra...)
}

// Accepts reports whether the queue registered under name can be built for
// element type T: a built-in queue for any type, one registered from outside
// for the types it was registered for.
func Accepts[T any](name string) bool {
	registry.RLock()
	defer registry.RUnlock()
	e, ok := registry.entries[name]
	return ok && (e.builtin || e.typed[reflect.TypeFor[T]()] != nil)
}

// New builds the queue registered under name with the given capacity (and,
// for bounded, the Block policy).
func New[T any](name string, capacity int) (Queue[T], error) {
	return NewWith[T](name, Options{Capacity: capacity})
}

// NewWith builds the queue registered under name with the given options. It
// returns an error for an unknown name (listing the known ones), a negative
// capacity, a capacity below the queue's minimum, or a queue that was not
// registered for element type T.
func NewWith[T any](name string, o Options) (Queue[T], error) {
	info, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown queue %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if o.Capacity < 0 {
		return nil, fmt.Errorf("queue %s: capacity %d is negative", name, o.Capacity)
	}
	if info.Bounded && o.Capacity < info.MinCapacity {
		return nil, fmt.Errorf("queue %s: capacity %d is below its minimum of %d", name, o.Capacity, info.MinCapacity)
	}
	if !o.Policy.valid() {
		return nil, fmt.Errorf("queue %s: unknown policy %d", name, o.Policy)
	}
	registry.RLock()
	e := registry.entries[name]
	ctor, ok := e.typed[reflect.TypeFor[T]()].(constructor[T])
	registry.RUnlock()
	if e.builtin {
		return newBuiltin[T](name, o), nil
	}
	if !ok {
		return nil, fmt.Errorf("queue %s is not registered for element type %v", name, reflect.TypeFor[T]())
	}
	return ctor(o), nil
}
