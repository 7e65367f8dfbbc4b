/**
 * A chart's SVG (as renderSvg writes it) as PNG, with resvg: no browser, no canvas, and
 * no system fonts. Every text is drawn with the font shipped in the package's fonts/
 * (Liberation Sans, regular and bold), so the same SVG gives the same bytes on every
 * machine of one platform, whatever fonts it has installed.
 *
 * Why Liberation Sans: its advance widths are Arial's, so the PNG's text takes the room it
 * takes when a browser draws the SVG with Arial or Helvetica. Why the bold face too: vega
 * draws chart, axis and legend titles in bold, and resvg does not synthesize bold (with the
 * regular face alone a title comes out regular).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ResvgRenderOptions, renderAsync } from '@resvg/resvg-js';

/**
 * The PNG has this many pixels per SVG pixel: a 762×119 chart becomes 1524×238, sharp
 * on high-density screens and in print, at a few tens of kilobytes a chart.
 */
export const pngScale = 2;

/** The family name inside the shipped font files (their 'name' table says so). */
const family = 'Liberation Sans';

/**
 * The shipped font files, found from this module's own place: src/report/ (tsx, vitest)
 * and dist/report/ (compiled, in this checkout or in an installed package) are both two
 * levels under the package root, where fonts/ is.
 */
export const fontFiles: readonly string[] = [
  'LiberationSans-Regular.ttf',
  'LiberationSans-Bold.ttf',
].map((name) => fileURLToPath(new URL(`../../fonts/${name}`, import.meta.url)));

const options: ResvgRenderOptions = {
  fitTo: { mode: 'zoom', value: pngScale },
  // vega's SVGs paint a white background of their own; this also covers a spec without one.
  background: 'white',
  font: {
    // The machine's fonts would make the image depend on the machine.
    loadSystemFonts: false,
    fontFiles: [...fontFiles],
    // Every generic family, and any family the font set lacks, is the shipped font. (resvg
    // falls back to some loaded font anyway; naming it leaves nothing to that choice.)
    defaultFontFamily: family,
    sansSerifFamily: family,
    serifFamily: family,
    monospaceFamily: family,
    cursiveFamily: family,
    fantasyFamily: family,
  },
};

/**
 * The PNG of an SVG document, `pngScale` times its size, on white, with every text in the
 * shipped font. Deterministic: the same SVG gives the same bytes (the PNG holds no time
 * or other metadata). The drawing runs on libuv's thread pool, off the event loop.
 */
export async function renderPng(svg: string): Promise<Buffer> {
  // Without its font file resvg still renders, silently leaving every text out.
  for (const file of fontFiles)
    if (!existsSync(file))
      throw new Error(`the charts' font ${file} is missing: the package's fonts/ was not shipped`);
  const image = await renderAsync(svg, options);
  return image.asPng();
}

/**
 * The PNG of each chart among a report's files (`charts/<name>.svg` → `charts/<name>.png`),
 * in the files' order: what `--png` adds to a report.
 */
export async function chartPngs(
  files: readonly { readonly path: string; readonly content: string }[],
): Promise<{ path: string; bytes: Buffer }[]> {
  const charts = files.filter((f) => f.path.startsWith('charts/') && f.path.endsWith('.svg'));
  const pngs = await Promise.all(charts.map((f) => renderPng(f.content)));
  return charts.map((f, i) => ({ path: f.path.replace(/\.svg$/, '.png'), bytes: pngs[i]! }));
}
