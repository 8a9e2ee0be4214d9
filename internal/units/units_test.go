package units

import "testing"

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(float64) string
		in   float64
		want string
	}{
		{"Number", Number, 123.4, "123"},
		{"Number", Number, 12.34, "12.3"},
		{"Number", Number, 1.5, "1.5"},
		{"Number", Number, 2, "2"},
		{"Number", Number, -0.001, "0"},
		{"Count", Count, 950, "950"},
		{"Count", Count, 9999, "9999"},
		{"Count", Count, 12345, "12.3k"},
		{"Count", Count, 1.5e6, "1.5M"},
		{"Count", Count, 4.567e6, "4.57M"},
		{"Count", Count, 2e9, "2G"},
		{"Rate", Rate, 1.5e6, "1.5M"},
		{"NS", NS, 850, "850ns"},
		{"NS", NS, 12400, "12.4µs"},
		{"NS", NS, 3.1e6, "3.1ms"},
		{"NS", NS, 1.25e9, "1.25s"},
		{"Bytes", Bytes, 512, "512 B"},
		{"Bytes", Bytes, 3.5 * 1024, "3.5 KiB"},
		{"Bytes", Bytes, 310 << 20, "310 MiB"},
		{"Bytes", Bytes, 1.2 * (1 << 30), "1.2 GiB"},
		{"Percent", Percent, 0, "0%"},
		{"Percent", Percent, 0.0004, "<0.1%"},
		{"Percent", Percent, 0.042, "4.2%"},
		{"Percent", Percent, 0.914, "91%"},
		{"SignedPercent", SignedPercent, 0.095, "+9.5%"},
		{"SignedPercent", SignedPercent, -0.14, "−14%"},
		{"SignedPercent", SignedPercent, 0, "0%"},
		{"SignedPercent", SignedPercent, 1, "2×"},
		{"SignedPercent", SignedPercent, 13.3, "14.3×"},
		{"Seconds", Seconds, 0.6, "0.6s"},
		{"Seconds", Seconds, 51, "51s"},
		{"Seconds", Seconds, 252, "4.2 min"},
		{"Seconds", Seconds, 3.1 * 3600, "3.1 h"},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%s(%v) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// Spans side by side share the unit of the shortest.
func TestSecondsIn(t *testing.T) {
	f := SecondsIn(113, 121, 0)
	if a, b := f(113), f(121); a != "113s" || b != "121s" {
		t.Errorf("SecondsIn(113, 121) spells %q and %q, want 113s and 121s", a, b)
	}
	if got := SecondsIn()(252); got != "4.2 min" {
		t.Errorf("SecondsIn() = %q, want Seconds' 4.2 min", got)
	}
}
