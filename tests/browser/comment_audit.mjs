// Runs inside the page (page.evaluate): lists what, in the rendered
// comments, could run script or load anything. Self-contained, since
// Playwright sends its source text to the browser.
export function auditComments() {
  const problems = [];
  // What cmark makes from markdown (GFM tables and task lists included).
  const allowed = new Set(['P', 'EM', 'STRONG', 'A', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI',
    'H4', 'H5', 'H6', 'HR', 'BR', 'DEL', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'INPUT', 'SPAN']);
  for (const s of document.scripts) {
    if (s.type !== 'application/ld+json') problems.push(`script: ${s.outerHTML.slice(0, 80)}`);
  }
  const list = document.querySelector('.comment-list');
  if (!list) return ['no .comment-list on the page'];
  // The theme's own markup around each comment is trusted; what a
  // commenter wrote is inside .comment-body (and the author's name, text).
  // The theme's reply forms (a <details> under each comment) are its own
  // markup too: their inputs and labels are checked only for handlers.
  for (const el of list.querySelectorAll('*')) {
    const tag = el.tagName;
    const written = el.closest('.comment-body') !== null;  // by a commenter
    if (el.parentElement.closest('.comment-body') && !allowed.has(tag)) {
      problems.push(`element <${tag.toLowerCase()}>: ${el.outerHTML.slice(0, 80)}`);
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc' || name === 'formaction') {
        problems.push(`attribute ${name} on <${tag.toLowerCase()}>`);
      }
    }
    if (written && tag === 'INPUT' && !(el.type === 'checkbox' && el.disabled)) problems.push('an enabled input');
    // Highlighted code (render/code_highlighter.h): a span inside code, with
    // one hl- class and nothing else.
    if (written && tag === 'SPAN' && !(el.closest('pre > code') && el.attributes.length === 1 &&
                            /^hl-[a-z]+$/.test(el.getAttribute('class') || ''))) {
      problems.push(`span outside highlighted code: ${el.outerHTML.slice(0, 80)}`);
    }
    if (tag === 'A') {
      let protocol = '';
      try {
        protocol = new URL(el.href).protocol;
      } catch {}
      if (!['http:', 'https:', 'mailto:'].includes(protocol)) problems.push(`link to ${el.href.slice(0, 80)}`);
    }
  }
  return problems;
}
