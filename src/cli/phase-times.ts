/** Where the command's time went, so a slow backtest says which part was slow; `candles` counts every symbol's. */
export function phaseTimes(candles: number, ms: { loadMs: number; runMs: number; outputMs: number }): string {
  const seconds = (value: number): string => `${(value / 1000).toFixed(2)} s`;
  const rate = ms.runMs > 0 ? `, ${Math.round((candles * 1000) / ms.runMs).toLocaleString('en-US')} candles/s` : '';
  return `took: loading ${seconds(ms.loadMs)}, playing ${seconds(ms.runMs)}${rate}, outputs ${seconds(ms.outputMs)}`;
}
