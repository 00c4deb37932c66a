import path from 'node:path';
import { UserError } from '../../../src/core/errors';
import { listStrategies, loadStrategy } from '../../../src/strategy/load-strategy';

const SHIPPED = path.resolve(__dirname, '..', '..', '..', 'strategies');
const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'strategies');

function loadError(name: string, dir = FIXTURES): Error {
  try {
    loadStrategy(name, dir);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`loadStrategy accepted ${name}`);
}

describe('loadStrategy', () => {
  it.each(['rsi-mean-reversion', 'macd-crossover'])('loads the shipped strategy %s by name', (name) => {
    const definition = loadStrategy(name, SHIPPED);
    expect(definition.name).toBe(name);
    expect(typeof definition.create).toBe('function');
    expect(typeof definition.warmup).toBe('function');
  });

  it('loads a definition exported as `strategy` instead of default', () => {
    expect(loadStrategy('named-export', FIXTURES).name).toBe('named-export');
  });

  it('loads a .js strategy file', () => {
    expect(loadStrategy('plain-js', FIXTURES).name).toBe('plain-js');
  });

  it('names the directory and the available strategies when the name is not found', () => {
    const err = loadError('rsi-mean-revresion', FIXTURES);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `strategy "rsi-mean-revresion" not found in ${FIXTURES} (available: bad-param-default, missing-create, named-export, no-export, plain-js, throws-on-load, wrong-name).`,
    );
  });

  it('lists the shipped strategies when a name is not among them', () => {
    expect(loadError('nope', SHIPPED).message).toMatch(/^strategy "nope" not found in .* \(available: .*macd-crossover.*rsi-mean-reversion.*\)\.$/);
  });

  it.each(['../strategies/rsi-mean-reversion', 'RSI', '-rsi', 'rsi_mean', 'rsi.ts', ''])('refuses the name %j before touching the disk', (name) => {
    const err = loadError(name);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `strategy name ${JSON.stringify(name)} is invalid: use lowercase letters, digits and dashes, starting with a letter or digit.`,
    );
  });

  it('names the file when it exports no definition', () => {
    const err = loadError('no-export');
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `strategy file ${path.join(FIXTURES, 'no-export.ts')} has no default export (nor a "strategy" export): export default defineStrategy({...}).`,
    );
  });

  it('names the file and the missing part when the export is not a definition', () => {
    expect(loadError('missing-create').message).toBe(
      `strategy file ${path.join(FIXTURES, 'missing-create.ts')} does not export a valid strategy: it has no create() function.`,
    );
  });

  it('refuses a definition whose name differs from its file name', () => {
    expect(loadError('wrong-name').message).toBe(
      `strategy file ${path.join(FIXTURES, 'wrong-name.ts')} does not export a valid strategy: its name "copied-from-elsewhere" differs from the file name "wrong-name".`,
    );
  });

  it('refuses a parameter whose default breaks its own bounds', () => {
    expect(loadError('bad-param-default').message).toBe(
      `strategy file ${path.join(FIXTURES, 'bad-param-default.ts')} does not export a valid strategy: its parameter "period" has a default 1 below its min 2.`,
    );
  });

  it('names the file and the error when the module throws while loading', () => {
    const err = loadError('throws-on-load');
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`strategy file ${path.join(FIXTURES, 'throws-on-load.ts')} failed to load: setting THRESHOLD is missing.`);
  });

  it('refuses a strategies directory that does not exist', () => {
    const missing = path.join(FIXTURES, 'no-such-dir');
    const err = loadError('anything', missing);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`the strategies directory ${missing} does not exist.`);
  });
});

describe('listStrategies', () => {
  it('lists the strategy files by name, sorted, without other files', () => {
    expect(listStrategies(FIXTURES)).toEqual([
      'bad-param-default',
      'missing-create',
      'named-export',
      'no-export',
      'plain-js',
      'throws-on-load',
      'wrong-name',
    ]);
  });

  it('includes the two shipped strategies', () => {
    expect(listStrategies(SHIPPED)).toEqual(expect.arrayContaining(['macd-crossover', 'rsi-mean-reversion']));
  });
});
