// Every HTML page the theme makes, through html-validate's recommended
// rules (issue 8: "keep the pages free of html-validate errors"), and the
// contrast of form field borders against what surrounds them (WCAG 2.1,
// 1.4.11 non-text contrast: at least 3:1).
//
// Pages: the sample blog (`kiln init`) served by a real `kiln serve` on
// loopback, with a conversation posted to it (replies three levels deep,
// headings, code, tables and task lists in comments), two posts a page so
// that listings and tag pages have further pages; the 404 page; the pages
// the server answers a form POST with (a refused comment with the form
// filled in, a comment for an unknown post, one too large, and a comment
// held for moderation); and the peer fixtures of tests/fixtures/ (Jekyll,
// Hugo, Zola, test_site), built with the repository's theme: aliases, a
// page bundle, highlighted code, a path prefix.
//
// The rules: `.htmlvalidate.json` at the repository root (the README says
// why any rule is off). Warnings fail the test as errors do.
//
// Usage: node tests/browser/html_validate.mjs KILN_BINARY
// Prints each finding as FILE:LINE:COLUMN RULE MESSAGE, then a summary;
// exits 1 on any finding or contrast below 3:1.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HtmlValidate } from 'html-validate';
import { makeSite, startKiln } from './kiln_server.mjs';
import { contrastFindings } from './field_contrast.mjs';

const kDeadlineMs = 240_000;
const [kiln] = process.argv.slice(2);
if (!kiln) {
  console.error('usage: node tests/browser/html_validate.mjs KILN_BINARY');
  process.exit(2);
}
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// [author, body, index of the comment replied to]: every block markdown
// makes in a comment, and replies to the depth the theme shows.
const kComments = [
  ['Ada', '## A heading in a comment\n\nWith *emphasis*, `code`, a [link](https://example.org/) and\n\n- a list\n- [x] a done task\n\n| a | b |\n|---|---|\n| 1 | 2 |'],
  ['Grace', 'A reply with code:\n\n```cpp\nint main() { return 0; }\n```\n\n> quoted', 0],
  ['Linus', 'A third level.', 1],
  ['Ada', 'Beside the third level: at the cap.', 2],
  ['Margaret', 'Another thread.\n\n1. one\n2. two\n\n---\n\n![an image](https://example.org/a.png)'],
];

function htmlFilesUnder(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) files.push(join(entry.parentPath ?? entry.path, entry.name));
  }
  return files.sort();
}

