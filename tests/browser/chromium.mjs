// Launches Debian's Chromium (/usr/bin/chromium, or $KILN_CHROMIUM) headless
// through playwright-core, which downloads no browser of its own.
import { existsSync } from 'node:fs';

// Without the background-networking flags Chromium keeps trying to reach
// Google's hosts, which a closed network refuses; --no-sandbox because CI
// runs as root.
const kFlags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchChromium() {
  const executablePath = process.env.KILN_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: run scripts/install-deps.sh (Debian package chromium)`);
  }
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('playwright-core is not installed: run scripts/install-deps.sh (npm ci in tests/browser)');
  }
  return chromium.launch({ executablePath, headless: true, args: kFlags });
}
