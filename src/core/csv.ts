/** A CSV table (RFC 4180 quoting, '\n' line ends): the header row, then one row per entry. */
export function csvTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((fields) => `${fields.map(csvField).join(',')}\n`).join('');
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// toISOString formats the time it is given; it does not read the clock.
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
