package main

import (
	"errors"
	"io"
)

func exportCmd(stdout, stderr io.Writer, args []string) error {
	return badInput(errors.New("export: not built yet"))
}
