#!/usr/bin/env node
// `npm start`: installs dependencies if needed and opens Godwit on its embedded demo.
import { spawnSync } from 'node:child_process';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
const r = spawnSync(process.execPath, ['bin/godwit.mjs', 'demo', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
