import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates and drops the databases a benchmark needs on the local server. */
export class BenchDatabases {
  private readonly created: string[] = [];
  constructor(private readonly serverUrl: string) {}

  private async admin(sql: string): Promise<void> {
    const c = new pg.Client({ connectionString: this.serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }

  async create(label: string): Promise<string> {
    const name = `godwit_bench_${label}_${randomBytes(4).toString('hex')}`;
    await this.admin(`CREATE DATABASE "${name}"`);
    this.created.push(name);
    const u = new URL(this.serverUrl);
    u.pathname = `/${name}`;
    return u.toString();
  }

  async dropAll(): Promise<void> {
    for (const name of this.created.splice(0)) await this.admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}
