import path from 'node:path';
import { projectRoot } from '../boot/compiled-build';

/**
 * Where the command line finds its files (src/cli/main-io.ts does the same), so a test run reads the very
 * config/default.json and strategies/ that `backtest` reads.
 */
export const PROJECT_ROOT = projectRoot();
export const STRATEGIES_DIR = path.join(PROJECT_ROOT, 'strategies');
export const DEFAULT_CONFIG_FILE = path.join(PROJECT_ROOT, 'config', 'default.json');
