import { isIP } from 'node:net';

/** localhost, ::1 or any 127.x.x.x address: only this machine can reach it. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * The host (and port) of a URL that leads to this machine, for a message: without the user and password a
 * URL may carry. Undefined for any other URL, or one that does not parse.
 */
export function loopbackHostOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  // URL keeps the brackets of an IPv6 literal: http://[::1]:8080 has the hostname "[::1]".
  return isLoopbackHost(parsed.hostname.replace(/^\[(.*)\]$/, '$1')) ? parsed.host : undefined;
}
