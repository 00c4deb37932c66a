import type { AgentStatus } from '../core/agent-status';

const HEADERS = ['agent', 'state', 'for', 'in', 'out', 'last error'] as const;

/** A plain-text table of agent statuses, one row per agent, for the log at start-up and shutdown. */
export function formatStatusTable(statuses: readonly AgentStatus[], now: number): string {
  const rows = statuses.map((s) => [
    s.name,
    s.state,
    formatDuration(now - s.since),
    String(s.messagesIn),
    String(s.messagesOut),
    s.lastError ?? '-',
  ]);
  const widths = HEADERS.map((header, col) => Math.max(header.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), ...rows.map(line)].join('\n');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${Math.floor((ms % 60_000) / 1000)}s`;
  return `${Math.floor(ms / 3_600_000)}h${Math.floor((ms % 3_600_000) / 60_000)}m`;
}
