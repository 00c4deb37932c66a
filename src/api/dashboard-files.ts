import type { FastifyInstance } from 'fastify';

/** A file of the dashboard, by URL path: '/' the page, '/assets/…' its scripts and styles. */
export interface DashboardFile {
  type: string;
  body: string | Buffer;
}

/** The page runs only its own scripts and styles and talks only to this server; nothing may frame it. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves the dashboard's files without auth: they hold no data (the page asks for the token, then calls the
 * API with it), and a browser cannot send a bearer token when it loads a page.
 */
export function registerDashboardFiles(app: FastifyInstance, files: ReadonlyMap<string, DashboardFile>): void {
  for (const [url, file] of files) {
    app.get(url, { config: { public: true } }, async (_request, reply) =>
      reply
        .header('content-type', file.type)
        .header('content-security-policy', DASHBOARD_CSP)
        .header('referrer-policy', 'no-referrer')
        .send(file.body),
    );
  }
}
