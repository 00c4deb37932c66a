import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExitCode, UserError } from '../../../src/core/errors';
import { loadCandleFile, type CandleFileHint } from '../../../src/market/candle-file';

const T0 = Date.UTC(2021, 0, 1);
const HOUR = 3_600_000;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candle-file-errors-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The message of the UserError loading `file` throws; fails the test for anything else. */
function loadError(file: string, hint: CandleFileHint = {}): string {
  try {
    loadCandleFile(file, hint);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(ExitCode.badUsage);
    return (err as UserError).message;
  }
  throw new Error(`loading ${file} did not fail`);
}

const row = (hours: number, ohlcv = '100,110,90,105,1'): string => `${T0 + hours * HOUR},${ohlcv}`;
const csv = (...lines: string[]): string => `time,open,high,low,close,volume\n${lines.join('\n')}\n`;
const json = (...rows: unknown[]): string => `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
const good = (hours: number): number[] => [T0 + hours * HOUR, 100, 110, 90, 105, 1];

describe('loadCandleFile refuses, naming the file', () => {
  it('a file that does not exist', () => {
    const file = path.join(dir, 'nothing_USDT-1h.json');
    expect(loadError(file)).toBe(`candle file "${file}" does not exist`);
  });

  it('a directory', () => {
    const file = path.join(dir, 'folder.json');
    fs.mkdirSync(file);
    expect(loadError(file)).toBe(`candle file "${file}" is a directory, not a .json or .csv file`);
  });

  it('a file too big to read as one text (not the rows the fast path reads from bytes), saying how big', () => {
    // Sparse: 513 MB of zeros on disk that take no room, one MB past what one V8 string can hold.
    const file = path.join(dir, 'BTC_USDT-1m.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 513 * 1024 * 1024);
    try {
      expect(loadError(file)).toBe(
        `candle file "${file}" is too big to read (513 MB): a CSV file, or a JSON file that is not plain ccxt rows, is read as one text of at most 512 MB`,
      );
    } finally {
      fs.rmSync(file);
    }
  });

  it('an extension other than .json or .csv', () => {
    const file = write('BTC_USDT-1h.txt', csv(row(0)));
    expect(loadError(file)).toBe(`candle file "${file}" must end in .json (ccxt OHLCV rows) or .csv (with a header row)`);
  });

  it('an empty file', () => {
    const file = write('BTC_USDT-1h-empty.json', ' \n');
    expect(loadError(file)).toBe(`candle file "${file}" is empty`);
  });

  it('a file whose symbol the name does not tell, asking for --symbol', () => {
    const file = write('candles-1h.json', json(good(0)));
    expect(loadError(file)).toBe(`cannot tell the symbol of candle file "${file}" from its name; pass --symbol, e.g. --symbol BTC/USDT`);
  });

  it('a hinted symbol that is not BASE/QUOTE', () => {
    const file = write('BTC_USDT-1h-symbol.json', json(good(0)));
    expect(loadError(file, { symbol: 'BTCUSDT' })).toBe('symbol "BTCUSDT" is not of the form BASE/QUOTE, like BTC/USDT');
  });
});

describe('loadCandleFile refuses JSON', () => {
  it('that does not parse, with line and column', () => {
    const file = write('BTC_USDT-1h-syntax.json', `[\n  ${JSON.stringify(good(0))},\n  [${T0 + HOUR}, 100, 110, 90, 105 1]\n]\n`);
    expect(loadError(file)).toMatch(new RegExp(`^candle file "${escape(file)}" is not valid JSON: expected ',' or '\\]' after an array element but found '1' at line 3, column \\d+$`));
  });

  it('whose top level is not an array', () => {
    const file = write('BTC_USDT-1h-object.json', '{"candles": []}');
    expect(loadError(file)).toBe(
      `candle file "${file}" must hold an array of rows, each an array of 6 numbers [time, open, high, low, close, volume], not an object`,
    );
  });

  it('without rows', () => {
    const file = write('BTC_USDT-1h-none.json', '[]');
    expect(loadError(file)).toBe(`candle file "${file}" holds no candles`);
  });

  it('with a row that is not an array, by its 1-based row number', () => {
    const file = write('BTC_USDT-1h-objectrow.json', json(good(0), { time: T0 + HOUR }));
    expect(loadError(file)).toBe(`${file} row 2: expected an array of 6 numbers [time, open, high, low, close, volume] but found an object`);
  });

  it('with a row of the wrong length', () => {
    const file = write('BTC_USDT-1h-short.json', json(good(0), good(1), good(2).slice(0, 5)));
    expect(loadError(file)).toBe(`${file} row 3: expected an array of 6 numbers [time, open, high, low, close, volume] but found an array of 5`);
  });

  it('with a number written as a string', () => {
    const file = write('BTC_USDT-1h-string.json', json(good(0), [T0 + HOUR, '100', 110, 90, 105, 1]));
    expect(loadError(file)).toBe(`${file} row 2: open is the string "100", not a finite number`);
  });

  it('with a null', () => {
    const file = write('BTC_USDT-1h-null.json', json([T0, 100, 110, 90, 105, null]));
    expect(loadError(file)).toBe(`${file} row 1: volume is null, not a finite number`);
  });

  it('with a time that is not whole ms since 1970', () => {
    const file = write('BTC_USDT-1h-time.json', json([-5, 100, 110, 90, 105, 1]));
    expect(loadError(file)).toBe(`${file} row 1: time -5 is not a whole number of ms (or seconds) since 1970`);
  });

  it('with high below low', () => {
    const file = write('BTC_USDT-1h-highlow.json', json(good(0), [T0 + HOUR, 100, 99, 101, 100, 1]));
    expect(loadError(file)).toBe(`${file} row 2: high 99 is below low 101`);
  });

  it('with two rows at the same time, naming both', () => {
    const file = write('BTC_USDT-1h-dupe.json', json(good(0), good(1), good(0)));
    expect(loadError(file)).toBe(`${file} rows 1 and 3 both hold a candle at 2021-01-01T00:00:00.000Z`);
  });
});

describe('loadCandleFile refuses CSV', () => {
  it('with only a header', () => {
    const file = write('BTC_USDT-1h-none.csv', csv());
    expect(loadError(file)).toBe(`candle file "${file}" holds no candles`);
  });

  it('without a header row', () => {
    const file = write('BTC_USDT-1h-noheader.csv', `${row(0)}\n${row(1)}\n`);
    expect(loadError(file)).toBe(
      `candle file "${file}" has no header row naming its columns within its first 5 lines; add one such as timestamp,open,high,low,close,volume`,
    );
  });

  it('whose header lacks a column, naming its aliases', () => {
    const file = write('BTC_USDT-1h-noclose.csv', `date,open,high,low,volume\n2021-01-01,1,2,0.5,3\n`);
    expect(loadError(file)).toBe(`${file} line 1: the header has no column named close or c`);
  });

  it('that is not CSV, with the line', () => {
    const file = write('BTC_USDT-1h-quote.csv', csv(row(0), `"${row(1)}`));
    expect(loadError(file)).toMatch(new RegExp(`^candle file "${escape(file)}" is not valid CSV at line 3 \\(.+\\)$`));
  });

  it('with a row of fewer fields than the header', () => {
    const file = write('BTC_USDT-1h-fields.csv', csv(row(0), row(1), `${T0 + 2 * HOUR},100,110,90`));
    expect(loadError(file)).toBe(`${file} line 4: it has 4 fields but the header has 6`);
  });

  it('with high below low, by line number counting the header as line 1', () => {
    const file = write('BTC_USDT-1h-highlow.csv', csv(row(0), row(1, '100,99,101,100,1')));
    expect(loadError(file)).toBe(`${file} line 3: high 99 is below low 101`);
  });

  it.each([
    ['high below open', '100,99,90,95,1', 'high 99 is below open 100'],
    ['high below close', '100,105,90,106,1', 'high 105 is below close 106'],
    ['low above open', '100,110,101,105,1', 'low 101 is above open 100'],
    ['low above close', '100,110,90,85,1', 'low 90 is above close 85'],
    ['a zero price', '100,110,90,0,1', 'close 0 is not a positive price'],
    ['a negative price', '-100,110,90,105,1', 'open -100 is not a positive price'],
    ['a negative volume', '100,110,90,105,-1', 'volume -1 is not a finite number at least 0'],
    ['a price that is not a number', 'abc,110,90,105,1', 'open "abc" is not a number'],
    ['an empty cell', '100,,90,105,1', 'high is empty'],
  ])('with %s', (_what, ohlcv, problem) => {
    const file = write(`BTC_USDT-1h-${ohlcv}.csv`, csv(row(0), row(1), row(2, ohlcv)));
    expect(loadError(file)).toBe(`${file} line 4: ${problem}`);
  });

  it.each(['yesterday', '2021-02-30T00:00:00Z'])('with the time %j', (time) => {
    const file = write(`BTC_USDT-1h-${time}.csv`, csv(row(0), `${time},100,110,90,105,1`));
    expect(loadError(file)).toBe(`${file} line 3: time "${time}" is not ms or seconds since 1970 nor an ISO-8601 date like 2021-01-01T00:00:00Z`);
  });

  it('with two rows at the same time, naming both lines', () => {
    const file = write('BTC_USDT-1h-dupe.csv', csv(row(1), row(0), row(2), row(0)));
    expect(loadError(file)).toBe(`${file} lines 3 and 5 both hold a candle at 2021-01-01T00:00:00.000Z`);
  });

  it('with a step that is not a whole number of periods, naming its line and the one before', () => {
    const file = write('BTC_USDT-1h-step.csv', csv(row(0), row(1), row(1.5), row(3), row(4)));
    expect(loadError(file)).toBe(
      `${file} line 4: its candle at 2021-01-01T01:30:00.000Z comes 30m after the one on line 3, which is not a whole number of 1h candles`,
    );
  });
});

