/**
 * The report page in a real browser: Debian's Chromium, headless, driven by playwright-core.
 * It must render every chart with a size, show the verdict, log no error, request nothing
 * (it is self-contained), and show hostile names as text. A screenshot is kept beside it.
 *
 * Without /usr/bin/chromium the test is skipped, unless DISPATCHLAB_REQUIRE_BROWSER is set:
 * `.ci/run` installs Chromium and sets it, so in CI a missing browser fails.
 */
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import { buildReport } from '../../src/report/report.js';
import { scenarioOf, tinyInput } from '../experiment/helpers.js';

const executablePath = '/usr/bin/chromium';
const required = process.env.DISPATCHLAB_REQUIRE_BROWSER !== undefined;
const available = existsSync(executablePath);

describe.skipIf(!available && !required)('the report page, in Chromium', () => {
  it('renders every chart and the verdict, requests nothing, logs no error, escapes names', async () => {
    expect(available, `${executablePath} is missing: apt-get install chromium`).toBe(true);
    const input = tinyInput();
    input.name = '<script>window.hacked = 1</script>';
    input.tokens = { output: { dispatch: 100 }, subagentPerSecond: 3000 };
    input.prices = { subagent: { input: 3 } };
    (input.strategies as Record<string, unknown>[])[1]!.label =
      '<img src=x onerror="window.hacked = 2">';
    const doc = await compare(scenarioOf(input));
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-browser-'));
    for (const f of await buildReport(doc)) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    const page = join(dir, 'index.html');

    const browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const tab = await browser.newPage();
      const problems: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      tab.on('pageerror', (e) => problems.push(e.message));
      const requests: string[] = [];
      tab.on('request', (r) => {
        if (r.url() !== pathToFileURL(page).href) requests.push(r.url());
      });
      await tab.goto(pathToFileURL(page).href);

      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      expect(await tab.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();
      expect(await tab.locator('script').count()).toBe(0);
      expect(await tab.locator('h1').textContent()).toContain('<script>window.hacked = 1</script>');

      const verdict = tab.locator('#verdict');
      expect(await verdict.isVisible()).toBe(true);
      expect(await verdict.textContent()).toMatch(/^Verdict: /);

      const charts = tab.locator('figure svg');
      expect(await charts.count()).toBe(4);
      for (const chart of await charts.all()) {
        const box = await chart.boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
        expect(box?.height ?? 0).toBeGreaterThan(50);
      }

      const shot = join(dir, 'screenshot.png');
      await tab.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
