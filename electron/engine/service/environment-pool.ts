import type { Db } from '../db/db.ts';
import { openEnvironment, type Environment } from '../project/environments.ts';

/**
 * Sessions for a long-running host (app, browser mode). Embedded (PGlite) databases are opened once and shared —
 * PGlite allows one opener per data directory — with calls on one environment serialised. Server databases get a
 * fresh session per call, as the CLI does.
 */
export class EnvironmentPool {
  private readonly embedded = new Map<string, Promise<Db>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  async use<T>(env: Environment, fn: (db: Db) => Promise<T>): Promise<T> {
    const key = env.target.kind === 'embedded' ? env.target.dataDir : `${env.name}\u0000${env.target.url}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.run(env, fn));
    this.queues.set(key, run.catch(() => undefined));
    return run;
  }

  private async run<T>(env: Environment, fn: (db: Db) => Promise<T>): Promise<T> {
    if (env.target.kind !== 'embedded') {
      const db = await openEnvironment(env);
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    }
    const dir = env.target.dataDir;
    let opening = this.embedded.get(dir);
    if (!opening) {
      opening = openEnvironment(env);
      this.embedded.set(dir, opening);
      opening.catch(() => this.embedded.delete(dir));
    }
    return fn(await opening);
  }

  /** Closes every embedded database (on project switch or shutdown). */
  async closeAll(): Promise<void> {
    const open = [...this.embedded.values()];
    this.embedded.clear();
    await Promise.all(open.map((p) => p.then((db) => db.close()).catch(() => undefined)));
  }
}
