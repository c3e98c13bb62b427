/** Escapes text for HTML content and attribute values. */
export function esc(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** A table from a header row and body rows of already-escaped cell HTML. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  const head = header.every((h) => h === '') ? '' : `<thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`
  const body = `<tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody>`
  return `<table${className !== '' ? ` class="${className}"` : ''}>${head}${body}</table>`
}

/** The page's style: no script and no network needed to read it (the policy below forbids both). */
export const css = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px 32px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 36px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 16px; margin: 18px 0 6px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.verdict { display: inline-block; font-weight: 700; padding: 2px 12px; border-radius: 6px; color: white; letter-spacing: 0.04em; }
.verdict.passed { background: var(--pass); } .verdict.failed { background: var(--fail); } .verdict.invalid, .verdict.aborted { background: var(--warn); }
ul.reasons { margin: 8px 0; padding-left: 20px; } ul.reasons code { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 3px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
table.numbers td:not(:first-child) { text-align: right; }
.ok { color: var(--pass); font-weight: 700; } .bad { color: var(--fail); font-weight: 700; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; margin: 12px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.card .value { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; } .card .label { color: var(--muted); font-size: 13px; }
figure { margin: 12px 0 28px; } figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; max-width: 900px; }
.research dt { font-weight: 700; margin-top: 12px; } .research dd { margin: 4px 0 0 0; } .research .limits { color: var(--muted); }
.not-measured { color: var(--muted); font-style: italic; }
.machine-busy { border-left: 4px solid var(--fail); padding: 6px 10px; margin: 8px 0; }
pre { background: #f6f8fa; padding: 10px; overflow-x: auto; font-size: 12px; border-radius: 6px; }
nav.toc { font-size: 14px; } nav.toc a { margin-right: 12px; }
footer { margin-top: 48px; color: var(--muted); font-size: 13px; }
`.trim()

/** A complete self-contained page: inline CSS, inline SVG, no script, and a policy that forbids loading anything. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>
${css}
</style>
</head>
<body>
${body}
</body>
</html>
`
}
