package textio

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// failAfter accepts n writes, then fails every one.
type failAfter struct {
	n   int
	got strings.Builder
}

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errFull
	}
	f.n--
	return f.got.Write(p)
}

func TestErrWriterKeepsTheFirstError(t *testing.T) {
	dst := &failAfter{n: 1}
	ew := &ErrWriter{W: dst}
	fmt.Fprint(ew, "one ")
	fmt.Fprint(ew, "two ")
	fmt.Fprint(ew, "three")
	if !errors.Is(ew.Err, errFull) || dst.got.String() != "one " {
		t.Errorf("Err %v, wrote %q; want %v after %q", ew.Err, dst.got.String(), errFull, "one ")
	}
}
