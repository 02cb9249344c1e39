import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** The font's subsets Polish needs: ó is Latin-1, ąćęłńśźż are Latin Extended-A. */
const FONT_SUBSETS = ['latin', 'latin-ext'];
/** Regular for the secondary lines, bold for the main ones. */
const FONT_WEIGHTS = ['400', '700'];
const FONT = '@fontsource/atkinson-hyperlegible';

/**
 * The screen's page template and the files it loads, read once at start: its own from src/pages/screen, the
 * graphql-ws browser build and the font from the packages that ship them (no CDN: a meeting room may be offline).
 */
export function screenFiles(): { page: string; assets: Map<string, Asset> } {
  const own = path.join(projectRoot(), 'src', 'pages', 'screen');
  // graphql-ws exports no path to its browser build; it sits beside the package's dist/.
  const graphqlWs = path.join(path.dirname(require.resolve('graphql-ws')), '..', 'umd', 'graphql-ws.min.js');
  const text = (body: Buffer | string, type: string): Asset => ({
    type: `${type}; charset=utf-8`,
    body: Buffer.from(body),
  });
  const assets = new Map<string, Asset>([
    ['screen.js', text(readFileSync(path.join(own, 'screen.js')), 'text/javascript')],
    ['screen.css', text(readFileSync(path.join(own, 'screen.css')), 'text/css')],
    ['graphql-ws.js', text(readFileSync(graphqlWs), 'text/javascript')],
  ]);
  const fontFiles = path.dirname(require.resolve(`${FONT}/files/atkinson-hyperlegible-latin-400-normal.woff2`));
  // Each subset's range as the package states it, so the browser loads a file only for the letters it shows.
  const ranges = JSON.parse(readFileSync(path.join(fontFiles, '..', 'unicode.json'), 'utf8')) as Record<string, string>;
  const faces: string[] = [];
  for (const subset of FONT_SUBSETS) {
    for (const weight of FONT_WEIGHTS) {
      const name = `atkinson-hyperlegible-${subset}-${weight}-normal.woff2`;
      assets.set(name, { type: 'font/woff2', body: readFileSync(path.join(fontFiles, name)) });
      faces.push(
        `@font-face { font-family: 'Atkinson Hyperlegible'; font-style: normal; font-weight: ${weight}; ` +
          `font-display: block; src: url(/screen/assets/${name}) format('woff2'); unicode-range: ${ranges[subset]}; }`,
      );
    }
  }
  assets.set('fonts.css', text(faces.join('\n') + '\n', 'text/css'));
  return { page: readFileSync(path.join(own, 'screen.html'), 'utf8'), assets };
}

/** The folder with package.json: src/transport/http under ts-jest, dist/src/transport/http when built. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('screen pages: no package.json above ' + __dirname);
    dir = parent;
  }
  return dir;
}