async function postJson(origin, comment) {
  const res = await fetch(`${origin}/api/comments`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(comment),
  });
  if (res.status !== 201) throw new Error(`POST comment: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

// What a browser gets for a form POST: [status, content type, body].
async function postForm(origin, fields) {
  const res = await fetch(`${origin}/api/comments`, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return [res.status, res.headers.get('content-type') || '', await res.text()];
}

// The sample blog with comments, and the pages answered to form POSTs,
// written into `answers` as NAME.html. Returns the site folder.
async function sampleSite(answers, moderation) {
  const site = makeSite(kiln, [
    [/rate_limit_per_minute = \d+/, 'rate_limit_per_minute = 0'],
    [/posts_per_page = \d+/, 'posts_per_page = 2'],
    [/moderation = "auto"/, `moderation = "${moderation}"`],
  ]);
  const server = await startKiln(kiln, site.site);
  try {
    const { origin } = server;
    const answer = async (name, fields, wantStatus) => {
      const [status, type, body] = await postForm(origin, fields);
      if (status !== wantStatus || !type.startsWith('text/html')) {
        throw new Error(`${name}: ${status} ${type}, expected ${wantStatus} text/html:\n${body.slice(0, 300)}`);
      }
      writeFileSync(join(answers, `${moderation}-${name}.html`), body);
    };
    if (moderation === 'auto') {
      const ids = [];
      for (const [author, body, replyTo] of kComments) {
        ids.push(await postJson(origin, { post: 'hello-kiln', author, body, parent: ids[replyTo] }));
      }
      await answer('refused-fields', { post: 'hello-kiln', author: '', email: 'ada(at)example.org', body: 'Kept.' }, 422);
      await answer('refused-reply', { post: 'hello-kiln', author: 'Ada', body: 'Kept.', parent: '999999' }, 400);
      await answer('unknown-post', { post: 'no-such-post', author: 'Ada', body: 'Kept.' }, 404);
      await answer('too-large', { post: 'hello-kiln', author: 'Ada', body: 'x'.repeat(300_000) }, 413);
    } else {
      await answer('awaits-moderation', { post: 'hello-kiln', author: 'Ada', body: 'Held.' }, 202);
    }
  } finally {
    await server.stop();
  }
  return site;
}

// A peer fixture with the repository's theme, built by the real binary.
function fixtureSite(name, into) {
  const root = join(into, name);
  cpSync(join(repo, 'tests/fixtures', name), root, { recursive: true });
  for (const part of ['templates', 'static']) cpSync(join(repo, part), join(root, part), { recursive: true });
  const build = spawnSync(kiln, ['build', '--quiet', '--site', root], {
    encoding: 'utf8', env: { ...process.env, KILN_NOW: '2026-11-26T12:00:00Z' },
  });
  if (build.status !== 0) throw new Error(`kiln build ${name}: ${build.stderr}`);
  return root;
}

async function main() {
  const scratch = mkdtempSync(join(tmpdir(), 'kiln-html-validate-'));
  const sites = [];
  try {
    const answers = join(scratch, 'answers');
    mkdirSync(answers);
    const sample = await sampleSite(answers, 'auto');
    sites.push(sample);
    sites.push(await sampleSite(answers, 'manual'));
    const files = [...htmlFilesUnder(join(sample.site, 'site')), ...htmlFilesUnder(answers)];
    for (const name of ['jekyll_site', 'hugo_site', 'zola_site', 'test_site']) {
      files.push(...htmlFilesUnder(join(fixtureSite(name, scratch), 'site')));
    }
    // What the test must have seen, so that it cannot pass on nothing.
    const must = ['404.html', 'page/2/index.html', 'tags/kiln/page/2/index.html', 'posts/hello-kiln/index.html',
                  'auto-refused-fields.html', 'auto-unknown-post.html', 'manual-awaits-moderation.html',
                  'foo-bar/index.html', 'posts/trip/index.html'];
    const missing = must.filter((m) => !files.some((f) => f.endsWith(`/${m}`)));
    const post = readFileSync(join(sample.site, 'site/posts/hello-kiln/index.html'), 'utf8');
    if (!post.includes('class="replies"') || !post.includes('<h5>A heading in a comment</h5>')) {
      missing.push('a post page with replies and a comment heading');
    }

    const config = JSON.parse(readFileSync(join(repo, '.htmlvalidate.json'), 'utf8'));
    delete config.$comment;
    const validator = new HtmlValidate(config);
    let findings = 0;
    for (const file of files) {
      const report = await validator.validateString(readFileSync(file, 'utf8'), file);
      for (const result of report.results) {
        for (const m of result.messages) {
          findings++;
          console.log(`${relative(scratch, file)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
        }
      }
    }
    const contrast = contrastFindings(readFileSync(join(repo, 'static/style.css'), 'utf8'));
    for (const line of contrast.figures) console.log(line);
    for (const line of contrast.failures) console.log(`FAIL ${line}`);
    for (const m of missing) console.log(`FAIL not validated: ${m}`);
    console.log(`${files.length} pages validated, ${findings} findings; ${contrast.failures.length} contrast failures`);
    if (findings > 0 || contrast.failures.length > 0 || missing.length > 0) process.exitCode = 1;
  } finally {
    for (const site of sites) site.remove();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const deadline = setTimeout(() => {
  console.error(`html_validate: gave up after ${kDeadlineMs} ms`);
  process.exit(1);
}, kDeadlineMs);
main().catch((e) => {
  console.error(e.stack || String(e));
  process.exitCode = 1;
}).finally(() => clearTimeout(deadline));
