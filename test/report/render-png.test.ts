/**
 * The charts as PNG: real charts of a small comparison, drawn at twice their SVG size,
 * byte for byte the same in this process and in another one running the compiled module,
 * with their text drawn in the shipped font, bold where vega asks for bold.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/compare.js';
import { chartsOf } from '../../src/report/charts.js';
import { fontFiles, pngScale, renderPng } from '../../src/report/render-png.js';
import { renderSvg } from '../../src/report/render-svg.js';
import { loadScenario } from '../../src/scenario/load.js';

const root = join(import.meta.dirname, '../..');

/** Every chart of small-team over 10 seeds, as SVG, by name. */
let svgs: Map<string, string>;

beforeAll(async () => {
  const scenario = await loadScenario(join(root, 'scenarios/small-team.yaml'));
  const doc = await compare(scenario, { seeds: { start: 0, count: 10 } });
  const charts = chartsOf(doc);
  svgs = new Map(
    await Promise.all(charts.map(async (c) => [c.name, await renderSvg(c.spec)] as const)),
  );
});

/** The cost chart: a bold title, bold axis titles, a legend, points and rules. */
function costChart(): string {
  const svg = svgs.get('cost-makespan');
  if (svg === undefined) throw new Error(`no cost chart among ${[...svgs.keys()].join(', ')}`);
  return svg;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG's chunk types in order (IDAT runs collapsed to one). */
function chunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (types.at(-1) !== type) types.push(type);
    at += 12 + length;
  }
  return types;
}

function svgSize(svg: string): { width: number; height: number } {
  const size = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  if (size === null) throw new Error(`no size on ${svg.slice(0, 200)}`);
  return { width: Number(size[1]), height: Number(size[2]) };
}

describe('renderPng', () => {
  it('draws every chart as a PNG twice the size of its SVG, with no metadata', async () => {
    expect([...svgs.keys()]).toEqual(['objective', 'paired', 'time-split', 'cost-makespan']);
    expect(pngScale).toBe(2);
    for (const [name, svg] of svgs) {
      const png = await renderPng(svg);
      expect(png.subarray(0, 8).equals(pngSignature), name).toBe(true);
      const { width, height } = svgSize(svg);
      // IHDR is the first chunk: width and height at bytes 16 and 20.
      expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }, name).toEqual({
        width: 2 * width,
        height: 2 * height,
      });
      // No tIME, tEXt, pHYs...: nothing that could differ between two renderings.
      expect(chunkTypes(png), name).toEqual(['IHDR', 'IDAT', 'IEND']);
    }
  });

  it('gives the same bytes for the same SVG, concurrently too', async () => {
    const svg = costChart();
    const [a, b, c] = await Promise.all([renderPng(svg), renderPng(svg), renderPng(svg)]);
    expect(b!.equals(a!)).toBe(true);
    expect(c!.equals(a!)).toBe(true);
    // ...and different bytes for a different chart, so the comparison can fail.
    expect((await renderPng(svgs.get('objective')!)).equals(a!)).toBe(false);
  });

  it('gives the same bytes in another process, from the compiled module in dist/', async () => {
    // The vitest global setup has built dist/; the compiled module finds fonts/ from there.
    const compiled = join(root, 'dist/report/render-png.js');
    expect(existsSync(compiled), compiled).toBe(true);
    const svg = costChart();
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { readFileSync } from 'node:fs';
         const { renderPng } = await import(process.argv[1]);
         process.stdout.write(await renderPng(readFileSync(0, 'utf8')));`,
        pathToFileURL(compiled).href,
      ],
      { input: svg, maxBuffer: 64 * 1024 * 1024 },
    );
    expect({ status: child.status, stderr: child.stderr.toString() }).toEqual({
      status: 0,
      stderr: '',
    });
    expect(child.stdout.equals(await renderPng(svg))).toBe(true);
  });

  it('draws the text: without its <text> elements the chart comes out different', async () => {
    // resvg draws no text at all when it finds no font, so this fails without fonts/.
    const svg = costChart();
    const bare = svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, '');
    expect(bare.length).toBeLessThan(svg.length - 500);
    expect(bare).not.toContain('<text');
    expect((await renderPng(bare)).equals(await renderPng(svg))).toBe(false);
  });

  it('draws the titles in the bold face, which resvg would not make up from the regular one', async () => {
    const svg = costChart();
    const titles = svg.match(/font-weight="bold"/g) ?? [];
    expect(titles.length).toBeGreaterThanOrEqual(3); // the chart's, the two axes'
    const regular = svg.replaceAll(' font-weight="bold"', '');
    expect((await renderPng(regular)).equals(await renderPng(svg))).toBe(false);
  });

  it('draws every family with the shipped font, never with one the machine has', async () => {
    const svg = costChart();
    expect(svg).toContain('font-family="sans-serif"');
    const png = await renderPng(svg);
    // Many machines have the four `installed` families (on Debian, fontconfig brings
    // fonts-dejavu-core and Chromium recommends fonts-liberation): where one is, drawing
    // with the machine's fonts would fail this.
    const families = ['serif', 'monospace', 'cursive', 'fantasy', 'No Such Font'];
    const installed = ['DejaVu Sans', 'DejaVu Serif', 'Liberation Serif', 'Liberation Mono'];
    for (const family of [...families, ...installed, 'Arial', 'Helvetica', 'Times New Roman']) {
      const other = svg.replaceAll('font-family="sans-serif"', `font-family="${family}"`);
      expect((await renderPng(other)).equals(png), family).toBe(true);
    }
  });

  it('finds the shipped fonts beside the package, with their licence', () => {
    expect(fontFiles.map((f) => f.slice(root.length + 1))).toEqual([
      'fonts/LiberationSans-Regular.ttf',
      'fonts/LiberationSans-Bold.ttf',
    ]);
    for (const file of fontFiles) expect(existsSync(file), file).toBe(true);
    expect(existsSync(join(root, 'fonts/LICENSE-LiberationSans.txt'))).toBe(true);
  });
});
