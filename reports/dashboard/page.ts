/**
 * The live dashboard's page: plain HTML, CSS and a small script. Charts are drawn in the browser with vega and
 * vega-lite served by the dashboard itself (no CDN); every other figure is text set from the snapshot. Each
 * number carries `data-field` (its path in the snapshot) and `data-value` (the raw number), so a test can check
 * the page against what the harness published; `body[data-seq]` names the snapshot shown, `data-updates` counts the
 * snapshots shown and `data-chart-updates` the times the charts were drawn.
 */
export function dashboardPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  body { font: 14px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 16px 24px; color: #222; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  h2 { font-size: 15px; margin: 18px 0 6px; }
  .meta { color: #555; margin-bottom: 12px; }
  .tiles { display: flex; flex-wrap: wrap; gap: 10px; }
  .tile { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
  .tile .label { color: #666; font-size: 12px; }
  .tile .value { font-size: 22px; font-variant-numeric: tabular-nums; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(600px, 1fr)); gap: 8px 24px; }
  table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 2px 10px 2px 0; border-bottom: 1px solid #eee; }
  td.num, th.num { text-align: right; }
  .phase { font-weight: bold; }
  .empty { color: #888; }
  .network { color: #4e79a7; } .fraud { color: #e15759; }
</style>
</head>
<body data-updates="0" data-chart-updates="0" data-seq="-1">
<h1>telcobench live · <span id="run">waiting for the run</span></h1>
<div class="meta"><span class="phase" id="phase">starting</span> · <span id="clock" data-field="t_s"></span> · updated every second</div>
<div class="tiles">
  <div class="tile"><div class="label">offered (last second)</div><div class="value" id="offered" data-field="last.offered"></div></div>
  <div class="tile"><div class="label">processed (last second)</div><div class="value" id="processed" data-field="last.accounted"></div></div>
  <div class="tile"><div class="label">sent</div><div class="value" data-field="totals.sent"></div></div>
  <div class="tile"><div class="label">rated (distinct)</div><div class="value" data-field="totals.rated"></div></div>
  <div class="tile"><div class="label">rejected (dlq)</div><div class="value" data-field="totals.dlq"></div></div>
  <div class="tile"><div class="label">lag (backlog)</div><div class="value" data-field="totals.backlog"></div></div>
  <div class="tile"><div class="label">alerts</div><div class="value" data-field="totals.alerts"></div></div>
</div>
<div class="grid">
  <div id="chart-throughput"></div>
  <div id="chart-latency"></div>
  <div id="chart-backlog"></div>
  <div>
    <h2>Latency per stream (ms, from intended send time)</h2>
    <table><thead><tr><th>stream</th><th class="num">p50 last s</th><th class="num">p99 last s</th><th class="num">p50 run</th><th class="num">p99 run</th><th class="num">values</th></tr></thead><tbody id="latency"></tbody></table>
    <h2>Faults</h2>
    <table><thead><tr><th>fault</th><th>kind</th><th class="num">planned s</th><th class="num">injected s</th><th class="num">lifted s</th></tr></thead><tbody id="faults"></tbody></table>
  </div>
  <div>
    <h2>Network view: cells with alerts</h2>
    <table><thead><tr><th>cell (ECGI)</th><th>alert kinds</th></tr></thead><tbody id="cells"></tbody></table>
    <h2>Alerts by kind</h2>
    <table><thead><tr><th>kind</th><th>family</th><th class="num">count</th></tr></thead><tbody id="kinds"></tbody></table>
  </div>
  <div>
    <h2>Fraud view: latest alerts</h2>
    <table><thead><tr><th class="num">seen s</th><th>kind</th><th>entity</th></tr></thead><tbody id="recent"></tbody></table>
    <h2>Running bills of the top subscribers (read from the serving store)</h2>
    <table><thead><tr><th>subscriber</th><th class="num">records</th><th class="num">bill</th></tr></thead><tbody id="bills"></tbody></table>
  </div>
</div>
<script src="/assets/vega.min.js"></script>
<script src="/assets/vega-lite.min.js"></script>
<script>
'use strict'
const views = {}
const text = (v) => (v === null || v === undefined ? '–' : String(v))
const fixed = (v, d) => (v === null || v === undefined ? '–' : Number(v).toFixed(d))
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
function cell(v, cls, field) {
  const attrs = field === undefined ? '' : ' data-field="' + esc(field) + '" data-value="' + esc(v === null ? '' : v) + '"'
  return '<td' + (cls ? ' class="' + cls + '"' : '') + attrs + '>' + esc(text(v)) + '</td>'
}
function rows(id, list, render, empty) {
  document.getElementById(id).innerHTML = list.length === 0 ? '<tr><td class="empty" colspan="6">' + esc(empty) + '</td></tr>' : list.map(render).join('')
}
function setField(snapshot, el) {
  const path = el.dataset.field
  let value
  if (path === 't_s') value = Math.max(0, Math.floor(snapshot.t_s))
  else if (path.startsWith('last.')) value = snapshot.last === null ? null : snapshot.last[path.slice(5)]
  else value = path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), snapshot)
  el.dataset.value = value === null || value === undefined ? '' : String(value)
  el.textContent = path === 't_s' ? value + ' s of ' + Math.round(snapshot.load_s) + ' s of load' : text(value)
}
async function draw(name, spec) {
  const compiled = vegaLite.compile(spec).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: '#chart-' + name, hover: false })
  await view.runAsync()
  if (views[name] !== undefined) views[name].finalize()
  views[name] = view
}
let drawing = false
async function show(message) {
  const s = message.snapshot
  s.last = s.points.length >= 2 ? s.points[s.points.length - 2] : null
  document.getElementById('run').textContent = s.run_id
  document.getElementById('phase').textContent = s.phase
  for (const el of document.querySelectorAll('.tiles [data-field], #clock')) setField(s, el)
  rows('latency', Object.keys(s.latency_run), (name) => {
    const last = s.latency_last_s[name]
    const run = s.latency_run[name]
    return '<tr><td>' + esc(name) + '</td>' + cell(last === null ? null : last.p50_ms, 'num', 'latency_last_s.' + name + '.p50_ms') + cell(last === null ? null : last.p99_ms, 'num', 'latency_last_s.' + name + '.p99_ms') +
      cell(run === null ? null : run.p50_ms, 'num', 'latency_run.' + name + '.p50_ms') + cell(run === null ? null : run.p99_ms, 'num', 'latency_run.' + name + '.p99_ms') + cell(run === null ? null : run.count, 'num', 'latency_run.' + name + '.count') + '</tr>'
  }, 'no latency values yet')
  rows('faults', s.faults, (f) => '<tr><td>' + esc(f.name) + '</td><td>' + esc(f.kind) + '</td>' + cell(fixed(f.at_s, 1), 'num') + cell(f.injected_at_s === null ? null : fixed(f.injected_at_s, 1), 'num') + cell(f.lifted_at_s === null ? null : fixed(f.lifted_at_s, 1), 'num') + '</tr>', 'no faults in this scenario')
  rows('cells', s.alerts.cells, (c) => '<tr><td>' + esc(c.cell) + '</td><td class="network">' + esc(c.kinds.join(', ')) + '</td></tr>', 'no cell has raised an alert')
  rows('kinds', s.alerts.by_kind, (k) => '<tr><td class="' + k.family + '">' + esc(k.kind) + '</td><td>' + k.family + '</td>' + cell(k.count, 'num', 'alerts.by_kind.' + k.kind) + '</tr>', 'no alerts yet')
  rows('recent', s.alerts.recent.filter((a) => a.family === 'fraud'), (a) => '<tr>' + cell(fixed(a.seen_s, 1), 'num') + '<td class="fraud">' + esc(a.kind) + '</td><td>' + esc(a.entity) + '</td></tr>', 'no fraud alerts yet')
  rows('bills', s.bills === null ? [] : s.bills, (b) => '<tr><td>' + esc(b.subscriber) + '</td>' + cell(b.records, 'num', 'bills.' + b.subscriber + '.records') + '<td class="num" data-field="bills.' + esc(b.subscriber) + '.charge_subunits" data-value="' + b.charge_subunits + '">' + esc((b.charge_subunits / 10000).toFixed(2) + ' ' + s.currency) + '</td></tr>', s.bills === null ? 'no serving store in this run' : 'no bills in the store yet')
  document.body.dataset.seq = String(message.seq)
  document.body.dataset.updates = String(Number(document.body.dataset.updates) + 1)
  // A snapshot that arrives while the charts are still drawing updates the figures only; the next one draws.
  if (drawing) return
  drawing = true
  try {
    for (const [name, spec] of Object.entries(message.charts)) await draw(name, spec)
    document.body.dataset.chartUpdates = String(Number(document.body.dataset.chartUpdates) + 1)
  } finally {
    drawing = false
  }
}
const source = new EventSource('/events')
source.onmessage = (event) => { void show(JSON.parse(event.data)) }
source.addEventListener('end', () => { source.close() })
</script>
</body>
</html>
`
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)
}
