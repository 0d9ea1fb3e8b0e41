import type { OperationInput, OperationName, OperationOutput, ProgressEventDto } from '../../shared/contract.ts';
import type { EnvironmentStatusDto, ProjectDto } from '../../shared/dto.ts';
import {
  compareSchemas, createMigration, describeError, describeRelations, environmentStatus, generateDownSql, GodwitError,
  listRelations, listsAccessMethod, openProject, planFor, readAudit, readSchemaSnapshot, renderDescribe, renderListing,
  rollback, selectEnvironments, upgrade, type Environment, type OpenProject, type ProgressEvent,
} from '../index.ts';
import { openDemo } from '../demo/open-demo.ts';
import { connectPostgres } from '../db/connect-postgres.ts';
import { removeEnvironment, saveEnvironment } from '../project/environment-config.ts';
import { writeMigrationPair } from '../create/new-migration.ts';
import { prepareScript } from '../sql/prepare-script.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { EnvironmentPool } from './environment-pool.ts';
import { SettingsStore } from './settings-store.ts';
import { failureDto, previewDto, projectDto } from './to-dto.ts';

type Handlers = { [K in OperationName]: (input: OperationInput<K>) => Promise<OperationOutput<K>> };

/**
 * The back end every host serves: Electron's main process over IPC, browser mode over HTTP. It holds the open
 * project and the embedded databases' sessions; it never returns a password.
 */
export class GodwitService {
  private current: { open: OpenProject; isDemo: boolean } | null = null;
  private readonly pool = new EnvironmentPool();
  private readonly listeners = new Set<(e: ProgressEventDto) => void>();
  readonly settings: SettingsStore;

  constructor(opts: { settings?: SettingsStore } = {}) {
    this.settings = opts.settings ?? new SettingsStore();
  }

  /** Progress of upgrades and rollbacks, for hosts to forward to the renderer. */
  subscribe(listener: (e: ProgressEventDto) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.pool.closeAll();
  }

  call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<OperationOutput<K>> {
    return (this.handlers[name] as (i: OperationInput<K>) => Promise<OperationOutput<K>>)(input);
  }

  private project(): OpenProject {
    if (!this.current) throw new GodwitError('no-project', 'Open a project first.');
    return this.current.open;
  }

  private env(name: string): Environment {
    return selectEnvironments(this.project().project, { env: [name] })[0]!;
  }

  private async reload(): Promise<ProjectDto> {
    const { open, isDemo } = this.current!;
    this.current = { open: await openProject(open.project.dir), isDemo };
    return projectDto(this.current.open, isDemo);
  }

  private async switchTo(open: OpenProject, isDemo: boolean): Promise<ProjectDto> {
    await this.pool.closeAll();
    this.current = { open, isDemo };
    if (!isDemo) await this.settings.addRecent(open.project.dir);
    return projectDto(open, isDemo);
  }

  private emit(runId: string, e: ProgressEvent): void {
    const dto: ProgressEventDto = e.type === 'failed' ? { ...e, runId, failure: failureDto(e.failure) } : { ...e, runId };
    for (const l of this.listeners) l(dto);
  }

