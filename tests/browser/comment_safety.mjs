// Browser test of comment safety (issue 7; SPEC.md, "Comments": "nothing a
// commenter writes can run script in a reader's browser").
//
// Posts every hostile body of tests/fixtures/hostile_comments.json, each
// under a hostile author name, through the JSON API of a real `kiln serve`
// on loopback, then loads the post in headless Chromium and proves that:
//  - no dialog opened, no page error was thrown, window.__pwned (which some
//    payloads set) stayed unset, and no popup opened: on load, after
//    hovering every comment, and after clicking every link in every comment;
//  - the page asked for nothing but its own server (no tracking pixel);
//  - the only <script> is the page's own JSON-LD, and inside the comments
//    there is no element beyond what markdown makes, no event handler or
//    style attribute, and every link's protocol, as Chromium parses it, is
//    http:, https: or mailto:;
//  - it is not vacuous: every comment is on the page, each author's name is
//    shown as the text that was sent, and plain words of a body show;
//  - the comment form's error page (issue 8) keeps what was typed inert: the
//    form is sent from Chromium with no name and hostile payloads as the
//    comment, and the page that comes back (422, the theme's, with a
//    viewport) shows the text back in the textarea exactly as typed, runs
//    no script, has no <script> and loads nothing from outside.
//
// Usage: node tests/browser/comment_safety.mjs KILN_BINARY [SCREENSHOT.png]
// Prints one line per check and "N passed, N failed"; exits 1 on a failure.
import { readFileSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';
import { makeSite, startKiln } from './kiln_server.mjs';
import { auditComments } from './comment_audit.mjs';

const kDeadlineMs = 240_000;
const [kiln, screenshot] = process.argv.slice(2);
if (!kiln) {
  console.error('usage: node tests/browser/comment_safety.mjs KILN_BINARY [SCREENSHOT.png]');
  process.exit(2);
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/hostile_comments.json', import.meta.url)));
const bodies = [...fixture.script, ...fixture.cmark_lets_through];
// Names that only make sense as names, then every one-line payload.
const kNames = [
  'Robert\'); DROP TABLE comments;--', '{{author}}', '{{{body_html}}}', '&lt;b&gt;Bold&lt;/b&gt;',
  '"><svg onload=alert(1)>', '\'onmouseover=\'alert(1)', '\u202eevil\u202c', 'A&amp;B <b>',
];
const names = [...kNames, ...bodies.filter((b) => !/[\x00-\x1f\x7f]/.test(b))];

let passed = 0;
let failed = 0;
function check(ok, what, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `\n     ${detail}` : ''}`);
}

// The name sent with comment `i`: numbered so each comment can be found,
// cut to the 100 code points the API allows, as the server trims it.
function authorOf(i) {
  return Array.from(`${i + 1}. ${names[i % names.length]}`).slice(0, 100).join('').trim();
}

async function postComments(origin) {
  const accepted = [];
  let url = null;
  let refused = 0;
  for (let i = 0; i < bodies.length; i++) {
    const author = authorOf(i);
    const res = await fetch(`${origin}/api/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ post: 'hello-kiln', author, body: bodies[i] }),
    });
    // The API refuses control characters other than tab and newlines (422);
    // the C++ tests render those bodies directly.
    const expected = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(bodies[i]) ? 422 : 201;
    if (res.status !== expected) {
      check(false, `POST comment ${i + 1} answered ${res.status}, expected ${expected}`, await res.text());
      continue;
    }
    if (res.status === 422) {
      refused++;
      continue;
    }
    url ??= (await res.json()).url.replace(/#.*/, '');
    accepted.push({ author, body: bodies[i] });
  }
  check(accepted.length >= 150, `${accepted.length} hostile comments stored through the API ` +
        `(${refused} with control characters refused with 422)`);
  return { accepted, postUrl: `${origin}${url}` };
}

