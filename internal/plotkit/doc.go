// Package plotkit draws what gonum/plot lacks for figures meant to be read
// at a glance:
//
//   - Figure: a page with a title, a wrapped caption, panels side by side,
//     a legend beside the data, where it never hides a line, and a footer;
//     rendered as PNG or SVG.
//   - Panel: a plot in the house style that keeps what was added to it
//     readable, so that a figure can be checked without drawing it.
//   - Series: a line with markers at a few of its points, staggered
//     between lines, and its legend picture.
//   - HumanTicks, LogTicks, PercentileTicks: tick marks for people.
//   - Marker, HaloCross, HaloBar: markers that read in greyscale and on
//     top of any line.
//   - Rule, Spans, Notes: a line across the data, bands along the X axis
//     and labelled points, their labels kept clear of each other.
//
// It knows nothing of what it draws: it chooses no colour for a series,
// spells no number (callers hand the ticks a formatter), computes no
// statistic and decides no axis range. The house style — a sans-serif
// font, a light grid, grey notes — is the only opinion it holds.
package plotkit
