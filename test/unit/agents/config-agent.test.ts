import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConfigChanged } from '../../../src/bus/topics';
import type { FileWatcher } from '../../../src/config/watch-file';
import { DEFAULT_CONFIG_FILE, testApp } from '../../helpers/test-app';

/** A file watcher the test triggers by hand. */
function manualWatcher() {
  const watched = new Map<string, () => void>();
  const watchFile: FileWatcher = (file, onChange) => {
    watched.set(file, onChange);
    return () => watched.delete(file);
  };
  return { watchFile, watched, fire: (file: string) => watched.get(file)?.() };
}

function configFile(content: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'config-agent-')), 'bot.json');
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

async function startedApp(content: object) {
  const file = configFile(content);
  const watcher = manualWatcher();
  const app = testApp({ configFile: file, watchFile: watcher.watchFile, env: { BOT_CONFIG_WATCH: 'true' } });
  const changes: ConfigChanged[] = [];
  app.bus.subscribe('test', 'config.changed', ({ payload }) => {
    changes.push(payload);
  });
  await app.orchestrator.startAll();
  const rewrite = (next: object | string) => {
    fs.writeFileSync(file, typeof next === 'string' ? next : JSON.stringify(next));
    watcher.fire(file);
  };
  return { app, file, watcher, changes, rewrite };
}

describe('ConfigAgent', () => {
  it('serves the frozen configuration on config.get', async () => {
    const { app } = await startedApp({ risk: { maxOpenPositions: 2 } });
    const config = await app.bus.request('test', 'config.get', {});
    expect(config.risk.maxOpenPositions).toBe(2);
    expect(Object.isFrozen(config.risk)).toBe(true);
  });

  it('watches the default file and the --config file while running, and stops watching on stop', async () => {
    const { app, watcher, file } = await startedApp({});
    // The config files, and the strategy files the AnalysisAgent watches for hot reload.
    expect([...watcher.watched.keys()].filter((f) => !f.includes(`${path.sep}strategies${path.sep}`)).sort()).toEqual([DEFAULT_CONFIG_FILE, file].sort());
    await app.orchestrator.stopAll('test');
    expect(watcher.watched.size).toBe(0);
  });

  it('applies a reloadable key changed on disk, announces it, and other agents see it', async () => {
    const { app, changes, rewrite } = await startedApp({ log: { level: 'info' } });
    rewrite({ log: { level: 'debug' }, risk: { maxOpenPositions: 7 } });
    expect(changes).toEqual([
      {
        applied: [
          { key: 'log.level', from: 'info', to: 'debug' },
          { key: 'risk.maxOpenPositions', from: 3, to: 7 },
        ],
        needRestart: [],
      },
    ]);
    const config = await app.bus.request('test', 'config.get', {});
    expect(config.log.level).toBe('debug');
    // The monitor applies the new log level to the root logger.
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.logger.level).toBe('debug');
  });

  it('warns that a restart is needed for a key that cannot change at run time, and keeps the old value', async () => {
    const { app, changes, rewrite } = await startedApp({});
    rewrite({ orchestrator: { startTimeoutMs: 2000 } });
    expect(changes).toEqual([]);
    expect(app.logger.messages('warn')).toContain('orchestrator.startTimeoutMs changed in the configuration; restart the bot to apply it');
    const config = await app.bus.request('test', 'config.get', {});
    expect(config.orchestrator.startTimeoutMs).toBe(10_000);
  });

  it('rejects a broken file on reload and keeps running on the old configuration', async () => {
    const { app, changes, rewrite } = await startedApp({ risk: { maxOpenPositions: 2 } });
    rewrite('{ "risk": { "maxOpenPositions": 0 } }');
    expect(changes).toEqual([]);
    expect(app.logger.messages('warn').join('\n')).toMatch(/config reload rejected, keeping the running configuration: .*maxOpenPositions/);
    const config = await app.bus.request('test', 'config.get', {});
    expect(config.risk.maxOpenPositions).toBe(2);
  });

  it('does not watch files when config.watch is off', async () => {
    const watcher = manualWatcher();
    const app = testApp({ watchFile: watcher.watchFile, env: { BOT_CONFIG_WATCH: 'false' } });
    await app.orchestrator.startAll();
    expect(watcher.watched.size).toBe(0);
  });
});
