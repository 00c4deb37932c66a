import path from 'node:path';
import { listStrategies, loadStrategy } from '../strategy/load-strategy';
import type { ParamSpec } from '../strategy/types';
import type { MainIO } from './main-io';

/**
 * `strategies`: every strategy in strategies/ with its description and parameters (default and bounds), so
 * a user can see what `--strategy` and `--params` accept without opening the files. A file that does not
 * load is listed with its error rather than hiding the others.
 */
export function listStrategiesCommand(io: MainIO): number {
  const dir = path.join(io.projectRoot, 'strategies');
  const names = listStrategies(dir);
  const blocks = names.map((name) => {
    try {
      const definition = loadStrategy(name, dir);
      const params = Object.entries(definition.params as Record<string, ParamSpec>);
      const lines = [`${definition.name}: ${definition.description}${definition.timeframe ? ` (designed for ${definition.timeframe})` : ''}`];
      if (params.length === 0) lines.push('  (no parameters)');
      for (const [key, spec] of params) lines.push(`  ${key.padEnd(16)} ${describeSpec(spec)}${spec.description ? `  ${spec.description}` : ''}`);
      return lines.join('\n');
    } catch (err) {
      return `${name}: cannot be loaded: ${err instanceof Error ? err.message : String(err)}`;
    }
  });
  io.stdout.write(`${blocks.join('\n\n')}\n`);
  return 0;
}

function describeSpec(spec: ParamSpec): string {
  switch (spec.type) {
    case 'number': {
      const bounds = [spec.min !== undefined ? `min ${spec.min}` : '', spec.max !== undefined ? `max ${spec.max}` : ''].filter(Boolean).join(', ');
      return `${spec.integer ? 'integer' : 'number'}, default ${spec.default}${bounds ? `, ${bounds}` : ''}`;
    }
    case 'boolean':
      return `boolean, default ${spec.default}`;
    case 'string':
      return `string, default "${spec.default}"${spec.values ? `, one of ${spec.values.join(' | ')}` : ''}`;
  }
}
