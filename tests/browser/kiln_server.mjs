// Starts the real `kiln serve` on loopback for a browser test, and stops it
// by its PID. A site is made with `kiln init` in a fresh temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A new site from kiln's sample blog, with `edits` applied to kiln.toml as
// [pattern, replacement] pairs. Returns its folder.
export function makeSite(kiln, edits = []) {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-browser-'));
  const site = join(dir, 'site');
  const init = spawnSync(kiln, ['init', site], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`kiln init failed: ${init.stderr}`);
  const toml = join(site, 'kiln.toml');
  let text = readFileSync(toml, 'utf8');
  for (const [pattern, replacement] of edits) {
    if (!pattern.test(text)) throw new Error(`kiln.toml has no ${pattern}`);
    text = text.replace(pattern, replacement);
  }
  writeFileSync(toml, text);
  // Removed by remove(), or when the test exits early (its deadline).
  const remove = () => {
    process.off('exit', remove);
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', remove);
  return { dir, site, remove };
}

// Runs `kiln serve --site SITE --port 0` and resolves, once it says where it
// listens, to { origin, stop }. stop() sends SIGTERM to that PID, then
// SIGKILL after 5 s, and resolves when the process has exited.
export function startKiln(kiln, site, { timeoutMs = 30000 } = {}) {
  const child = spawn(kiln, ['serve', '--site', site, '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const running = () => child.exitCode === null && child.signalCode === null;
  // A test that exits early (its deadline, an exception) still ends kiln.
  const onExit = () => running() && process.kill(child.pid, 'SIGKILL');
  process.on('exit', onExit);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    process.off('exit', onExit);
    if (!running()) return;
    process.kill(child.pid, 'SIGTERM');
    const killer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop().then(() => reject(new Error(`kiln serve did not start in ${timeoutMs} ms:\n${log}`)));
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/serving (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1], stop, pid: child.pid, log: () => log });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kiln serve exited (${code}) before listening:\n${log}`));
    });
  });
}
