// Screenshots of the sample blog's theme (issue 8) for docs/screenshots/:
// home, a post, its comments, its replies (a thread with a reply form
// open), a tag page, the comment form's error page and the page a reader
// sees when a comment is held for moderation,
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

// A short conversation, so the post shows its comments as a blog would:
// [author, body, index of the comment replied to]. Linus answers Grace's
// reply (third level); Ada's answer to Linus is shown beside it, at the cap.
const kComments = [
  ['Ada', 'Nice write-up. Does the **no-op check** also cover static files?'],
  ['Grace', 'It does: every input file is stat\'ed.\n\n```sh\nkiln build --explain\n```\n\nshows why a page was rendered.', 0],
  ['Linus', 'Numbers in [the benchmarks](/posts/measuring-a-no-op-build/) match what I see on my blog.', 1],
  ['Ada', 'Thanks, both. Good to know it holds up on a real blog.', 2],
  ['Margaret', 'Is there a way to see which template a page was rendered with?'],
];

const kPages = [
  ['home', async (origin) => `${origin}/`],
  ['post', async (origin) => `${origin}/posts/hello-kiln/`],
  ['comments', async (origin) => `${origin}/posts/hello-kiln/#comments`],
  ['replies', async (origin, ids) => `${origin}/posts/hello-kiln/#comment-${ids[2]}`],
  ['tag', async (origin) => {
    const html = await (await fetch(`${origin}/tags/`)).text();
    const m = html.match(/href="(\/tags\/[^"/]+\/)"/);
    if (!m) throw new Error('no tag link on /tags/');
    return `${origin}${m[1]}`;
  }],
];

// Posts kComments in order; the ids the server gave them.
async function postComments(origin) {
  const ids = [];
  for (const [author, body, replyTo] of kComments) {
    const comment = { post: 'hello-kiln', author, body };
    if (replyTo !== undefined) comment.parent = ids[replyTo];
    const res = await fetch(`${origin}/api/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(comment),
    });
    if (res.status !== 201) throw new Error(`POST comment: ${res.status} ${await res.text()}`);
    ids.push((await res.json()).id);
  }
  return ids;
}

// The page a reader sees after sending the form with a mistyped email
// address: the message beside that field, the comment still there.
async function openErrorPage(page, origin) {
  await page.goto(`${origin}/posts/hello-kiln/`, { waitUntil: 'load' });
  await page.fill('#comment-author', 'Ada');
  await page.fill('#comment-email', 'ada(at)example.org');
  await page.fill('#comment-body', 'Great post! One question: does `kiln serve` rebuild when a template changes, or only with --watch?');
  await page.evaluate(() => { document.querySelector('form.comment-form:not(.reply-form)').noValidate = true; });
  await Promise.all([page.waitForNavigation(),
    page.click('form.comment-form:not(.reply-form) button[type=submit]')]);
}

// The answer to a comment sent through the form of a site whose comments
// wait for approval ([comments] moderation = "manual").
async function openModerationNotice(page, origin) {
  await page.goto(`${origin}/posts/hello-kiln/`, { waitUntil: 'load' });
  await page.fill('#comment-author', 'Ada');
  await page.fill('#comment-body', 'Thanks for the write-up: I moved my blog over this weekend.');
  await Promise.all([page.waitForNavigation(),
    page.click('form.comment-form:not(.reply-form) button[type=submit]')]);
  const text = await page.textContent('body');
  if (!/approv|moderat/i.test(text)) throw new Error(`no moderation notice: ${text.slice(0, 200)}`);
}

async function shoot(browser, origin, moderatedOrigin, ids, width, scheme) {
  const height = width > 800 ? 800 : 844;
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
  const page = await context.newPage();
  for (const [name, urlOf] of kPages) {
    await page.goto(await urlOf(origin, ids), { waitUntil: 'load' });
    // The thread with one reply form open, as after a click on "Reply".
    if (name === 'replies') await page.click(`#comment-${ids[2]} > details.reply > summary`);
    await page.screenshot({ path: join(outDir, `${name}-${width}-${scheme}.png`) });
  }
  await openErrorPage(page, origin);
  await page.screenshot({ path: join(outDir, `comment-error-${width}-${scheme}.png`) });
  await openModerationNotice(page, moderatedOrigin);
  await page.screenshot({ path: join(outDir, `comment-held-${width}-${scheme}.png`) });
  await context.close();
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const noLimit = [/rate_limit_per_minute = \d+/, 'rate_limit_per_minute = 0'];
  const site = makeSite(kiln, [noLimit]);
  const moderated = makeSite(kiln, [noLimit, [/moderation = "auto"/, 'moderation = "manual"']]);
  let server;
  let moderatedServer;
  let browser;
  try {
    server = await startKiln(kiln, site.site);
    moderatedServer = await startKiln(kiln, moderated.site);
    const ids = await postComments(server.origin);
    browser = await launchChromium();
    for (const width of [1280, 390]) {
      for (const scheme of ['light', 'dark']) {
        await shoot(browser, server.origin, moderatedServer.origin, ids, width, scheme);
      }
    }
  } finally {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (moderatedServer) await moderatedServer.stop();
    site.remove();
    moderated.remove();
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exitCode = 1;
});
