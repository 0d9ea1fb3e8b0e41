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
import { findMigration } from '../migrations/read-folder.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { EnvironmentPool } from './environment-pool.ts';
import { MemorySecretStore, secretKey, withPassword, type SecretStore } from './secret-store.ts';
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

  readonly secrets: SecretStore;
  private readonly pickFolder: (() => Promise<string | null>) | undefined;

  constructor(opts: { settings?: SettingsStore; secrets?: SecretStore; pickFolder?: () => Promise<string | null> } = {}) {
    this.settings = opts.settings ?? new SettingsStore();
    this.secrets = opts.secrets ?? new MemorySecretStore();
    this.pickFolder = opts.pickFolder;
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

  /** The environment, with its stored password (if any) put into the URL: only the engine ever sees it. */
  private async env(name: string): Promise<Environment> {
    const env = selectEnvironments(this.project().project, { env: [name] })[0]!;
    if (env.target.kind !== 'postgres') return env;
    const password = await this.secrets.get(secretKey(this.project().project.dir, name));
    return { ...env, target: { ...env.target, url: withPassword(env.target.url, password) } };
  }

  private async reload(): Promise<ProjectDto> {
    const { open, isDemo } = this.current!;
    this.current = { open: await openProject(open.project.dir), isDemo };
    return this.dto();
  }

  private async dto(): Promise<ProjectDto> {
    const { open, isDemo } = this.current!;
    const stored = new Set<string>();
    for (const e of open.project.environments) if (await this.secrets.get(secretKey(open.project.dir, e.name))) stored.add(e.name);
    return projectDto(open, isDemo, this.secrets.description, stored);
  }

  private async switchTo(open: OpenProject, isDemo: boolean): Promise<ProjectDto> {
    await this.pool.closeAll();
    this.current = { open, isDemo };
    if (!isDemo) await this.settings.addRecent(open.project.dir);
    return this.dto();
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
    'project/pick': async () => {
      if (!this.pickFolder) throw new GodwitError('not-available', 'Choosing a folder needs the desktop app; type the folder\'s path instead.');
      const dir = await this.pickFolder();
      return dir ? this.switchTo(await openProject(dir), false) : null;
    },
    'environments/status': async ({ drift, env }) => {
      const open = this.project();
      const envs = env ? [await this.env(env)] : await Promise.all(open.project.environments.map((e) => this.env(e.name)));
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
      const dir = this.current!.open.project.dir;
      await saveEnvironment(dir, { name: input.name, url: input.url, protected: input.protected, shadowDatabaseUrl: input.shadowDatabaseUrl || undefined }, input.previousName);
      if (input.previousName && input.previousName !== input.name) {
        await this.secrets.set(secretKey(dir, input.name), (await this.secrets.get(secretKey(dir, input.previousName))) ?? null);
        await this.secrets.set(secretKey(dir, input.previousName), null);
      }
      if (input.password !== undefined) await this.secrets.set(secretKey(dir, input.name), input.password || null);
      return this.reload();
    },
    'environments/remove': async ({ name }) => {
      await removeEnvironment(this.project().project.dir, name);
      await this.secrets.set(secretKey(this.project().project.dir, name), null);
      return this.reload();
    },
    'environments/test': async ({ url, name, password }) => {
      const env = selectEnvironments(this.project().project, { url })[0]!;
      if (env.target.kind !== 'postgres') return { ok: true, message: 'Embedded databases need no connection.' };
      const stored = name ? await this.secrets.get(secretKey(this.project().project.dir, name)) : undefined;
      try {
        const db = await connectPostgres({ url: withPassword(env.target.url, password || stored) });
        const [row] = await db.query<{ v: string }>('SHOW server_version');
        await db.close();
        return { ok: true, message: `Connected to PostgreSQL ${row?.v ?? ''} at ${env.display}.` };
      } catch (err) {
        return { ok: false, message: describeError(err) };
      }
    },
    'environments/compare': async ({ a, b }) => {
      const [ea, eb] = [await this.env(a), await this.env(b)];
      const snapA = await this.pool.use(ea, readSchemaSnapshot);
      const snapB = await this.pool.use(eb, readSchemaSnapshot);
      return { a, b, differences: compareSchemas(snapA, snapB) };
    },
    'migrations/detail': async ({ name }) => {
      const m = findMigration(this.project().folder, name);
      await loadSqlParser();
      const up = prepareScript(m.upSql);
      return {
        name, upSql: m.upSql, downSql: m.downSql, checksum: m.checksum, upWarnings: up.warnings,
        downWarnings: m.downSql ? prepareScript(m.downSql).warnings : [], nonTransactional: up.nonTransactional,
      };
    },
    'migrations/preview': async ({ env, direction, steps, to, base }) => {
      const e = await this.env(env);
      const plan = await this.pool.use(e, (db) => planFor(this.project(), e, db, direction === 'up' ? { direction, to } : { direction, steps, to, base }));
      return previewDto(plan);
    },
    'migrations/apply': async ({ env, to, confirm, runId }) => {
      const e = await this.env(env);
      const report = await this.pool.use(e, (db) => upgrade({ db, env: e, folder: this.project().folder }, { to, confirm, onProgress: (p) => this.emit(runId, p) }));
      return { ...report, completed: report.completed.map((c) => ({ ...c })) };
    },
    'migrations/rollback': async ({ env, steps, to, base, confirm, runId }) => {
      const e = await this.env(env);
      return this.pool.use(e, (db) => rollback({ db, env: e, folder: this.project().folder }, { steps, to, base, confirm, onProgress: (p) => this.emit(runId, p) }));
    },
    'migrations/create': async ({ env, name, empty }) => {
      const e = await this.env(env);
      const open = await openProject(this.project().project.dir); // the schema may have changed on disk
      const created = await this.pool.use(e, (db) => createMigration(db, open.project, open.folder, name, { empty, write: false }));
      return created && { name: created.name, upSql: created.upSql, downSql: created.downSql, warnings: created.warnings, unexecutable: created.unexecutable };
    },
    'migrations/saveNew': async ({ name, upSql, downSql }) => {
      await writeMigrationPair(this.project().folder, name, upSql, downSql);
      return this.reload();
    },
    'migrations/generateDown': async ({ env, name, write }) => {
      const e = await this.env(env);
      const result = await this.pool.use(e, (db) => generateDownSql(db, this.project().project, this.project().folder, name, { write }));
      if (write) await this.reload();
      return { name, sql: result.sql, written: result.written };
    },
    'tables/list': async ({ env, pattern, kinds, plus }) => {
      const e = await this.env(env);
      const rows = await this.pool.use(e, (db) => listRelations(db, { pattern, kinds, verbose: plus }));
      return { rows, text: renderListing(rows, { verbose: plus, withTable: kinds?.includes('indexes'), withAccessMethod: listsAccessMethod(kinds), pattern }) };
    },
    'tables/describe': async ({ env, name, plus }) => {
      const e = await this.env(env);
      const found = await this.pool.use(e, (db) => describeRelations(db, name));
      return { relations: found, text: found.map((d) => renderDescribe(d, plus === true)).join('\n') };
    },
    'audit/list': async ({ env }) => {
      const e = await this.env(env);
      return this.pool.use(e, (db) => readAudit(db, 200));
    },
    'settings/get': async () => this.settings.read(),
    'settings/set': async ({ theme }) => this.settings.update((s) => ({ ...s, ...(theme ? { theme } : {}) })),
  };
}