// Everything that would show that script ran, gathered from the page.
function watch(context, page, origin) {
  const seen = { dialogs: [], errors: [], popups: [], offOrigin: [], clicking: false };
  page.on('dialog', (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  context.on('page', (p) => seen.popups.push(p.url()));
  // Nothing leaves loopback. A click on a comment's outside link lands on a
  // stub page (a navigation, not a load the page made by itself).
  context.route('**/*', (route) => {
    const request = route.request();
    if (request.url().startsWith(`${origin}/`)) return route.continue();
    if (seen.clicking && request.isNavigationRequest()) {
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>outside</p>' });
    }
    seen.offOrigin.push(request.url());
    return route.abort();
  });
  return seen;
}

function noScriptRan(seen, pwned, when) {
  check(seen.dialogs.length === 0, `no dialog opened ${when}`, seen.dialogs.join('; '));
  check(seen.errors.length === 0, `no page error ${when}`, seen.errors.join('; '));
  check(pwned === undefined, `window.__pwned unset ${when}`, String(pwned));
  check(seen.popups.length === 0, `no popup ${when}`, seen.popups.join(' '));
}

async function checkPage(page, seen, accepted) {
  const count = await page.locator('.comment-list > li.comment').count();
  check(count === accepted.length, `all ${accepted.length} comments are on the page`, `found ${count}`);
  const authors = await page.locator('.comment-author').allTextContents();
  const sent = accepted.map((c) => c.author);
  const wrong = sent.filter((a, i) => authors[i] !== a);
  check(wrong.length === 0, 'every author name shows as the text sent', wrong.slice(0, 3).join(' | '));
  const text = await page.locator('.comment-list').innerText();
  const words = ['hover', 'inline', 'Not the post title', 'Setext heading', 'pixel', 'msgbox(1)'];
  const missing = words.filter((w) => !text.includes(w));
  check(missing.length === 0, `plain words of bodies show (${words.join(', ')})`, missing.join(', '));
  const problems = await page.evaluate(auditComments);
  check(problems.length === 0, 'only markdown elements, no handlers, styles or script URLs in comments',
        problems.slice(0, 10).join('\n     '));
  check(seen.offOrigin.length === 0, 'the page loaded nothing from outside its server',
        seen.offOrigin.slice(0, 5).join(' '));
}

async function hoverEveryComment(page) {
  for (const li of await page.locator('.comment-list > li.comment').all()) {
    await li.hover({ timeout: 5000 });
  }
}

// Clicks every link inside a comment body, back on the post after each.
async function clickEveryLink(page, seen, postUrl) {
  seen.clicking = true;
  const links = await page.locator('.comment-body a').count();
  let pwned;
  for (let i = 0; i < links; i++) {
    if (page.url() !== postUrl) await page.goto(postUrl, { waitUntil: 'load' });
    const link = page.locator('.comment-body a').nth(i);
    // A link a reader cannot see cannot be clicked by a mouse; a script
    // could still click it, so it gets a click event (which follows it).
    if (await link.isVisible()) await link.click({ timeout: 5000 });
    else await link.dispatchEvent('click');
    await page.waitForTimeout(50);
    if (page.url().startsWith(postUrl)) pwned ??= await page.evaluate(() => window.__pwned);
  }
  seen.clicking = false;
  check(links >= 20, `${links} links inside comments clicked`);
  return pwned;
}

// Sends the post's comment form without a name and with `typed` as the
// comment, as a reader would (the browser's own checks of required fields
// taken off), and checks the error page that comes back.
async function checkErrorPage(browser, origin, postUrl, typed) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const seen = watch(context, page, origin);
  await page.goto(postUrl, { waitUntil: 'load' });
  await page.evaluate(() => document.querySelectorAll('#comment-author, #comment-body')
    .forEach((el) => el.removeAttribute('required')));
  await page.fill('#comment-body', typed);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('form.comment-form:not(.reply-form) button[type=submit]'),
  ]);
  await page.waitForTimeout(500);  // SVG animations, autofocus, marquee
  check(response.status() === 422, 'the form sent without a name is answered 422', String(response.status()));
  check(await page.locator('meta[name=viewport]').count() === 1, 'the error page has a viewport tag');
  check(await page.locator('link[rel=stylesheet]').count() === 1, 'the error page is in the site\'s theme');
  const message = await page.locator('#comment-author-error').innerText().catch(() => '');
  check(message === 'Please enter your name.', 'the message in plain words is next to the name field', message);
  const echoed = await page.locator('#comment-body').inputValue();
  check(echoed === typed.replace(/\r\n?/g, '\n'), `the ${typed.length} characters typed are back in the form, as typed`,
        `${JSON.stringify(echoed.slice(0, 120))} …`);
  const scripts = await page.evaluate(() => document.scripts.length);
  check(scripts === 0, 'the error page has no <script>', String(scripts));
  const injected = await page.evaluate(() => Array.from(document.querySelectorAll('*'))
    .flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name) || a.name === 'style')
      .map((a) => `${el.tagName} ${a.name}`)));
  check(injected.length === 0, 'no handler or style attribute on the error page', injected.slice(0, 5).join(', '));
  noScriptRan(seen, await page.evaluate(() => window.__pwned), 'on the error page');
  check(seen.offOrigin.length === 0, 'the error page loaded nothing from outside its server',
        seen.offOrigin.slice(0, 5).join(' '));
  await context.close();
}

async function main() {
  const site = makeSite(kiln, [
    [/rate_limit_per_minute = \d+/, 'rate_limit_per_minute = 0'],
    [/moderation = "\w+"/, 'moderation = "auto"'],
  ]);
  let server;
  let browser;
  try {
    server = await startKiln(kiln, site.site);
    const { accepted, postUrl } = await postComments(server.origin);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const seen = watch(context, page, server.origin);
    await page.goto(postUrl, { waitUntil: 'load' });
    await page.waitForTimeout(500);  // SVG animations, autofocus, marquee
    noScriptRan(seen, await page.evaluate(() => window.__pwned), 'on load');
    await checkPage(page, seen, accepted);
    await hoverEveryComment(page);
    noScriptRan(seen, await page.evaluate(() => window.__pwned), 'after hovering every comment');
    if (screenshot) {
      await page.locator('.comment-list').scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshot });
    }
    const pwned = await clickEveryLink(page, seen, postUrl);
    noScriptRan(seen, pwned, 'after clicking every link');
    // Payloads without control characters (those are never echoed), as
    // much as a comment may hold.
    const typed = Array.from(bodies.filter((b) => !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(b))
      .join('\n\n')).slice(0, 9000).join('');
    await checkErrorPage(browser, server.origin, postUrl, typed);
  } finally {
    if (browser) await browser.close();
    if (server) await server.stop();
    site.remove();
  }
}

const deadline = setTimeout(() => {
  console.log(`FAIL did not finish in ${kDeadlineMs / 1000} s`);
  process.exit(1);  // kiln_server.mjs stops kiln serve on exit
}, kDeadlineMs);

main()
  .catch((e) => check(false, 'the test ran to its end', e.stack || String(e)))
  .finally(() => {
    clearTimeout(deadline);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
  });
