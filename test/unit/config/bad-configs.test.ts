import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/core/errors';
import { badConfigCases, writeCaseFiles, type BadConfigCase } from '../../fixtures/bad-configs';

const DEFAULT_FILE = path.resolve(__dirname, '../../../config/default.json');

function errorOf(testCase: BadConfigCase): unknown {
  const dir = writeCaseFiles(testCase.files);
  try {
    loadConfig({
      defaultFile: DEFAULT_FILE,
      ...(testCase.configFile !== undefined ? { configFile: path.join(dir, testCase.configFile) } : {}),
      env: testCase.env ?? {},
      ...(testCase.flags !== undefined ? { flags: testCase.flags } : {}),
    });
    return undefined;
  } catch (err) {
    return err;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('bad configurations', () => {
  it('has at least 12 cases with distinct names', () => {
    expect(badConfigCases.length).toBeGreaterThanOrEqual(12);
    expect(new Set(badConfigCases.map((c) => c.name)).size).toBe(badConfigCases.length);
  });

  it.each(badConfigCases.map((c) => [c.name, c] as const))('%s is a one-sentence ConfigError naming source, key and value', (_name, testCase) => {
    const err = errorOf(testCase);
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toMatch(testCase.expected);
    expect(message).not.toMatch(/[\r\n]/);
    for (const secret of testCase.neverShown ?? []) expect(message).not.toContain(secret);
  });
});
