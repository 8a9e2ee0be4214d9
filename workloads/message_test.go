package workloads

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestValueLayout holds every value type to what the driver assumes of it
// (see head): its size is its name, ID and SentNS open it, and the payload
// pointer, where there is one, follows them. The types are valueTypes',
// which must list exactly ValueSizes.
func TestValueLayout(t *testing.T) {
	if len(valueTypes) != len(ValueSizes) {
		t.Fatalf("ValueSizes %v, but %d value types", ValueSizes, len(valueTypes))
	}
	for _, size := range ValueSizes {
		vt, ok := valueTypes[size]
		if !ok {
			t.Fatalf("ValueSizes lists %d, which has no type", size)
		}
		typ := vt.typ
		if int(typ.Size()) != size {
			t.Errorf("%v is %d bytes", typ, typ.Size())
		}
		want := []struct {
			name string
			typ  reflect.Type
		}{{"ID", reflect.TypeFor[uint64]()}, {"SentNS", reflect.TypeFor[int64]()}}
		if size >= payloadValueBytes {
			want = append(want, struct {
				name string
				typ  reflect.Type
			}{"Payload", reflect.TypeFor[*byte]()})
		}
		for i, w := range want {
			f := typ.Field(i)
			if f.Name != w.name || f.Type != w.typ || f.Offset != uintptr(8*i) {
				t.Errorf("%v field %d: %s %v at %d, want %s %v at %d", typ, i, f.Name, f.Type, f.Offset, w.name, w.typ, 8*i)
			}
		}
	}
}

func TestValueAccess(t *testing.T) {
	var v Value64
	h := headOf(&v)
	h.ID = makeID(3, 12345)
	h.SentNS = 99
	b := new(byte)
	setPayload(&v, b)
	if p, seq := splitID(v.ID); p != 3 || seq != 12345 || v.SentNS != 99 || v.Payload != b {
		t.Errorf("wrote producer 3, seq 12345, stamp 99, payload %p; read %d, %d, %d, %p", b, p, seq, v.SentNS, v.Payload)
	}
	var small Value16
	setPayload(&small, b) // no room: must write nothing
	if small != (Value16{}) {
		t.Errorf("setPayload wrote into a Value16: %+v", small)
	}
	if unsafe.Sizeof(head{}) != 16 {
		t.Errorf("head is %d bytes", unsafe.Sizeof(head{}))
	}
	if p, seq := splitID(makeID(MaxProducers-1, seqMask)); p != MaxProducers-1 || seq != seqMask {
		t.Errorf("the largest ID splits into %d, %d", p, seq)
	}
}
