import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../../src/core/errors';
import { loadCandleFile, type CandleSeries } from '../../../src/market/candle-file';
import { candleProblem, isGoodCandle, type ParsedCandleFile } from '../../../src/market/candle-rows';
import { parseTimeText, utcMsOfPlainDate } from '../../../src/market/candle-time';
import { longDecimal } from '../../../src/market/decimal-text';
import { parseCandleCsv, parseCandleCsvByCsvParse } from '../../../src/market/parse-candle-csv';
import { parseCandleJson, parseCandleJsonByJsonParse } from '../../../src/market/parse-candle-json';

/**
 * The fast paths that read plain CSV and JSON straight from the text must give what csv-parse and
 * JSON.parse give: the same candles, and the same first error with the same line or row.
 */

const T0 = Date.UTC(2021, 0, 1);
const HOUR = 3_600_000;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candle-fast-path-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let written = 0;
/** Writes `text` to a new file named for BTC/USDT on 1h, so every file is read alike. */
function write(text: string, ext = 'csv'): string {
  const file = path.join(dir, `BTC_USDT-1h-${++written}.${ext}`);
  fs.writeFileSync(file, text);
  return file;
}

/** The message of the UserError loading `file` throws; fails the test for anything else. */
function loadError(file: string): string {
  try {
    loadCandleFile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error(`loading ${file} did not fail`);
}

const valuesOf = (series: CandleSeries): number[][] => series.candles.toArray().map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume]);

/** Seeded, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Six hourly candles, as numbers and as the CSV lines "time,open,high,low,close,volume" of them. */
const CANDLES = [0, 1, 2, 3, 4, 5].map((h) => [T0 + h * HOUR, 100 + h, 110.5 + h, 90.25 + h, 105.125 + h, 1.5 * h]);
const LINES = CANDLES.map((c) => c.join(','));
const HEADER = 'timestamp,open,high,low,close,volume';

describe('CSV read by the fast path and by csv-parse alike', () => {
  const plain = `${HEADER}\n${LINES.join('\n')}\n`;

  it('reads plain lines', () => {
    expect(valuesOf(loadCandleFile(write(plain)))).toEqual(CANDLES);
  });

  it.each([
    ['CRLF line endings', `${HEADER}\r\n${LINES.join('\r\n')}\r\n`],
    ['no newline after the last line', `${HEADER}\n${LINES.join('\n')}`],
    ['blank lines at the end', `${HEADER}\n${LINES.join('\n')}\n\n\n`],
    ['blank CRLF lines at the end', `${HEADER}\r\n${LINES.join('\r\n')}\r\n\r\n\r\n`],
    ['a blank line in the middle', `${HEADER}\n${LINES.slice(0, 3).join('\n')}\n\n${LINES.slice(3).join('\n')}\n`],
    ['a line of white space in the middle (csv-parse skips it)', `${HEADER}\n${LINES.slice(0, 3).join('\n')}\n   \n${LINES.slice(3).join('\n')}\n`],
    ['a quoted header', `"timestamp","open","high","low","close","volume"\n${LINES.join('\n')}\n`],
    ['quoted fields on one line', `${HEADER}\n${LINES.slice(0, 2).join('\n')}\n"${LINES[2]!.split(',').join('","')}"\n${LINES.slice(3).join('\n')}\n`],
    ['every field quoted', `${HEADER}\n${LINES.map((l) => `"${l.split(',').join('","')}"`).join('\n')}\n`],
    ['spaces outside quotes (csv-parse trims them)', `${HEADER}\n${LINES.map((l) => ` "${l.split(',').join('" , "')}" `).join('\n')}\n`],
    ['spaces around fields (csv-parse trims them)', `${HEADER}\n${LINES.map((l) => l.split(',').join(' , ')).join('\n')}\n`],
    ['a tab after a field', `${HEADER}\n${LINES.slice(0, 4).join('\n')}\n${LINES[4]}\t\n${LINES[5]}\n`],
    ['numbers written with an exponent, a sign or a trailing point', `${HEADER}\n${LINES.slice(0, 5).join('\n')}\n${T0 + 5 * HOUR},+105,1.155e2,95.25,110.125,7.5\n`],
    ['a banner line above the header', `Data from somewhere, UTC\n${HEADER}\n${LINES.join('\n')}\n`],
  ])('with %s', (_what, text) => {
    const values = valuesOf(loadCandleFile(write(text)));
    expect(values).toEqual(CANDLES);
  });

  it('with quoted fields holding commas, quotes and line breaks in an extra column', () => {
    const notes = ['x', '"a, b"', '"say ""hi"""', '"two\nlines"', '""', 'x'];
    const text = `${HEADER},note\n${LINES.map((l, i) => `${l},${notes[i]}`).join('\n')}\n`;
    expect(valuesOf(loadCandleFile(write(text)))).toEqual(CANDLES);
  });

  it('with columns in another order, an unused column and no volume', () => {
    const text = `Close,Open,symbol,Low,High,Date\n${CANDLES.map(([t, o, h, l, c]) => `${c},${o},BTCUSDT,${l},${h},${new Date(t!).toISOString()}`).join('\n')}\n`;
    expect(valuesOf(loadCandleFile(write(text)))).toEqual(CANDLES.map((c) => [...c.slice(0, 5), 0]));
  });

  it('with the rows newest first', () => {
    const text = `${HEADER}\n${[...LINES].reverse().join('\n')}\n`;
    expect(valuesOf(loadCandleFile(write(text)))).toEqual(CANDLES);
  });
});

