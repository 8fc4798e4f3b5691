/**
 * The report's style sheet, inline (allowed by its hash). System fonts only: nothing is fetched.
 * Status colours are the Markdown's: red for regressions, green for improvements.
 */
export const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0;
  --head: #f6f8fa; --bad: #cf222e; --good: #1a7f37; --warn: #9a6700; --base: #8c959f; --new: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --head: #151b23;
    --bad: #ff7b72; --good: #3fb950; --warn: #d29922; --base: #9198a1; --new: #4493f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 8px; }
/* Text from a profile or a rules file (a name, a GPU, a reason) can be one long word: it wraps
   rather than widening the page. */
.tool, #reasons li, .context, #notes li, td.status { overflow-wrap: anywhere; }
.tool { margin: 0; color: var(--muted); font-weight: 600; }
h1 { margin: 4px 0 8px; font-size: 26px; }
h1::before { display: inline-block; width: 0.8em; margin-right: 8px; }
.verdict-pass h1::before { content: "✓"; color: var(--good); }
.verdict-regression h1::before { content: "✗"; color: var(--bad); }
.verdict-inconclusive h1::before { content: "!"; color: var(--warn); }
.verdict-accepted h1::before { content: "✓"; color: var(--warn); }
.verdict-regression h1 { color: var(--bad); }
.verdict-inconclusive h1 { color: var(--warn); }
h2 { font-size: 18px; margin: 24px 0 8px; }
.headline { font-size: 15px; margin: 6px 0; }
.context { margin: 2px 0; color: var(--muted); }
code, .name { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right;
  vertical-align: middle; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--head); }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--new); }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
/* Names keep their spaces (\`a  b\` is not \`a b\`): pre-wrap shows every one and still wraps. */
td.name { white-space: pre-wrap; overflow-wrap: anywhere; text-align: left; min-width: 14em; }
td.chart-cell { width: 196px; min-width: 196px; padding-right: 0; }
.scroll { overflow-x: auto; }
td.status { text-align: left; white-space: normal; color: var(--muted); }
tr.status-regressed td.status, tr.status-regressed td.delta { color: var(--bad); }
tr.status-improved td.status, tr.status-improved td.delta { color: var(--good); }
tr.status-new td.status { color: var(--new); }
/* A per-occurrence table's label is long ("…, per occurrence (sum over items)"): it wraps. */
#breakdown th[scope="row"] { white-space: normal; min-width: 12em; }
#breakdown tr.status-regressed td:nth-child(5) { color: var(--bad); }
#breakdown tr.status-improved td:nth-child(5) { color: var(--good); }
.controls { display: flex; gap: 12px; align-items: center; margin: 6px 0; }
.controls input { font: inherit; padding: 4px 8px; min-width: 22em; border: 1px solid var(--line);
  border-radius: 6px; background: var(--bg); color: var(--fg); }
.count { color: var(--muted); }
.more { margin: 8px 0; font: inherit; padding: 4px 10px; border: 1px solid var(--line);
  border-radius: 6px; background: var(--head); color: var(--fg); cursor: pointer; }
details.view { margin: 8px 0; }
details.view > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
svg.chart { display: block; overflow: visible; }
svg.chart .base { fill: var(--base); }
svg.chart .head { fill: var(--bad); }
tr.status-improved svg.chart .head { fill: var(--good); }
svg.chart .median { stroke: var(--fg); stroke-width: 1.5; }
svg.chart .axis { stroke: var(--line); }
svg.chart text { fill: var(--muted); font-size: 9px; }
svg.dist .base, svg.chart.phase .base { fill: var(--base); }
svg.timeline .gap { fill: var(--warn); }
svg.timeline .gap.base { fill-opacity: 0.6; }
svg.dist .base { fill-opacity: 0.75; }
svg.dist .head, svg.chart.phase .head { fill: var(--new); }
svg.dist .head { fill-opacity: 0.55; }
tr.status-regressed svg.dist .head, tr.status-regressed svg.chart.phase .head { fill: var(--bad); }
tr.status-improved svg.dist .head, tr.status-improved svg.chart.phase .head { fill: var(--good); }
svg.dist .p50 { stroke-width: 1.5; stroke-dasharray: 3 2; }
svg.dist .p50.base { stroke: var(--fg); }
svg.dist .p50.head { stroke: var(--new); }
tr.status-regressed svg.dist .p50.head { stroke: var(--bad); }
tr.status-improved svg.dist .p50.head { stroke: var(--good); }
svg.dist .axis, svg.timeline .axis { stroke: var(--line); }
svg.trend .band { fill: var(--base); fill-opacity: 0.2; }
svg.trend .axis { stroke: var(--line); }
svg.trend .history, svg.trend .to-head { fill: none; stroke: var(--base); stroke-width: 1.5; }
svg.trend .to-head { stroke-dasharray: 3 2; }
svg.trend .run { fill: var(--base); }
svg.trend .head { fill: var(--new); }
tr.status-regressed svg.trend .head { fill: var(--bad); }
tr.status-improved svg.trend .head { fill: var(--good); }
svg.trend text { fill: var(--muted); font-size: 10px; }
svg.dist text, svg.timeline text { fill: var(--muted); font-size: 10px; }
svg.timeline { display: block; width: 100%; height: auto; max-width: 900px; }
svg.timeline .window { fill: var(--head); stroke: var(--line); }
button.toggle { all: unset; cursor: pointer; display: inline-block; width: 1.2em; color: var(--muted); }
button.toggle:focus-visible { outline: 2px solid var(--new); }
button.toggle::before { content: "▸"; }
button.toggle[aria-expanded="true"]::before { content: "▾"; }
.toggle-space { display: inline-block; width: 1.2em; }
tr.detail > td { background: var(--head); padding: 8px 12px 12px; text-align: left; white-space: normal; }
.detail-panel { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
.detail-panel .part { min-width: 0; }
.detail-panel h4, .device h3 { margin: 4px 0; font-size: 14px; }
.detail-panel table, .device table, .phase-kernels { width: auto; }
.detail-panel .launch-test { flex-basis: 100%; margin: 0; }
.legend { margin: 2px 0 6px; color: var(--muted); font-size: 12px; }
.key::before { content: ""; display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 8px;
  vertical-align: -1px; }
.key.base::before { background: var(--base); }
.key.head::before { background: var(--new); }
tr.status-regressed .key.head::before { background: var(--bad); }
tr.status-improved .key.head::before { background: var(--good); }
.device { margin: 8px 0 20px; }
.device table.gaps th:nth-child(n+5) { text-align: left; }
.device table.gaps td:nth-child(5), .device table.gaps td:nth-child(6) { text-align: left;
  white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.phase-kernels th[scope="row"] { white-space: pre-wrap; overflow-wrap: anywhere;
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; font-weight: normal; }
#notes li { margin: 4px 0; }
.severity { display: inline-block; min-width: 4.5em; font-weight: 600; color: var(--muted); }
.note-error .severity { color: var(--bad); }
.note-warning .severity { color: var(--warn); }
.warning, #report-error { color: var(--bad); font-weight: 600; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`
