package reports

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var chartsOut = flag.String("charts", "", "also write the rendered charts into this `directory`, to look at them")

func TestCharts(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs []string
		want []string
	}{
		{"slow-consumer", []string{"slow-consumer"}, []string{"memory", "depth", "latency", "throughput"}},
		{"burst", []string{"burst"}, []string{"memory", "depth", "latency", "throughput", "retained"}},
		{"sweep", []string{"sweep"}, []string{"memory", "depth", "latency", "throughput", "scaling"}},
		{"merged", []string{"slow-consumer", "slow-consumer"}, []string{"memory", "depth", "latency", "throughput"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs := loadRuns(t, tc.runs)
			charts, err := Charts(runs...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range charts {
				got = append(got, c.Name)
				checkPNG(t, c.Name, c.PNG)
				checkSVG(t, c.Name, c.SVG)
				if c.Title == "" || c.Caption == "" {
					t.Errorf("%s: title %q, caption %q; want both", c.Name, c.Title, c.Caption)
				}
				if *chartsOut != "" {
					dir := filepath.Join(*chartsOut, tc.name)
					os.MkdirAll(dir, 0o755)
					os.WriteFile(filepath.Join(dir, c.Name+".png"), c.PNG, 0o644)
					os.WriteFile(filepath.Join(dir, c.Name+".svg"), c.SVG, 0o644)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("charts %v, want %v", got, tc.want)
			}
		})
	}
}

// checkPNG checks data decodes as a PNG of the figure's size.
func checkPNG(t *testing.T, name string, data []byte) {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s.png: %v", name, err)
		return
	}
	b := img.Bounds()
	if format != "png" || b.Dx() < 1000 || b.Dy() < 600 || b.Dx() > 2000 {
		t.Errorf("%s.png: %s %dx%d, want a PNG about 1152x691", name, format, b.Dx(), b.Dy())
	}
	if len(data) < 20<<10 {
		t.Errorf("%s.png: %d bytes; too small to hold a chart", name, len(data))
	}
}

// checkSVG checks data parses as XML with an svg root and holds text and
// paths.
func checkSVG(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root string
	counts := map[string]int{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s.svg: %v", name, err)
			return
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			counts[se.Name.Local]++
		}
	}
	if root != "svg" || counts["text"] < 10 || counts["path"] < 10 {
		t.Errorf("%s.svg: root <%s>, %d texts, %d paths; want an <svg> chart", name, root, counts["text"], counts["path"])
	}
}

var _ = png.Decode // register the PNG decoder for image.Decode
