import fs from 'node:fs';
import path from 'node:path';
import { badConfigCases, writeCaseFiles } from '../fixtures/bad-configs';
import { quietEnv, runMain } from '../helpers/run-main';

// Flags-only cases have no command-line spelling: commander rejects those values itself (tested in main.test).
const cliCases = badConfigCases.filter((c) => c.flags === undefined);

describe('main with a bad configuration', () => {
  it('covers at least 10 bad configurations', () => {
    expect(cliCases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cliCases.map((c) => [c.name, c] as const))('%s: one sentence on stderr and exit 2', async (_name, testCase) => {
    const dir = writeCaseFiles(testCase.files);
    try {
      const argv = testCase.configFile !== undefined ? ['--config', path.join(dir, testCase.configFile)] : [];
      const run = await runMain(argv, quietEnv(testCase.env));
      expect(run.code).toBe(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]!.replace(/^error: /, '')).toMatch(testCase.expected);
      expect(run.stdout).toBe('');
      for (const secret of testCase.neverShown ?? []) expect(run.stderr).not.toContain(secret);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
