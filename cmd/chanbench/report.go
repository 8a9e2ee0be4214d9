package main

import (
	"errors"
	"io"
)

func reportCmd(stdout, stderr io.Writer, args []string) error {
	return badInput(errors.New("report: not built yet"))
}
