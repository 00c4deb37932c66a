import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkOutputPaths } from '../../../src/cli/output-paths';
import { paperOutputPaths } from '../../../src/cli/paper-output-paths';
import { loadConfig } from '../../../src/config/load-config';
import { DEFAULT_CONFIG_FILE } from '../../helpers/test-app';

describe('checkOutputPaths', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-paths-'));
    file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
  });
  afterEach(() => {
    fs.chmodSync(dir, 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a directory output that exists and is not a directory, naming the label and the path', () => {
    expect(() => checkOutputPaths([{ label: '--out', path: file, kind: 'directory' }])).toThrow(`--out ${file} exists and is not a directory; give a directory to write into`);
  });

  it('refuses an output whose parent is a file, naming that file', () => {
    const below = path.join(file, 'deeper', 'out');
    expect(() => checkOutputPaths([{ label: '--state', path: below, kind: 'file' }])).toThrow(`--state ${below} cannot be created: ${file} is a file, not a directory`);
    expect(() => checkOutputPaths([{ label: 'log.dir', path: below, kind: 'directory' }])).toThrow(`log.dir ${below} cannot be created: ${file} is a file, not a directory`);
  });

  it('refuses a file output that is a directory', () => {
    expect(() => checkOutputPaths([{ label: '--out', path: dir, kind: 'file' }])).toThrow(`--out ${dir} is a directory; give a file name`);
  });

  it('accepts an existing directory, an existing file and missing paths below a writable directory, and creates nothing', () => {
    const missing = path.join(dir, 'new', 'deeper');
    checkOutputPaths([
      { label: '--out', path: dir, kind: 'directory' },
      { label: '--state', path: file, kind: 'file' },
      { label: '--out', path: missing, kind: 'directory' },
      { label: '--state', path: path.join(missing, 'state.sqlite'), kind: 'file' },
    ]);
    expect(fs.existsSync(path.join(dir, 'new'))).toBe(false);
  });

  // root writes through any mode bits, so only another user can see this refusal.
  (process.getuid?.() === 0 ? it.skip : it)('refuses a path below a directory it may not write', () => {
    fs.chmodSync(dir, 0o500);
    const missing = path.join(dir, 'out');
    expect(() => checkOutputPaths([{ label: '--out', path: missing, kind: 'directory' }])).toThrow(`--out ${missing} cannot be created: ${dir} is not writable`);
  });
});

describe('paperOutputPaths', () => {
  const config = (flags: Record<string, unknown>, env: Record<string, string> = {}) => loadConfig({ defaultFile: DEFAULT_CONFIG_FILE, env, flags }).config;

  it('names --out, --state and log.dir as the user set them', () => {
    const paths = paperOutputPaths(config({ 'run.out': 'runs/one', 'state.file': 'my.sqlite' }), 'paper', { out: 'runs/one', state: 'my.sqlite' });
    expect(paths).toEqual([
      { label: '--out', path: 'runs/one', kind: 'directory' },
      { label: '--state', path: 'my.sqlite', kind: 'file' },
      { label: 'log.dir', path: 'logs', kind: 'directory' },
    ]);
  });

  it('names the config keys when no flag set them, and leaves out what the run does not write', () => {
    const paths = paperOutputPaths(config({}, { BOT_RUN_OUT: 'out', BOT_LOG_TO_FILE: 'false' }), 'live', {});
    expect(paths).toEqual([
      { label: 'run.out', path: 'out', kind: 'directory' },
      { label: 'state.file', path: path.join('state', 'live.sqlite'), kind: 'file' },
    ]);
    expect(paperOutputPaths(config({ 'state.file': 'none' }, { BOT_LOG_TO_FILE: 'false' }), 'paper', { state: 'none' })).toEqual([]);
  });
});
