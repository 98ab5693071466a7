// Screenshots of the sample blog's theme (issue 8) for docs/screenshots/:
// home, a post, its comments, a tag page and the comment form's error page,
// at 1280 and 390 px wide, light and dark, from a real `kiln serve` on
// loopback in headless Chromium. Run by scripts/screenshots.sh.
//
// Usage: node tests/browser/screenshots.mjs KILN_BINARY OUT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { makeSite, startKiln } from './kiln_server.mjs';

const [kiln, outDir] = process.argv.slice(2);
if (!kiln || !outDir) {
  console.error('usage: node tests/browser/screenshots.mjs KILN_BINARY OUT_DIR');
  process.exit(2);
}

// A short conversation, so the post shows its comments as a blog would.
const kComments = [
  ['Ada', 'Nice write-up. Does the **no-op check** also cover static files?'],
  ['Grace', 'It does: every input file is stat\'ed.\n\n```sh\nkiln build --explain\n```\n\nshows why a page was rendered.'],
  ['Linus', 'Numbers in [the benchmarks](/posts/measuring-a-no-op-build/) match what I see on my blog.'],
];

const kPages = [
  ['home', async (origin) => `${origin}/`],
  ['post', async (origin) => `${origin}/posts/hello-kiln/`],
  ['comments', async (origin) => `${origin}/posts/hello-kiln/#comments`],
  ['tag', async (origin) => {
    const html = await (await fetch(`${origin}/tags/`)).text();
    const m = html.match(/href="(\/tags\/[^"/]+\/)"/);
    if (!m) throw new Error('no tag link on /tags/');
    return `${origin}${m[1]}`;
  }],
];

async function postComments(origin) {
  for (const [author, body] of kComments) {
    const res = await fetch(`${origin}/api/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ post: 'hello-kiln', author, body }),
    });
    if (res.status !== 201) throw new Error(`POST comment: ${res.status} ${await res.text()}`);
  }
}

// The page a reader sees after sending the form with an empty comment.
async function openErrorPage(page, origin) {
  await page.goto(`${origin}/posts/hello-kiln/`, { waitUntil: 'load' });
  await page.fill('#comment-author', 'Ada');
  await page.evaluate(() => document.querySelector('#comment-body').removeAttribute('required'));
  await Promise.all([page.waitForNavigation(), page.click('.comment-form button[type=submit]')]);
}

async function shoot(browser, origin, width, scheme) {
  const height = width > 800 ? 800 : 844;
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
  const page = await context.newPage();
  for (const [name, urlOf] of kPages) {
    await page.goto(await urlOf(origin), { waitUntil: 'load' });
    await page.screenshot({ path: join(outDir, `${name}-${width}-${scheme}.png`) });
  }
  await openErrorPage(page, origin);
  await page.screenshot({ path: join(outDir, `comment-error-${width}-${scheme}.png`) });
  await context.close();
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const site = makeSite(kiln, [[/rate_limit_per_minute = \d+/, 'rate_limit_per_minute = 0']]);
  let server;
  let browser;
  try {
    server = await startKiln(kiln, site.site);
    await postComments(server.origin);
    browser = await launchChromium();
    for (const width of [1280, 390]) {
      for (const scheme of ['light', 'dark']) await shoot(browser, server.origin, width, scheme);
    }
  } finally {
    if (browser) await browser.close();
    if (server) await server.stop();
    site.remove();
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exitCode = 1;
});
