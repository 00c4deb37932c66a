import vm from 'node:vm';
import { dashboardFiles } from '../../../src/api/dashboard/dashboard-files';

/** The dashboard's files as the server sends them: complete, typed, and fit for a CSP without 'unsafe-inline'. */
describe('dashboardFiles', () => {
  const files = dashboardFiles();
  const page = files.get('/')!.body;

  it('has the page and its three assets, each with its type, read once', () => {
    expect([...files.keys()].sort()).toEqual(['/', '/assets/dashboard.css', '/assets/dashboard.js', '/assets/lightweight-charts.js']);
    expect(files.get('/')!.type).toMatch(/^text\/html/);
    expect(files.get('/assets/dashboard.css')!.type).toMatch(/^text\/css/);
    expect(files.get('/assets/dashboard.js')!.type).toMatch(/^text\/javascript/);
    expect(files.get('/assets/lightweight-charts.js')!.body).toContain('LightweightCharts');
    expect(dashboardFiles()).toBe(files);
  });

  it('references only its own assets, and nothing the CSP would refuse: no inline script, style or handler', () => {
    const references = [...page.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    for (const ref of references) {
      if (ref.startsWith('/assets/')) expect(files.has(ref)).toBe(true);
      else expect(ref === 'data:,' || ref.startsWith('https://www.tradingview.com/')).toBe(true);
    }
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)/i);
    expect(page).not.toMatch(/<style/i);
    expect(page).not.toMatch(/\sstyle=/i);
    expect(page).not.toMatch(/\son[a-z]+=/i);
  });

  it('ships a script that parses and never writes HTML from data', () => {
    const script = files.get('/assets/dashboard.js')!.body;
    expect(() => new vm.Script(script)).not.toThrow();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
