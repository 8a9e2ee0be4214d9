// Package textio holds what chanbench's text writers share: a writer that
// keeps the first error, so that a renderer writing many lines checks once
// at the end. It formats nothing.
package textio

import "io"

// An ErrWriter writes to W until a write fails; it then remembers that
// error in Err and drops everything written after it.
type ErrWriter struct {
	W   io.Writer
	Err error
}

// Write writes p to W unless an earlier write failed. It always reports
// success, so that fmt.Fprintf callers need not check; read Err at the end.
func (e *ErrWriter) Write(p []byte) (int, error) {
	if e.Err != nil {
		return len(p), nil
	}
	_, e.Err = e.W.Write(p)
	return len(p), nil
}
