import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compiledStrategy, projectRoot, readBuildInfo, staleBecause } from '../../../src/boot/compiled-build';

/** A project folder with a few sources, built at `builtAt` (the files are dated before it). */
function project(): { root: string; builtAt: number; touch(file: string, at: number): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-build-'));
  const write = (file: string, text = ''): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('package.json', '{}');
  write('src/main.ts');
  write('src/cli/main.ts');
  write('src/api/dashboard/index.html');
  write('strategies/mine.ts');
  write('dist/src/main.js');
  write('dist/strategies/mine.js');
  const touch = (file: string, at: number): void => fs.utimesSync(path.join(root, file), at / 1000, at / 1000);
  const builtAt = Date.UTC(2026, 0, 1);
  for (const file of ['src/main.ts', 'src/cli/main.ts', 'src/api/dashboard/index.html', 'strategies/mine.ts']) touch(file, builtAt - 60_000);
  touch('dist/strategies/mine.js', builtAt + 1_000);
  write('dist/build-info.json', JSON.stringify({ builtAt, sourceFiles: 3 }));
  return { root, builtAt, touch };
}

describe('the compiled build', () => {
  it('finds the project root above src/boot and dist/src/boot alike', () => {
    const { root } = project();
    expect(projectRoot(path.join(root, 'src', 'boot'))).toBe(root);
    expect(projectRoot(path.join(root, 'dist', 'src', 'boot'))).toBe(root);
  });

  it('is fresh when no source changed since it was built, and stale once one did, or a file came or went', () => {
    const { root, builtAt, touch } = project();
    const info = readBuildInfo(root)!;
    expect(info).toEqual({ builtAt, sourceFiles: 3 });
    expect(staleBecause(root, info)).toBeUndefined();

    touch('src/cli/main.ts', builtAt + 5);
    expect(staleBecause(root, info)).toBe(`${path.join('src', 'cli', 'main.ts')} changed after the build`);
    touch('src/cli/main.ts', builtAt - 5);

    fs.writeFileSync(path.join(root, 'src', 'new.ts'), '');
    fs.utimesSync(path.join(root, 'src', 'new.ts'), (builtAt - 10) / 1000, (builtAt - 10) / 1000);
    expect(staleBecause(root, info)).toBe('src/ holds 4 files, the build saw 3');
  });

  it('has no build to use without dist/build-info.json, or with one it cannot read', () => {
    const { root } = project();
    fs.writeFileSync(path.join(root, 'dist', 'build-info.json'), '{"builtAt":"yesterday"}');
    expect(readBuildInfo(root)).toBeUndefined();
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    expect(readBuildInfo(root)).toBeUndefined();
  });

  it('serves a strategy compiled at least as late as its source, and the source once it is edited', () => {
    const { root, builtAt, touch } = project();
    const source = path.join(root, 'strategies', 'mine.ts');
    expect(compiledStrategy(root, source)).toBe(path.join(root, 'dist', 'strategies', 'mine.js'));
    touch('strategies/mine.ts', builtAt + 2_000);
    expect(compiledStrategy(root, source)).toBeUndefined();
    // Not a strategy of this project, or not TypeScript: nothing to map.
    expect(compiledStrategy(root, path.join(root, 'src', 'main.ts'))).toBeUndefined();
    expect(compiledStrategy(root, path.join(root, 'strategies', 'mine.js'))).toBeUndefined();
  });
});
