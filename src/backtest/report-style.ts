/** The report's stylesheet: system fonts only, since the file must look right offline. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --win: #08795f; --loss: #c6283a; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif; }
header { padding: 14px 24px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0; font-size: 20px; }
h2 { margin: 0 0 8px; font-size: 15px; }
header p { margin: 4px 0 0; color: var(--muted); }
main { padding: 16px 24px 32px; display: grid; gap: 16px; max-width: 1600px; margin: 0 auto; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; min-width: 0; }
.top { display: grid; grid-template-columns: minmax(240px, 340px) 1fr; gap: 16px; }
@media (max-width: 900px) { .top { grid-template-columns: 1fr; } }
.chart { position: relative; width: 100%; }
.chart.equity { height: 360px; }
.chart.price { height: 480px; }
.bar { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.bar select { font: inherit; padding: 2px 6px; }
.legend { color: var(--muted); font-size: 12px; margin-left: auto; }
.legend .entry { color: #2962ff; }
.legend .exit { color: var(--loss); }
.empty { color: var(--muted); font-style: italic; }
.note { margin: 6px 0 0; color: var(--muted); font-size: 12px; }
.error { margin: 12px 24px 0; padding: 8px 12px; background: #ffebe9; border: 1px solid #ff8182; border-radius: 6px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 8px; text-align: left; white-space: nowrap; }
table.metrics { width: 100%; }
table.metrics th { font-weight: normal; color: var(--muted); }
table.metrics td { text-align: right; font-weight: 600; }
table.metrics tr + tr > * { border-top: 1px solid var(--bg); }
.scroll { max-height: 560px; overflow: auto; }
table.trades { width: 100%; font-size: 13px; }
table.trades thead th { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); }
table.trades :is(th, td):nth-child(n+5):nth-child(-n+10) { text-align: right; }
table.trades tbody tr { cursor: pointer; }
table.trades tbody tr:nth-child(even) { background: #fafbfc; }
table.trades tbody tr:hover { background: #eef4ff; }
td.win { color: var(--win); }
td.loss { color: var(--loss); }
`;
