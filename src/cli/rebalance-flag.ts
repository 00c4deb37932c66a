import fs from 'node:fs';
import { errorMessage, UserError } from '../core/errors';
import { findJsonSyntaxError } from '../config/json-syntax-error';

/**
 * `--rebalance <json or file>`: inline JSON when the text starts with "{", a file path otherwise. Only the
 * reading is done here; what the object may hold is the config format's to say (bot-rebalance), which
 * names the flag and the key.
 */
export function parseRebalanceFlag(text: string): unknown {
  const inline = text.trim().startsWith('{');
  let json = text;
  if (!inline) {
    try {
      json = fs.readFileSync(text, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(`--rebalance ${text}: ${code === 'ENOENT' ? 'no such file, and it is not inline JSON (which starts with "{")' : `the file cannot be read (${code ?? errorMessage(err)})`}`);
    }
  }
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    const problem = findJsonSyntaxError(json);
    const where = problem ? `${problem.reason} at line ${problem.line}, column ${problem.column}` : errorMessage(err);
    throw new UserError(`--rebalance ${inline ? 'is' : `file ${text} is`} not valid JSON (${where}); give an object like '{"targets": {"BTC": 50, "USDT": 50}}'`);
  }
}
