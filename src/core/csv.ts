/** A CSV table (RFC 4180 quoting, '\n' line ends): the header row, then one row per entry. */
export function csvTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map(csvLine).join('');
}

/** One row of a CSV table, line end included: what csvTable writes for it. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// toISOString formats the time it is given; it does not read the clock.
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
