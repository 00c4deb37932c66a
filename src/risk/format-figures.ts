/** Figures as the risk messages quote them: built only on a state change or a refusal, never per candle. */
export function money(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function percent(value: number): string {
  return `${value.toFixed(1)} %`;
}

/** A market time in UTC, to the minute. */
export function utcMinute(time: number): string {
  return `${new Date(time).toISOString().slice(0, 16)}Z`;
}