describe('CSV errors name the line csv-parse would', () => {
  /** 3,000 good lines (lines 2 to 3001 of the file) with `bad` in place of line `at`. */
  function manyLines(at: number, bad: string, eol = '\n'): string {
    const lines = Array.from({ length: 3000 }, (_, i) => `${T0 + i * HOUR},100,110,90,105,1`);
    lines[at - 2] = bad;
    return `${HEADER}${eol}${lines.join(eol)}${eol}`;
  }

  it('a bad number far down the file', () => {
    const file = write(manyLines(2500, `${T0 + 2498 * HOUR},100,abc,90,105,1`));
    expect(loadError(file)).toBe(`${file} line 2500: high "abc" is not a number`);
  });

  it('a bad number with CRLF line endings', () => {
    const file = write(manyLines(1234, `${T0 + 1232 * HOUR},100,110,90,1x5,1`, '\r\n'));
    expect(loadError(file)).toBe(`${file} line 1234: close "1x5" is not a number`);
  });

  it('an empty field, a missing field and a bad time', () => {
    let file = write(manyLines(2000, `${T0 + 1998 * HOUR},100,110,,105,1`));
    expect(loadError(file)).toBe(`${file} line 2000: low is empty`);
    file = write(manyLines(2001, `${T0 + 1999 * HOUR},100,110,90,105`));
    expect(loadError(file)).toBe(`${file} line 2001: it has 5 fields but the header has 6`);
    file = write(manyLines(2002, `2021-13-01T00:00:00Z,100,110,90,105,1`));
    expect(loadError(file)).toBe(`${file} line 2002: time "2021-13-01T00:00:00Z" is not ms or seconds since 1970 nor an ISO-8601 date like 2021-01-01T00:00:00Z`);
  });

  it('a bad candle', () => {
    const file = write(manyLines(1500, `${T0 + 1498 * HOUR},100,99,90,95,1`));
    expect(loadError(file)).toBe(`${file} line 1500: high 99 is below open 100`);
  });

  it('a bad number after a quoted field that spans two lines, counting both', () => {
    const lines = LINES.map((l, i) => `${l},${i === 1 ? '"two\nlines"' : 'x'}`);
    lines[4] = `${T0 + 4 * HOUR},100,110,90,abc,1,x`;
    const file = write(`${HEADER},note\n${lines.join('\n')}\n`);
    // Header on line 1, candles from line 2; the second candle's note takes lines 3 and 4.
    expect(loadError(file)).toBe(`${file} line 7: close "abc" is not a number`);
  });

  it('a bad number after blank lines, counting them', () => {
    const file = write(`${HEADER}\n\n${LINES.slice(0, 2).join('\n')}\n\n\n${LINES[2]!.replace(/,[^,]*$/, ',x')}\n`);
    // The third candle is on line 7: header, blank, two candles, two blanks.
    expect(loadError(file)).toBe(`${file} line 7: volume "x" is not a number`);
  });

  it('csv-parse’s error for a quote it cannot read, even after a bad line, as before', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${T0 + i * HOUR},100,110,90,105,1`);
    lines[100] = `${T0 + 100 * HOUR},100,110,90,oops,1`;
    lines[2000] = `${T0 + 2000 * HOUR},1"00,110,90,105,1`;
    const file = write(`${HEADER}\n${lines.join('\n')}\n`);
    expect(loadError(file)).toMatch(new RegExp(`^candle file ".*" is not valid CSV at line 2002 \\(.+\\)$`));
  });

  it('a number with a space inside its quotes (kept, as csv-parse keeps it)', () => {
    const file = write(manyLines(2200, `"${T0 + 2198 * HOUR}"," 100","110","90","105","1"`));
    expect(loadError(file)).toBe(`${file} line 2200: open " 100" is not a number`);
  });

  it('a bad line after a quoted line, by its line', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${T0 + i * HOUR},100,110,90,105,1`);
    lines[10] = `"${T0 + 10 * HOUR}","100","110","90","105","1"`;
    lines[2500] = `${T0 + 2500 * HOUR},100,110,90,105,-1`;
    const file = write(`${HEADER}\n${lines.join('\n')}\n`);
    expect(loadError(file)).toBe(`${file} line 2502: volume -1 is not a finite number at least 0`);
  });
});

describe('CSV times', () => {
  /** The candle times read from a file whose time column holds `times`. */
  const timesOf = (times: string[]): number[] =>
    Array.from(loadCandleFile(write(`date,open,high,low,close\n${times.map((t) => `${t},100,110,90,105`).join('\n')}\n`)).candles.time);
  const hours = [0, 1, 2].map((h) => T0 + h * HOUR);

  it.each([
    ['ISO with ms and Z', ['2021-01-01T00:00:00.000Z', '2021-01-01T01:00:00.000Z', '2021-01-01T02:00:00.000Z']],
    ['ISO without ms', ['2021-01-01T00:00:00Z', '2021-01-01T01:00:00Z', '2021-01-01T02:00:00Z']],
    ['ISO without a zone (UTC)', ['2021-01-01T00:00:00', '2021-01-01T01:00:00', '2021-01-01T02:00:00']],
    ['a space for the T and no zone', ['2021-01-01 00:00:00', '2021-01-01 01:00:00', '2021-01-01 02:00:00']],
    ['lower-case t and z', ['2021-01-01t00:00:00z', '2021-01-01t01:00:00z', '2021-01-01t02:00:00z']],
    ['fractions of 1 and 6 digits', ['2021-01-01T00:00:00.0Z', '2021-01-01T01:00:00.000000Z', '2021-01-01T02:00:00.0Z']],
    ['offsets (read by parseTimeText)', ['2021-01-01T02:00:00+02:00', '2020-12-31T20:00:00-0500', '2021-01-01T02:00:00+00:00']],
    ['minutes only (read by parseTimeText)', ['2021-01-01 00:00', '2021-01-01 01:00', '2021-01-01 02:00']],
    ['ms since 1970', hours.map(String)],
    ['seconds since 1970', hours.map((t) => String(t / 1000))],
  ])('%s', (_what, times) => {
    expect(timesOf(times)).toEqual(hours);
  });

  it('keeps the ms of a fraction, cut (not rounded) to ms as parseTimeText does', () => {
    const times = timesOf(['2021-01-01T00:00:00.5Z', '2021-01-01T01:00:00.50Z', '2021-01-01T02:00:00.500999Z', '2021-01-01T03:00:00.5009']);
    expect(times).toEqual([0, 1, 2, 3].map((h) => T0 + h * HOUR + 500));
  });

  it.each(['2021-02-29T00:00:00Z', '2021-01-01T24:00:00Z', '2021-04-31 00:00:00', '1969-12-31T23:00:00Z', '2021-01-01T00:60:00Z'])(
    'refuses %s on the line it is on',
    (time) => {
      const file = write(`date,open,high,low,close\n2021-01-01T00:00:00Z,100,110,90,105\n${time},100,110,90,105\n`);
      expect(loadError(file)).toBe(`${file} line 3: time "${time}" is not ms or seconds since 1970 nor an ISO-8601 date like 2021-01-01T00:00:00Z`);
    },
  );

  it('reads 29 February in a leap year', () => {
    expect(timesOf(['2020-02-28T23:00:00Z', '2020-02-29T00:00:00Z'])).toEqual([Date.UTC(2020, 1, 28, 23), Date.UTC(2020, 1, 29)]);
  });
});

describe('numbers read by the fast paths', () => {
  /** Doubles printed in full (up to 17 digits), as many generated data sets hold them. */
  const doubles = (count: number): number[][] => {
    const next = random(7);
    return Array.from({ length: count }, (_, i) => {
      const low = 10 ** (next() * 8 - 3);
      const high = low * (1 + next());
      return [T0 + i * HOUR, low + (high - low) * next(), high, low, low + (high - low) * next(), next() * 1e6];
    });
  };

  it('are the doubles Number() makes of the same text, in CSV', () => {
    const rows = doubles(3000);
    const series = loadCandleFile(write(`${HEADER}\n${rows.map((r) => r.join(',')).join('\n')}\n`));
    expect(valuesOf(series)).toEqual(rows);
  });

  it('are the doubles JSON.parse makes of the same text, in JSON', () => {
    const rows = doubles(3000);
    const series = loadCandleFile(write(JSON.stringify(rows), 'json'));
    expect(valuesOf(series)).toEqual(rows);
    expect(valuesOf(loadCandleFile(write(JSON.stringify(rows, null, 2), 'json')))).toEqual(rows);
  });

  it('longDecimal rounds 16 to 19 digits as Number() does, near ties too', () => {
    const next = random(11);
    const texts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const digits = 16 + Math.floor(next() * 4);
      let text = String(1 + Math.floor(next() * 9));
      for (let d = 1; d < digits; d++) text += Math.floor(next() * 10);
      texts.push(text);
    }
    // Integers just above powers of two from 2^53, where halfway cases are.
    for (let p = 53n; p < 63n; p++) for (let offset = -3n; offset <= 3n; offset++) texts.push(String(2n ** p + offset));
    for (const digitsText of texts) {
      for (const point of [digitsText.length, 1, 3, 8, digitsText.length - 1]) {
        const decimals = digitsText.length - point;
        const text = decimals === 0 ? digitsText : `${digitsText.slice(0, point)}.${digitsText.slice(point)}`;
        for (const signed of [text, `-${text}`]) {
          const got = longDecimal(signed, 0, signed.length, digitsText.length, decimals);
          if (!Object.is(got, Number(signed))) throw new Error(`longDecimal(${signed}) is ${got}, Number gives ${Number(signed)}`);
        }
      }
    }
  });
});

describe('JSON read by the fast path and by JSON.parse alike', () => {
  const rows = CANDLES;

  it.each([
    ['compact', JSON.stringify(rows)],
    ['pretty-printed', JSON.stringify(rows, null, 2)],
    ['with CRLF and tabs', `[\r\n${rows.map((r) => `\t[ ${r.join(' ,\t')} ]`).join(',\r\n')}\r\n]\r\n`],
    ['with exponents', `[${rows.map((r) => `[${r[0]},${r[1]! / 100}e2,${r[2]}E0,${r[3]! * 10}e-1,${r[4]},${r[5]}]`).join(',')}]`],
  ])('%s', (_what, text) => {
    expect(valuesOf(loadCandleFile(write(text, 'json')))).toEqual(rows);
  });

  it('reports a bad row far down by its row number', () => {
    const many = Array.from({ length: 3000 }, (_, i) => [T0 + i * HOUR, 100, 110, 90, 105, 1]);
    many[2345] = [T0 + 2345 * HOUR, 100, 110, 90, 105, -2];
    const file = write(JSON.stringify(many), 'json');
    expect(loadError(file)).toBe(`${file} row 2346: volume -2 is not a finite number at least 0`);
  });

  it('reports a syntax error after a bad row, as JSON.parse finds it first', () => {
    const file = write(`[[${T0},100,110,90,105,"1"],\n[${T0 + HOUR},100,110,90,105,1]]]\n`, 'json');
    expect(loadError(file)).toMatch(/is not valid JSON: .* at line 2, column \d+$/);
  });

  it.each([
    ['a leading zero', `[[${T0},0100,110,90,105,1]]`],
    ['a point without digits', `[[${T0},100.,110,90,105,1]]`],
    ['text after the array', `[[${T0},100,110,90,105,1]] x`],
    ['a trailing comma', `[[${T0},100,110,90,105,1],]`],
  ])('refuses %s as JSON.parse does', (_what, text) => {
    const file = write(text, 'json');
    expect(loadError(file)).toMatch(new RegExp(`^candle file ".*" is not valid JSON: .+ at line 1, column \\d+$`));
  });
});

describe('the checks the fast paths share', () => {
  it('utcMsOfPlainDate is Date.UTC where parseTimeText reads the date, NaN where it refuses it', () => {
    const next = random(3);
    const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const [y, mo, d, h, mi, s] = [1960 + Math.floor(next() * 480), 1 + Math.floor(next() * 13), 1 + Math.floor(next() * 31), Math.floor(next() * 25), Math.floor(next() * 61), Math.floor(next() * 61)];
      const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.250Z`;
      if (!Object.is(utcMsOfPlainDate(y, mo, d, h, mi, s, 250), parseTimeText(text) ?? NaN)) wrong.push(text);
    }
    expect(wrong).toEqual([]);
    expect(utcMsOfPlainDate(2021, 1, 1, 0, 0, 0, 0)).toBe(T0);
    expect(utcMsOfPlainDate(2000, 2, 29, 23, 59, 59, 999)).toBe(Date.UTC(2000, 1, 29, 23, 59, 59, 999));
    expect(utcMsOfPlainDate(2100, 2, 29, 0, 0, 0, 0)).toBeNaN();
  });

  it('isGoodCandle is candleProblem finding nothing', () => {
    const values = [-1, -0, 0, 0.5, 1, 2, 3, Infinity, -Infinity, NaN];
    const wrong: number[][] = [];
    for (const open of values) {
      for (const high of values) {
        for (const low of values) {
          for (const close of [0, 1, 2, NaN]) {
            for (const volume of [-1, 0, 1, Infinity, NaN]) {
              if (isGoodCandle(open, high, low, close, volume) !== (candleProblem(open, high, low, close, volume) === undefined)) wrong.push([open, high, low, close, volume]);
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the fast paths against csv-parse and JSON.parse on generated files', () => {
  /** The rows a parser reads (every column, line or row included), or the message of the error it throws. */
  function outcome(parse: (text: string, file: string) => ParsedCandleFile, text: string): unknown {
    try {
      const { rows } = parse(text, 'f.csv');
      return Array.from({ length: rows.length }, (_, i) => [rows.time[i], rows.open[i], rows.high[i], rows.low[i], rows.close[i], rows.volume[i], rows.at[i]]);
    } catch (err) {
      return err instanceof UserError ? err.message : err;
    }
  }

  it('read every CSV file alike, odd ones included', () => {
    const next = random(5);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(next() * choices.length)]!;
    const headers = ['timestamp,open,high,low,close,volume', 'Date,O,H,L,C', '"time","open","high","low","close","volume"', 'close,open,low,high,open_time,note'];
    const times = [
      (t: number) => String(t),
      (t: number) => String(t / 1000),
      (t: number) => new Date(t).toISOString(),
      (t: number) => new Date(t).toISOString().replace('T', ' ').replace('.000Z', ''),
      (t: number) => new Date(t).toISOString().replace('Z', '+01:00'),
      (t: number) => `"${new Date(t).toISOString()}"`,
      (t: number) => `${t / 1000}.5`,
    ];
    const numbers = [
      (v: number) => String(v),
      (v: number) => v.toPrecision(17),
      (v: number) => v.toExponential(),
      (v: number) => `"${v}"`,
      (v: number) => ` ${v}`,
      (v: number) => `"${v}" `,
      (v: number) => `+${v}`,
      (v: number) => `${Math.round(v)}.`,
      (v: number) => v.toFixed(25),
      () => 'abc',
      () => '',
      () => '"1""0"',
      () => '1"0',
    ];
    const notes = ['x', '"a, b"', '"two\nlines"', '"say ""hi"""', '', ' y ', 'a\rb', 'z\r'];
    const differences: string[] = [];
    for (let n = 0; n < 400; n++) {
      const header = pick(headers);
      const columns = header.replace(/"/g, '').split(',');
      const messy = next() < 0.5;
      const time = pick(times);
      const lines: string[] = next() < 0.2 ? [pick(['some banner, with a comma', '"a banner\non two lines"', '']), header] : [header];
      for (let i = 0; i < 1 + Math.floor(next() * 8); i++) {
        const base = 100 + next() * 10;
        const value: Record<string, number> = { open: base, o: base, high: base + 5, h: base + 5, low: base - 5, l: base - 5, close: base + 1, c: base + 1, volume: next() * 50 };
        const fields = columns.map((name) => {
          if (['timestamp', 'date', 'time', 'open_time'].includes(name.toLowerCase())) return messy && next() < 0.2 ? pick(times)(T0 + i * HOUR) : time(T0 + i * HOUR);
          if (name === 'note') return pick(notes);
          const v = value[name.toLowerCase()]!;
          return messy && next() < 0.3 ? pick(numbers)(v) : String(v);
        });
        if (messy && next() < 0.05) fields.pop();
        if (messy && next() < 0.05) fields.push('1');
        lines.push(fields.join(','));
        if (next() < 0.1) lines.push(pick(['', '  ', ',,']));
      }
      const eol = pick(['\n', '\n', '\r\n', '\r']);
      let text = lines.join(eol) + pick(['', eol, eol + eol]);
      if (next() < 0.05) text = text.replace(/(\d),/, '$1\r,');
      if (next() < 0.05) text = text.replace('\n', '\r\n');
      const fast = outcome(parseCandleCsv, text);
      const general = outcome(parseCandleCsvByCsvParse, text);
      if (JSON.stringify(fast) !== JSON.stringify(general)) differences.push(`${JSON.stringify(text)}: ${JSON.stringify(fast)} vs ${JSON.stringify(general)}`);
    }
    expect(differences).toEqual([]);
  });

  it('read every JSON file alike, odd ones included', () => {
    const next = random(9);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(next() * choices.length)]!;
    const odd = ['null', '"1"', '-1', '0', '1e400', '{}', '[]', 'true', '1.5', '01', '1.', '-', '2E-3', '-0'];
    const differences: string[] = [];
    for (let n = 0; n < 400; n++) {
      const rows: string[] = [];
      for (let i = 0; i < 1 + Math.floor(next() * 6); i++) {
        const base = 100 + next() * 10;
        const fields = [T0 + i * HOUR, base, base + 5, base - 5, base + 1, next() * 50].map(String);
        if (next() < 0.1) fields[Math.floor(next() * 6)] = pick(odd);
        if (next() < 0.03) fields.pop();
        if (next() < 0.03) fields.push(pick(['1', '']));
        rows.push(`[${fields.join(pick([',', ', ', ',\n  ']))}]`);
      }
      if (next() < 0.3) rows.reverse();
      let text = `[${rows.join(pick([',', ',\n', ' , ']))}]${pick(['', '\n', ' \r\n'])}`;
      if (next() < 0.05) text = text.replace(/\]$/, ',]');
      if (next() < 0.05) text = `${text} x`;
      if (next() < 0.03) text = '[]';
      const fast = outcome(parseCandleJson, text);
      const general = outcome(parseCandleJsonByJsonParse, text);
      if (JSON.stringify(fast) !== JSON.stringify(general)) differences.push(`${JSON.stringify(text)}: ${JSON.stringify(fast)} vs ${JSON.stringify(general)}`);
    }
    expect(differences).toEqual([]);
  });
});
