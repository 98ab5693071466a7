// The contrast of the theme's form field borders (issue 8 found 1.3:1),
// measured from static/style.css: WCAG 2.1 success criterion 1.4.11 asks
// 3:1 for the visual boundary of a control against the colours beside it.
// A field's border sits between the field's own background (--bg) and the
// page or a comment's box (--bg, --surface), in light and in dark.
//
// contrastFindings(css) -> { figures: [lines], failures: [lines] }

// The custom properties of the first `:root { … }` block after `from`.
function rootVariables(css, from) {
  const start = css.indexOf(':root', from);
  const block = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  const vars = {};
  for (const m of block.matchAll(/(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\b/g)) vars[m[1]] = m[2];
  return vars;
}

// WCAG 2.1 relative luminance and contrast ratio.
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export function contrastFindings(css) {
  const figures = [];
  const failures = [];
  const light = rootVariables(css, 0);
  const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');
  const dark = { ...light, ...rootVariables(css, darkAt) };
  // The fields must be drawn with the border measured here.
  const fieldRule = css.match(/input\[type="text"\], input\[type="email"\], textarea \{[^}]*\}/);
  if (!fieldRule || !fieldRule[0].includes('var(--field-border)')) {
    failures.push('the text fields\' rule does not draw its border with var(--field-border)');
  }
  for (const [scheme, vars] of [['light', light], ['dark', dark]]) {
    for (const beside of ['--bg', '--surface']) {
      if (!vars['--field-border'] || !vars[beside]) {
        failures.push(`${scheme}: --field-border or ${beside} is not a #rrggbb colour`);
        continue;
      }
      const ratio = contrastRatio(vars['--field-border'], vars[beside]);
      const line = `${scheme}: field border ${vars['--field-border']} on ${beside} ${vars[beside]}: ${ratio.toFixed(2)}:1`;
      figures.push(line);
      if (ratio < 3) failures.push(`${line} (WCAG 1.4.11 asks 3:1)`);
    }
  }
  return { figures, failures };
}
