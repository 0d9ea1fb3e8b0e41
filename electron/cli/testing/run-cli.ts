import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_PROJECT_DIR } from '../../engine/demo/open-demo.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the real `godwit` command in a child process, as a user or CI would: bin/godwit.cjs executed as a program (its
 * shell lines start Node), as the `godwit` link npm puts on the PATH runs it.
 */
export function runGodwit(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(join(DEMO_PROJECT_DIR, 'bin', 'godwit.cjs'), args, {
      cwd: opts.cwd ?? DEMO_PROJECT_DIR,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(opts.stdin ?? '');
  });
}