describe('loadCandleFile refuses a timeframe', () => {
  it('that the hint gives and the timestamps contradict, naming both', () => {
    const file = write('BTC_USDT-hinted.csv', csv(row(0), row(1), row(2)));
    expect(loadError(file, { timeframe: '5m' })).toBe(`candle file "${file}" holds candles mostly 1h apart, but the timeframe given is 5m`);
  });

  it('that the name gives and the timestamps contradict, naming both', () => {
    const file = write('BTC_USDT-4h.csv', csv(row(0), row(1), row(2)));
    expect(loadError(file)).toBe(`candle file "${file}" holds candles mostly 1h apart, but its name says 4h`);
  });

  it('that is not a known timeframe', () => {
    const file = write('BTC_USDT-unknown.csv', csv(row(0)));
    expect(loadError(file, { timeframe: '7m' })).toBe('timeframe "7m" is not one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w');
  });

  it('inferred from timestamps whose usual step is no timeframe', () => {
    const file = write('BTC_USDT-steps.csv', csv(...[0, 7, 14].map((m) => `${T0 + m * 60_000},100,110,90,105,1`)));
    expect(loadError(file)).toBe(`candle file "${file}" holds candles mostly 7m apart, which is not a timeframe (1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w)`);
  });

  it('to infer from a single candle', () => {
    const file = write('BTC_USDT-single.csv', csv(row(0)));
    expect(loadError(file)).toBe(`cannot tell the timeframe of candle file "${file}" from one candle; pass --timeframe`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
