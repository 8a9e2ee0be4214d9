package plotkit

import (
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestCounterpart(t *testing.T) {
	for _, tc := range []struct {
		m, want Marker
	}{
		{Marker{Shape: Circle}, Marker{Shape: Circle, Hollow: true}},
		{Marker{Shape: Diamond, Hollow: true}, Marker{Shape: Diamond}},
		{Marker{Shape: Cross}, Marker{Shape: Plus}},
		{Marker{Shape: Plus}, Marker{Shape: Cross}},
	} {
		if got := tc.m.Counterpart(); got != tc.want {
			t.Errorf("%+v.Counterpart() = %+v, want %+v", tc.m, got, tc.want)
		}
		if back := tc.m.Counterpart().Counterpart(); back != tc.m {
			t.Errorf("%+v, paired twice, is %+v", tc.m, back)
		}
	}
}

func TestLighten(t *testing.T) {
	red := color.RGBA{0xc0, 0x10, 0x10, 0xff}
	for _, tc := range []struct {
		f    float64
		want color.RGBA
	}{
		{0, red},
		{1, color.RGBA{0xff, 0xff, 0xff, 0xff}},
		{0.5, color.RGBA{0xdf, 0x87, 0x87, 0xff}},
	} {
		if got := Lighten(red, tc.f); got != tc.want {
			t.Errorf("Lighten(%v, %g) = %v, want %v", red, tc.f, got, tc.want)
		}
	}
}

// near reports whether a and b differ by little in every channel, as an
// anti-aliased edge may.
func near(a, b color.RGBA) bool {
	d := func(x, y uint8) bool { return max(x, y)-min(x, y) <= 8 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// TestGlyphPixels draws each glyph alone and reads the pixel at its
// centre: a filled marker is its colour there, a hollow one white, and the
// halo glyphs their colour over their white halo.
func TestGlyphPixels(t *testing.T) {
	blue := color.RGBA{0x00, 0x72, 0xb2, 0xff}
	for _, tc := range []struct {
		name   string
		glyph  draw.GlyphDrawer
		centre color.RGBA
	}{
		{"filled circle", Marker{Shape: Circle}, blue},
		{"hollow circle", Marker{Shape: Circle, Hollow: true}, color.RGBA{0xff, 0xff, 0xff, 0xff}},
		{"filled square", Marker{Shape: Square}, blue},
		{"filled triangle", Marker{Shape: Triangle}, blue},
		{"hollow diamond", Marker{Shape: Diamond, Hollow: true}, color.RGBA{0xff, 0xff, 0xff, 0xff}},
		{"cross", Marker{Shape: Cross}, blue},
		{"plus", Marker{Shape: Plus}, blue},
		{"halo cross", HaloCross{}, blue},
		{"halo bar", HaloBar{}, blue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := vgimg.NewWith(vgimg.UseWH(40, 40), vgimg.UseDPI(72))
			c := draw.New(img)
			c.SetColor(color.RGBA{0x80, 0x80, 0x80, 0xff})
			c.Fill(c.Rectangle.Path())
			c.DrawGlyph(draw.GlyphStyle{Color: blue, Radius: vg.Points(8), Shape: tc.glyph}, c.Center())
			got := color.RGBAModel.Convert(img.Image().At(20, 20)).(color.RGBA)
			if !near(got, tc.centre) {
				t.Errorf("centre pixel %v, want %v", got, tc.centre)
			}
		})
	}
}
