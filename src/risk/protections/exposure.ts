import type { DenialCode } from '../../execution/types';
import type { PortfolioSnapshot } from '../../portfolio/types';
import { money, percent } from '../format-figures';

export interface ExposureLimits {
  /** Positions plus pending buys, in percent of equity; 0: no limit. */
  totalPct: number;
  /** One base asset's positions, in percent of equity; 0: no limit. */
  assetPct: number;
  minNotional: number;
}

export type ExposureVerdict = { ok: true; quoteAmount: number } | { ok: false; code: DenialCode; message: string };

/**
 * `risk.maxExposurePct` and `risk.maxAssetExposurePct`: an entry is cut to the room left under each limit,
 * and refused when that room is below the minimum order. Exposure is what positions are worth at the latest
 * prices, plus (in total) what pending buys have reserved.
 */
export function checkExposure(symbol: string, quoteAmount: number, snapshot: PortfolioSnapshot, reservedQuote: number, limits: ExposureLimits): ExposureVerdict {
  let amount = quoteAmount;
  const quote = snapshot.quoteCurrency;
  if (limits.totalPct > 0) {
    const held = snapshot.positionsValue + reservedQuote;
    const verdict = fit(amount, held, limits.totalPct, snapshot.equity, limits.minNotional);
    if (verdict !== undefined && verdict < 0) {
      return refuse('max-exposure', symbol, amount, quote, `positions and pending buys are ${money(held)} ${quote}`, held, limits.totalPct, snapshot.equity);
    }
    if (verdict !== undefined) amount = verdict;
  }
  if (limits.assetPct > 0) {
    const asset = baseAsset(symbol);
    let held = 0;
    for (const p of snapshot.positions) if (baseAsset(p.symbol) === asset) held += p.qty * p.lastPrice;
    const verdict = fit(amount, held, limits.assetPct, snapshot.equity, limits.minNotional);
    if (verdict !== undefined && verdict < 0) {
      return refuse('max-asset-exposure', symbol, amount, quote, `positions in ${asset} are ${money(held)} ${quote}`, held, limits.assetPct, snapshot.equity);
    }
    if (verdict !== undefined) amount = verdict;
  }
  return { ok: true, quoteAmount: amount };
}

/** undefined: it fits; a number >= 0: the amount cut to the room; -1: the room is below the minimum order. */
function fit(amount: number, held: number, limitPct: number, equity: number, minNotional: number): number | undefined {
  const room = (equity * limitPct) / 100 - held;
  if (amount <= room) return undefined;
  return room >= minNotional && room > 0 ? room : -1;
}

function refuse(code: DenialCode, symbol: string, amount: number, quote: string, held: string, heldValue: number, limitPct: number, equity: number): ExposureVerdict {
  const share = equity > 0 ? (heldValue / equity) * 100 : 0;
  const room = Math.max(0, (equity * limitPct) / 100 - heldValue);
  return {
    ok: false,
    code,
    message:
      `entry of ${money(amount)} ${quote} in ${symbol} refused: ${held}, ${percent(share)} of equity ${money(equity)}, ` +
      `leaving ${money(room)} ${quote} under the limit of ${limitPct} %, below the minimum order`,
  };
}

function baseAsset(symbol: string): string {
  const slash = symbol.indexOf('/');
  return slash < 0 ? symbol : symbol.slice(0, slash);
}
