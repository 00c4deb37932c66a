import type { PriceEvent } from './price-event';

/** Stop-loss and take-profit the fill model watches for one open long position. */
export interface Protection {
  /** Base quantity to sell when either triggers. */
  qty: number;
  stopLoss?: number;
  takeProfit?: number;
}

export interface ProtectiveTrigger {
  reason: 'stop-loss' | 'take-profit';
  price: number;
}

/**
 * Which protective exit an event triggers, and at what price. A gap through the level (the event opens
 * beyond it) fills at the open, the price the market actually offered; a level reached inside the event
 * fills at the level. On a tick both cases mean the tick price. When one candle reaches both levels the
 * order of the moves inside it is unknown, so the stop-loss is taken: the conservative guess.
 */
export function protectiveExitTrigger(protection: Protection, event: PriceEvent): ProtectiveTrigger | undefined {
  const { stopLoss, takeProfit } = protection;
  if (stopLoss !== undefined && event.low <= stopLoss) {
    return { reason: 'stop-loss', price: event.open <= stopLoss ? event.open : stopLoss };
  }
  if (takeProfit !== undefined && event.high >= takeProfit) {
    return { reason: 'take-profit', price: event.open >= takeProfit ? event.open : takeProfit };
  }
  return undefined;
}

export function assertValidProtection(symbol: string, protection: Protection): void {
  const { qty, stopLoss, takeProfit } = protection;
  const where = `protection for ${symbol}`;
  if (!isPositive(qty)) throw new Error(`${where} has an invalid qty: ${qty}; it must be a positive number`);
  if (stopLoss === undefined && takeProfit === undefined) throw new Error(`${where} sets neither a stop-loss nor a take-profit`);
  if (stopLoss !== undefined && !isPositive(stopLoss)) {
    throw new Error(`${where} has an invalid stop-loss: ${stopLoss}; it must be a positive number`);
  }
  if (takeProfit !== undefined && !isPositive(takeProfit)) {
    throw new Error(`${where} has an invalid take-profit: ${takeProfit}; it must be a positive number`);
  }
  if (stopLoss !== undefined && takeProfit !== undefined && stopLoss >= takeProfit) {
    throw new Error(`${where} has its stop-loss ${stopLoss} at or above its take-profit ${takeProfit}`);
  }
}

function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}