  private readonly handlers: Handlers = {
    'project/open': async ({ dir }) => this.switchTo(await openProject(dir), false),
    'project/openDemo': async ({ reset }) => {
      await this.pool.closeAll();
      return this.switchTo(await openDemo({ reset }), true);
    },
    'project/current': async () => (this.current ? this.reload() : null),
    'environments/status': async ({ drift, env }) => {
      const open = this.project();
      const envs = env ? [this.env(env)] : selectEnvironments(open.project, { all: true });
      return Promise.all(envs.map(async (e): Promise<EnvironmentStatusDto> => {
        try {
          return await this.pool.use(e, (db) => environmentStatus(open, e, db, { drift }));
        } catch (err) {
          const empty = { applied: 0, pending: 0, failed: 0, edited: 0, missingLocally: 0, rolledBack: 0, diverged: false };
          return { environment: e.name, protected: e.protected, location: e.display, head: null, migrations: [], summary: empty, drift: null, error: describeError(err) };
        }
      }));
    },
    'environments/save': async (input) => {
      this.project();
      await saveEnvironment(this.current!.open.project.dir, { name: input.name, url: input.url, protected: input.protected, shadowDatabaseUrl: input.shadowDatabaseUrl || undefined }, input.previousName);
      return this.reload();
    },
    'environments/remove': async ({ name }) => {
      await removeEnvironment(this.project().project.dir, name);
      return this.reload();
    },
    'environments/test': async ({ url }) => {
      const env = selectEnvironments(this.project().project, { url })[0]!;
      if (env.target.kind !== 'postgres') return { ok: true, message: 'Embedded databases need no connection.' };
      try {
        const db = await connectPostgres({ url: env.target.url });
        const [row] = await db.query<{ v: string }>('SHOW server_version');
        await db.close();
        return { ok: true, message: `Connected to PostgreSQL ${row?.v ?? ''} at ${env.display}.` };
      } catch (err) {
        return { ok: false, message: describeError(err) };
      }
    },
    'environments/compare': async ({ a, b }) => {
      const [ea, eb] = [this.env(a), this.env(b)];
      const snapA = await this.pool.use(ea, readSchemaSnapshot);
      const snapB = await this.pool.use(eb, readSchemaSnapshot);
      return { a, b, differences: compareSchemas(snapA, snapB) };
    },
    'migrations/detail': async ({ name }) => {
      const m = this.project().folder.migrations.find((x) => x.name === name);
      if (!m) throw new GodwitError('unknown-migration', `There is no migration named "${name}" in the migrations folder.`);
      await loadSqlParser();
      const up = prepareScript(m.upSql);
      return {
        name, upSql: m.upSql, downSql: m.downSql, checksum: m.checksum, upWarnings: up.warnings,
        downWarnings: m.downSql ? prepareScript(m.downSql).warnings : [], nonTransactional: up.nonTransactional,
      };
    },
    'migrations/preview': async ({ env, direction, steps, to, base }) => {
      const e = this.env(env);
      const plan = await this.pool.use(e, (db) => planFor(this.project(), e, db, direction === 'up' ? { direction, to } : { direction, steps, to, base }));
      return previewDto(plan);
    },
    'migrations/apply': async ({ env, to, confirm, runId }) => {
      const e = this.env(env);
      const report = await this.pool.use(e, (db) => upgrade({ db, env: e, folder: this.project().folder }, { to, confirm, onProgress: (p) => this.emit(runId, p) }));
      return { ...report, completed: report.completed.map((c) => ({ ...c })) };
    },
    'migrations/rollback': async ({ env, steps, to, base, confirm, runId }) => {
      const e = this.env(env);
      return this.pool.use(e, (db) => rollback({ db, env: e, folder: this.project().folder }, { steps, to, base, confirm, onProgress: (p) => this.emit(runId, p) }));
    },
    'migrations/create': async ({ env, name, empty }) => {
      const e = this.env(env);
      const open = await openProject(this.project().project.dir); // the schema may have changed on disk
      const created = await this.pool.use(e, (db) => createMigration(db, open.project, open.folder, name, { empty, write: false }));
      return created && { name: created.name, upSql: created.upSql, downSql: created.downSql, warnings: created.warnings, unexecutable: created.unexecutable };
    },
    'migrations/saveNew': async ({ name, upSql, downSql }) => {
      await writeMigrationPair(this.project().folder, name, upSql, downSql);
      return this.reload();
    },
    'migrations/generateDown': async ({ env, name, write }) => {
      const e = this.env(env);
      const result = await this.pool.use(e, (db) => generateDownSql(db, this.project().project, this.project().folder, name, { write }));
      if (write) await this.reload();
      return { name, sql: result.sql, written: result.written };
    },
    'tables/list': async ({ env, pattern, kinds, plus }) => {
      const e = this.env(env);
      const rows = await this.pool.use(e, (db) => listRelations(db, { pattern, kinds, verbose: plus }));
      return { rows, text: renderListing(rows, { verbose: plus, withTable: kinds?.includes('indexes'), withAccessMethod: listsAccessMethod(kinds), pattern }) };
    },
    'tables/describe': async ({ env, name, plus }) => {
      const e = this.env(env);
      const found = await this.pool.use(e, (db) => describeRelations(db, name));
      return { relations: found, text: found.map((d) => renderDescribe(d, plus === true)).join('\n') };
    },
    'audit/list': async ({ env }) => {
      const e = this.env(env);
      return this.pool.use(e, (db) => readAudit(db, 200));
    },
    'settings/get': async () => this.settings.read(),
    'settings/set': async ({ theme }) => this.settings.update((s) => ({ ...s, ...(theme ? { theme } : {}) })),
  };
}
