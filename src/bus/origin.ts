import { randomBytes } from 'node:crypto';

/**
 * A name for this process's bus, different from every other process's: the pid, which the operating system
 * keeps unique among running processes, and 32 random bits, which keep it unique across restarts and machines.
 * Made once per bus, so every envelope shares the same string.
 */
export function newBusOrigin(): string {
  return `${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`;
}
