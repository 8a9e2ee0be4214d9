package reports

import (
	"bytes"
	"html/template"
	"io"
	"regexp"

	"github.com/chanbench/chanbench/schema"
)

// WriteHTML writes the report of runs as one self-contained HTML page: the
// same content as WriteMarkdown, with the charts inlined as SVG, so that
// it opens in a browser with no network and no files beside it.
func WriteHTML(w io.Writer, charts []Chart, runs ...*schema.Results) error {
	d := newDocument(charts, runs)
	var b bytes.Buffer
	if err := htmlPage.Execute(&b, d); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// svgHead matches the XML prolog and comment before a rendered SVG's root
// element, and svgSize the root's fixed size in points.
var (
	svgHead = regexp.MustCompile(`(?s)\A.*?(<svg\b)`)
	svgSize = regexp.MustCompile(`\A<svg width="[^"]*" height="[^"]*"`)
)

// inlineSVG makes a rendered chart fit to be placed inside an HTML page:
// no XML prolog, and a width that follows the page's.
func inlineSVG(c Chart) template.HTML {
	s := svgHead.ReplaceAll(c.SVG, []byte("$1"))
	// The chart draws its title and caption; aria-label gives them to
	// readers who cannot see it.
	s = svgSize.ReplaceAll(s, []byte(`<svg width="100%" role="img" aria-label="`+template.HTMLEscapeString(c.Title+". "+c.Caption)+`"`))
	return template.HTML(s)
}

var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"svg":     inlineSVG,
	"heading": chartHeading,
	"align": func(t docTable, i int) string {
		if i < len(t.Right) && t.Right[i] {
			return "num"
		}
		return ""
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #1a1a1a; margin: 0; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 8px 0 12px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 24px 0 6px; }
p, li { line-height: 1.45; }
.desc { font-size: 16px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 12px 0; }
dt { font-weight: bold; }
dd { margin: 0; }
code { font-family: "Liberation Mono", Menlo, Consolas, monospace; font-size: 13px; background: #f2f2f2; padding: 1px 4px; border-radius: 3px; }
.findings li { margin: 4px 0; }
.warn { background: #fdecea; border-left: 4px solid #c01010; padding: 8px 12px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
th { background: #f4f4f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: 13px; }
figure { margin: 12px 0 28px; }
figure svg { display: block; height: auto; max-width: 100%; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{- range .Runs}}
{{- if .Label}}
<h2>{{.Label}}</h2>
{{- end}}
{{- if .Description}}
<p class="desc">{{.Description}}</p>
{{- end}}
<dl>
<dt>Workload</dt><dd>{{.Workload}}</dd>
<dt>Machine</dt><dd>{{.Machine}}</dd>
{{- if or .Run .Command}}
<dt>Run</dt><dd>{{.Run}}{{if .Command}}: <code>{{.Command}}</code>{{end}}</dd>
{{- end}}
</dl>
{{- if .Interrupted}}
<p class="warn"><strong>The run was interrupted:</strong> only the trials that finished are reported.</p>
{{- end}}
{{- if .Findings}}
<h3>Findings</h3>
{{- if .SweepNote}}
<p>{{.SweepNote}}</p>
{{- end}}
<ul class="findings">
{{- range .Findings}}
<li>{{if .Queue}}<strong>{{.Queue}}</strong> {{end}}{{.Text}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Scaling}}
<h3>Scaling</h3>
<ul class="findings">
{{- range .Scaling}}
<li>{{if .Queue}}<strong>{{.Queue}}</strong> {{end}}{{.Text}}</li>
{{- end}}
</ul>
{{- end}}
<h3>Results</h3>
{{- $t := .Table}}
<table>
<thead><tr>{{range $i, $h := $t.Head}}<th class="{{align $t $i}}">{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range $t.Rows}}
<tr>{{range $i, $c := .}}<td class="{{align $t $i}}">{{$c}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<p class="note">{{.TableNote}}</p>
{{- end}}
{{- if .Charts}}
<h2>Charts</h2>
{{- range .Charts}}
<figure id="{{.Name}}">
<h3>{{heading .}}</h3>
{{svg .}}
</figure>
{{- end}}
{{- end}}
</main>
</body>
</html>
`))
