import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGodwit, type CliResult } from './run-cli.ts';

/**
 * Runs the real `godwit` with a recorder preloaded (NODE_OPTIONS=--require): a CommonJS script that, as the process
 * exits, writes what it saw as JSON to `${process.env.GODWIT_RECORD}.${process.pid}`. For what a process did inside
 * (flags set, modules loaded) that its output does not show.
 */
export class RecordedRuns<T> {
  private readonly dir = mkdtempSync(join(tmpdir(), 'godwit-recorded-'));
  private runs = 0;

  constructor(recorder: string) {
    writeFileSync(join(this.dir, 'recorder.cjs'), recorder);
  }

  /** The command's result and what the recorder wrote; throws when it wrote nothing (it did not run). */
  async run(args: string[], env: Record<string, string> = {}): Promise<CliResult & { seen: T }> {
    const out = `seen-${++this.runs}`;
    const r = await runGodwit(args, { env: { ...env, NODE_OPTIONS: `--require ${join(this.dir, 'recorder.cjs')}`, GODWIT_RECORD: join(this.dir, out) } });
    const file = readdirSync(this.dir).find((f) => f.startsWith(`${out}.`));
    if (!file) throw new Error(`the recorder wrote nothing for godwit ${args.join(' ')}: ${r.stderr}`);
    return { ...r, seen: JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as T };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
