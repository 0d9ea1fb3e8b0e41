import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, canaryLeaks } from '../engine/testing/canary.ts';
import { DEMO_PROJECT_DIR } from '../engine/demo/open-demo.ts';

/** The process's command line as `ps` shows it (Linux's /proc), or null once it is gone. */
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+/g, ' ').trim();
  } catch {
    return null;
  }
};

describe.skipIf(process.platform !== 'linux')('a password on the command line is masked in the process list', () => {
  // A server that accepts connections and never answers: the command waits while the test reads its command line.
  let silent: Server;
  let port = 0;
  const held = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    port = (silent.address() as { port: number }).port;
  });
  // close() waits for every connection to end: the killed commands' are ended here.
  afterAll(() => new Promise<void>((r) => {
    for (const socket of held) socket.destroy();
    silent.close(() => r());
  }));

  for (const form of ['--url ', '--url=']) {
    it(`masks ${form}postgresql://user:<password>@… while the command runs`, async () => {
      const url = `postgresql://app:${CANARY}@127.0.0.1:${port}/app`;
      const args = form === '--url ' ? ['--url', url, 'status'] : [`--url=${url}`, 'status'];
      const before = held.size;
      const child = spawn(join(DEMO_PROJECT_DIR, 'bin', 'godwit.cjs'), args, { cwd: DEMO_PROJECT_DIR, stdio: 'ignore' });
      try {
        let seen = '';
        // Until the CLI has started and set its title (the launcher and bundle load first; a build may be under way).
        for (let i = 0; i < 1600 && !seen.startsWith('godwit '); i++) {
          await new Promise((r) => setTimeout(r, 25));
          seen = cmdline(child.pid!) ?? seen;
        }
        expect(seen).toMatch(/^godwit --url[ =]postgresql:\/\/app:\*\*\*\*@127\.0\.0\.1:\d+\/app status$/);
        expect(canaryLeaks(seen, 'cmdline')).toEqual([]);
        // Still so while it waits on the server: the connection is made and held.
        for (let i = 0; i < 400 && held.size === before; i++) await new Promise((r) => setTimeout(r, 25));
        expect(held.size).toBe(before + 1);
        expect(canaryLeaks(cmdline(child.pid!) ?? '', 'cmdline')).toEqual([]);
      } finally {
        child.kill('SIGKILL');
      }
    }, 90_000);
  }
});
