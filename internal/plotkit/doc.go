// Package plotkit draws what gonum/plot lacks for figures meant to be read
// at a glance: a page with a title, a caption, panels side by side, a
// legend beside the data and a footer (Figure); tick marks for people
// (HumanTicks, LogTicks, PercentileTicks); markers that read in greyscale
// (Marker) and on top of any line (HaloCross, HaloBar); rules, bands and
// labelled notes that stay clear of each other (Rule, Spans, Notes); and a
// plot that keeps what was added to it readable (Panel).
//
// It knows nothing of what it draws: it chooses no colour for a series,
// spells no number (callers hand the ticks a formatter), computes no
// statistic and decides no axis range. The house style it draws in — a
// sans-serif font, a light grid, grey notes — is the only opinion it holds.
package plotkit
