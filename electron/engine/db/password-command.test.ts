import { expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { runPasswordCommand } from './password-command.ts';

const alive = (marker: string) => {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false; // pgrep exits 1 when nothing matches
  }
};

it('stops a password command that hangs, all of it (what its shell started too), and says it timed out', async () => {
  const marker = `sleep 97.${process.pid}`;
  const started = Date.now();
  await expect(runPasswordCommand(`${marker}; echo pw`, 'prod', 300)).rejects.toThrow('Environment "prod": the passwordCommand did not finish within 0.3 s and was stopped.');
  expect(Date.now() - started).toBeLessThan(5000);
  await new Promise((r) => setTimeout(r, 200));
  expect(alive(marker)).toBe(false);
  await expect(runPasswordCommand('kill -TERM $$', 'prod')).rejects.toThrow('the passwordCommand was stopped by SIGTERM.');
  expect(await runPasswordCommand('echo s3cret', 'prod')).toBe('s3cret');
});
