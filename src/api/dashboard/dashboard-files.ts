import fs from 'node:fs';
import path from 'node:path';
import { chartLibraryPath } from '../../backtest/report-library';

/**
 * The dashboard: one page and its assets, served by the API server as they are (no bundler, no CDN). The
 * page's own files are plain browser files kept beside this module and read from here at runtime; the chart
 * library is lightweight-charts' standalone build from node_modules, the one report.html inlines. Nothing in
 * them is inline script or style, so the page runs under the server's CSP (script-src 'self', style-src 'self').
 */
export interface DashboardFile {
  /** The Content-Type to send. */
  type: string;
  body: string;
}

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** URL path -> the file beside this module that answers it. */
const OWN_FILES: ReadonlyArray<readonly [string, string, string]> = [
  ['/', 'index.html', HTML],
  ['/assets/dashboard.js', 'dashboard.js', JS],
  ['/assets/dashboard.css', 'dashboard.css', CSS],
];

let cached: ReadonlyMap<string, DashboardFile> | undefined;

/** Every file of the dashboard by URL path ('/' is the page). Read once per process. */
export function dashboardFiles(): ReadonlyMap<string, DashboardFile> {
  if (cached) return cached;
  const files = new Map<string, DashboardFile>();
  for (const [url, name, type] of OWN_FILES) files.set(url, { type, body: fs.readFileSync(path.join(__dirname, name), 'utf8') });
  files.set('/assets/lightweight-charts.js', { type: JS, body: fs.readFileSync(chartLibraryPath(), 'utf8') });
  cached = files;
  return cached;
}
