import path from 'node:path';
import { launchBrowser, startTestServer, waitFor } from '../support';

/**
 * `npm run screens`: the screenshots in docs/screens/, made from a real server in Chromium (not part of `npm test`:
 * only `*.screens.ts` files, picked by the script's --testMatch). Each screen adds its own file here.
 */
const SCREENS = path.join(__dirname, '..', '..', 'docs', 'screens');

it('docs/screens/explorer.png: the explorer with the README’s first example run', async () => {
  const server = await startTestServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(new URL('/explorer', server.url).href);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await page.locator('.graphiql-execute-button').click();
    await waitFor(
      async () => (await page.locator('.result-window').innerText()).includes('councilSeats'),
      'the first example’s result',
    );
    await page.screenshot({ path: path.join(SCREENS, 'explorer.png') });
  } finally {
    await browser.close();
    await server.stop();
  }
});
