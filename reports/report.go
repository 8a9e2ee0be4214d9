package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/chanbench/chanbench/schema"
)

// WriteAll draws every chart of runs and writes them into dir as NAME.png
// and NAME.svg, with report.md and index.html beside them. Several runs
// are drawn together and reported one after the other. Charts an earlier
// call wrote that these runs have no data for are removed, so the
// directory never mixes two runs' pictures.
func WriteAll(dir string, runs ...*schema.Results) error {
	charts, err := Charts(runs...)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	var drawn []string
	for _, c := range charts {
		drawn = append(drawn, c.Name)
		if err := schema.WriteFileAtomic(filepath.Join(dir, c.Name+".png"), c.PNG); err != nil {
			return err
		}
		if err := schema.WriteFileAtomic(filepath.Join(dir, c.Name+".svg"), c.SVG); err != nil {
			return err
		}
	}
	for _, name := range ChartNames {
		if slices.Contains(drawn, name) {
			continue
		}
		for _, ext := range []string{".png", ".svg"} {
			if err := os.Remove(filepath.Join(dir, name+ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove a stale chart: %w", err)
			}
		}
	}
	var md, html bytes.Buffer
	if err := WriteMarkdown(&md, charts, runs...); err != nil {
		return fmt.Errorf("write %s: %w", ReportFileName, err)
	}
	if err := schema.WriteFileAtomic(filepath.Join(dir, ReportFileName), md.Bytes()); err != nil {
		return err
	}
	if err := WriteHTML(&html, charts, runs...); err != nil {
		return fmt.Errorf("write %s: %w", HTMLFileName, err)
	}
	return schema.WriteFileAtomic(filepath.Join(dir, HTMLFileName), html.Bytes())
}
