#!/usr/bin/env node
// `npm start`: installs dependencies if needed, builds what is stale, and opens the desktop app on the embedded demo.
// Where Electron cannot start (no binary, no display) it says why in one line and serves browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
const { electronBinary } = await import('./electron-binary.mjs');
const electron = electronBinary();
if (electron.path && !electron.reason) {
  const { buildElectron } = await import('./build-electron.mjs');
  await buildElectron();
  const built = spawnSync(process.execPath, ['bin/godwit.cjs', 'build-ui'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const child = spawn(electron.path, ['dist/electron/main.cjs', '--godwit-demo'], { stdio: 'inherit' });
  forwardSignals(child);
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron cannot start here: ${electron.reason}. Serving browser mode instead.`);
  const child = spawn(process.execPath, ['bin/godwit.cjs', 'serve', '--demo', ...process.argv.slice(2)], { stdio: 'inherit' });
  forwardSignals(child);
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** A stop sent to this launcher alone (a service manager, `timeout`) reaches what it started, instead of orphaning it. */
function forwardSignals(child) {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
}
