import type { OperationInput, OperationName, OperationOutput, ProgressEventDto } from '../../shared/contract.ts';
import type { EnvironmentStatusDto, ProjectDto } from '../../shared/dto.ts';
import type { EnvironmentConfig } from '../project/environment-config.ts';
import {
  createMigration, describeError, describeRelations, environmentStatus, generateDownSql, GodwitError,
  listRelations, listsAccessMethod, openProject, planFor, readAudit, renderDescribe, renderListing,
  resolveMigration, rollback, selectEnvironments, upgrade, type Environment, type OpenProject, type ProgressEvent,
} from '../index.ts';
import { openDemo } from '../demo/open-demo.ts';
import { readCatalog } from '../catalog/read-catalog.ts';
import { compareCatalogs } from '../catalog/compare-catalogs.ts';
import { connectPostgres } from '../db/connect-postgres.ts';
import { removeEnvironment, saveEnvironment } from '../project/environment-config.ts';
import { writeMigrationPair } from '../create/new-migration.ts';
import { prepareScript } from '../sql/prepare-script.ts';
import { findMigration } from '../migrations/read-folder.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { analyzePlan } from '../analysis/analyze-plan.ts';
import { adhocEnvironmentConfig, resolveEnvironment, sameLogin, settleEnvironments, usesShadowCache } from '../project/environments.ts';
import { readGodwitJson } from '../project/environment-config.ts';
import { redactSecrets } from '../util/redact.ts';
import { auditEnvironmentChange, protectedChanges, requireTypedName } from './environment-guard.ts';
import { EnvironmentPool } from './environment-pool.ts';
import { MemorySecretStore, secretKey, withPassword, type SecretStore } from './secret-store.ts';
import { testConnectionHops } from '../db/environment-reach.ts';

/** Where an environment's SSH key passphrase is kept in the secret store (environment names cannot hold '#'). */
const sshPassphraseKey = (dir: string, env: string) => secretKey(dir, `${env}#ssh-passphrase`);
import { SettingsStore } from './settings-store.ts';
import { failureDto, previewDto, projectDto, statusDto, statusErrorDto } from './to-dto.ts';
import { backupsDropOp, backupsListOp } from '../backup/service-ops.ts';
import { checkOperation } from '../check/check-operation.ts';
import { adoptDrift } from '../check/adopt-drift.ts';
import { currentPlan, preflightGate } from '../preflight/run-gate.ts';
import { runPreflight } from '../preflight/preflight.ts';
import { rehearse } from '../rehearse/rehearse.ts';
import { browseFolders } from '../project/browse-folders.ts';
import { tableStructure } from '../introspect/table-structure.ts';
import { compareTablePair, liveSide, MIGRATIONS_SIDE, tableMigration, type TablePair, type TableSide } from '../catalog/table-migration.ts';
import { expectedSnapshot } from '../catalog/expected-snapshot.ts';
import type { Project } from '../project/load-project.ts';
import type { OpenProjectReading } from '../status/environment-status.ts';
import { packStatuses } from '../../shared/status-packing.ts';
import { rereadWithStatuses } from './project-overview.ts';

/** One reading of the open project, numbered (ProjectDto.reading). */
interface Reading {
  open: OpenProject;
  isDemo: boolean;
  reading: number;
}

type Handlers = { [K in OperationName]: (input: OperationInput<K>) => Promise<OperationOutput<K>> };

/**
 * The back end every host serves: Electron's main process over IPC, browser mode over HTTP. It holds the open
 * project and the embedded databases' sessions; it never returns a password.
 */
export class GodwitService {
  private current: Reading | null = null;
  /** How many readings of a project there have been: each gets the next number (ProjectDto.reading). */
  private readings = 0;
  private readonly pool = new EnvironmentPool();
  private readonly listeners = new Set<(e: ProgressEventDto) => void>();
  /** Runs in progress by runId: "stop after the current migration" aborts the controller. */
  private readonly stops = new Map<string, AbortController>();
  readonly settings: SettingsStore;

  readonly secrets: SecretStore;
  private readonly pickFolder: (() => Promise<string | null>) | undefined;
  /** `godwit serve --url`: every opened project shows this one ad-hoc environment instead of its own. */
  private readonly adhocUrl: string | undefined;

  constructor(opts: { settings?: SettingsStore; secrets?: SecretStore; pickFolder?: () => Promise<string | null>; adhocUrl?: string } = {}) {
    this.settings = opts.settings ?? new SettingsStore();
    this.secrets = opts.secrets ?? new MemorySecretStore();
    this.pickFolder = opts.pickFolder;
    this.adhocUrl = opts.adhocUrl;
  }

  private withAdhoc(open: OpenProject): OpenProject {
    return { ...open, project: this.withAdhocProject(open.project) };
  }

  private withAdhocProject(project: Project): Project {
    if (this.adhocUrl === undefined) return project;
    return { ...project, environments: [adhocEnvironmentConfig(project, this.adhocUrl)] };
  }

  /** Each environment's status (or only `env`'s), each resolved on its own: one that fails is reported, the others show. */
  private statuses(open: OpenProject | OpenProjectReading, opts: { env?: string | undefined; drift?: boolean | undefined } = {}): Promise<EnvironmentStatusDto[]> {
    if (!opts.env && open.project.environments.length === 0) return Promise.resolve([]);
    return Promise.all(settleEnvironments(open.project, opts.env ? { env: [opts.env] } : { all: true }).map(async (o): Promise<EnvironmentStatusDto> => {
      try {
        if (o.error) throw o.error;
        const e = await this.withStoredPassword(o.env);
        return statusDto(await this.pool.use(e, (db) => environmentStatus(open, e, db, { drift: opts.drift })));
      } catch (err) {
        return statusErrorDto(o, err);
      }
    }));
  }

  /** Runs `fn` with a signal that `migrations/stop` of the same runId aborts, for as long as it runs. */
  private async stoppable<T>(runId: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.stops.set(runId, controller);
    try {
      return await fn(controller.signal);
    } finally {
      if (this.stops.get(runId) === controller) this.stops.delete(runId);
    }
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
    return this.withStoredPassword(selectEnvironments(this.project().project, { env: [name] })[0]!);
  }

  private async withStoredPassword(env: Environment): Promise<Environment> {
    if (env.target.kind !== 'postgres') return env;
    const password = await this.secrets.get(secretKey(this.project().project.dir, env.name));
    const sshPassphrase = env.target.ssh ? await this.secrets.get(sshPassphraseKey(this.project().project.dir, env.name)) : undefined;
    return { ...env, target: { ...env.target, url: withPassword(env.target.url, password), ...(sshPassphrase ? { sshPassphrase } : {}) } };
  }

  /**
   * Two sides and a table, for the per-table compare: an environment's live catalog, or (MIGRATIONS_SIDE) what the
   * migrations folder on disk produces, replayed on a shadow made through the other side's environment.
   */
  private async tablePair({ a, b, schema, name }: { a: string; b: string; schema: string; name: string }): Promise<TablePair> {
    if (a === MIGRATIONS_SIDE && b === MIGRATIONS_SIDE) throw new GodwitError('bad-pair', 'Compare the migrations folder with an environment, not with itself.');
    const live = await this.env(a === MIGRATIONS_SIDE ? b : a);
    const side = async (n: string): Promise<TableSide> => {
      if (n !== MIGRATIONS_SIDE) {
        const e = await this.env(n);
        return liveSide(n, (fn) => this.pool.use(e, fn));
      }
      return {
        name: n,
        read: async () => {
          const open = await openProject(this.project().project.dir); // the folder as it is on disk now
          return this.pool.use(live, (db) => expectedSnapshot(db, open));
        },
      };
    };
    return { a: await side(a), b: await side(b), schema, table: name };
  }

  private async reload(): Promise<ProjectDto> {
    const { open, isDemo } = this.current!;
    this.current = this.numbered(this.withAdhoc(await openProject(open.project.dir)), isDemo);
    return this.dto();
  }

  private async dto({ open, isDemo, reading } = this.current!): Promise<ProjectDto> {
    const stored = new Set<string>();
    for (const e of open.project.environments) if (await this.secrets.get(secretKey(open.project.dir, e.name))) stored.add(e.name);
    return projectDto(open, isDemo, this.secrets.description, stored, reading);
  }

  private numbered(open: OpenProject, isDemo: boolean): Reading {
    return { open, isDemo, reading: ++this.readings };
  }

  private async switchTo(open: OpenProject, isDemo: boolean): Promise<ProjectDto> {
    await this.pool.closeAll();
    this.current = this.numbered(this.withAdhoc(open), isDemo);
    // The recent list is a convenience: a data folder that cannot be written (read-only home, full disk) must not
    // keep the project from opening.
    if (!isDemo) await this.settings.addRecent(open.project.dir).catch(() => undefined);
    return this.dto();
  }

  /**
   * Runs a change to a protected environment only with its exact name typed, and writes it (or its refusal) to that
   * environment's audit trail, reached as configured before the change.
   */
  private async guardedChange(before: EnvironmentConfig, changes: string[], confirm: string | undefined, what: string, change: () => Promise<void>): Promise<void> {
    if (changes.length === 0) return change();
    let env: Environment | null = null;
    try {
      env = await this.withStoredPassword(resolveEnvironment(this.project().project, before));
    } catch {
      // Its URL does not resolve: the entry goes to the local file under its name.
    }
    const audit = (error: string | null) => auditEnvironmentChange(
      { name: before.name, display: env?.display ?? redactSecrets(before.url) },
      (fn) => (env ? this.pool.use(env, fn) : Promise.reject(new Error('unresolved'))),
      changes,
      error,
    );
    try {
      requireTypedName(before.name, confirm, what);
    } catch (err) {
      await audit(describeError(err));
      throw err;
    }
    await change();
    await audit(null);
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
    'environments/status': async ({ drift, env }) => this.statuses(this.project(), { env, drift }),
    'project/overview': async ({ reread, have }) => {
      if (!this.current) return null;
      const before = this.current;
      let shown = before;
      let statuses: EnvironmentStatusDto[];
      if (reread === false) statuses = await this.statuses(before.open);
      else {
        const read = await rereadWithStatuses(before.open.project.dir, (p) => this.withAdhocProject(p), (open) => this.statuses(open));
        shown = this.numbered(read.open, before.isDemo);
        // Unless another project was opened meanwhile: this answer is still about the project it read.
        if (this.current === before) this.current = shown;
        statuses = read.statuses;
      }
      // The project and the statuses of one reading of the folder: the names the statuses are packed against.
      const project = await this.dto(shown);
      // Not sent again to a caller that holds this very reading (it has just opened the project).
      const held = reread === false && have === shown.reading;
      return { project: held ? null : project, reading: shown.reading, statuses: packStatuses(project, statuses) };
    },
    'environments/save': async (input) => {
      this.project();
      const dir = this.current!.open.project.dir;
      const edit: EnvironmentConfig = { name: input.name, url: input.url, protected: input.protected, shadowDatabaseUrl: input.shadowDatabaseUrl || undefined };
      // Connection reach (engine/db/): null removes, absent keeps what godwit.json has.
      if (input.ssh !== undefined) edit.ssh = input.ssh ?? undefined;
      if (input.passwordCommand !== undefined) edit.passwordCommand = input.passwordCommand ?? undefined;
      const before = (await readGodwitJson(dir))?.find((e) => e.name === (input.previousName ?? input.name));
      const changes = protectedChanges(before, edit);
      await this.guardedChange(before!, changes, input.confirm, 'change the protected environment', () => saveEnvironment(dir, edit, input.previousName));
      if (input.previousName && input.previousName !== input.name) {
        await this.secrets.set(secretKey(dir, input.name), (await this.secrets.get(secretKey(dir, input.previousName))) ?? null);
        await this.secrets.set(secretKey(dir, input.previousName), null);
      }
      if (input.password !== undefined) await this.secrets.set(secretKey(dir, input.name), input.password || null);
      if (input.sshPassphrase !== undefined) await this.secrets.set(sshPassphraseKey(dir, input.name), input.sshPassphrase || null);
      return this.reload();
    },
    'environments/remove': async ({ name, confirm }) => {
      const before = (await readGodwitJson(this.project().project.dir))?.find((e) => e.name === name);
      if (before?.protected) await this.guardedChange(before, ['remove'], confirm, 'remove the protected environment', () => removeEnvironment(this.project().project.dir, name));
      else {
        requireTypedName(name, confirm, 'remove the environment');
        await removeEnvironment(this.project().project.dir, name);
      }
      await this.secrets.set(secretKey(this.project().project.dir, name), null);
      await this.secrets.set(sshPassphraseKey(this.project().project.dir, name), null);
      return this.reload();
    },
    'environments/test': async ({ url, name, password }) => {
      const env = selectEnvironments(this.project().project, { url })[0]!;
      if (env.target.kind !== 'postgres') return { ok: true, message: 'Embedded databases need no connection.' };
      // The saved password goes only to the database and role it was saved for: a test of another URL under the
      // environment's name must not send it to whatever server that URL names.
      const saved = name && this.project().project.environments.some((e) => e.name === name)
        ? settleEnvironments(this.project().project, { env: [name] })[0]?.env?.target
        : undefined;
      const sameTarget = saved?.kind === 'postgres' && sameLogin(saved.url, env.target.url);
      const stored = name && sameTarget ? await this.secrets.get(secretKey(this.project().project.dir, name)) : undefined;
      try {
        const db = await connectPostgres({ url: withPassword(env.target.url, password || stored) });
        const [row] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
        await db.close();
        return { ok: true, message: redactSecrets(`Connected to PostgreSQL ${row?.v ?? ''} at ${env.display}.`) };
      } catch (err) {
        return { ok: false, message: redactSecrets(describeError(err)) };
      }
    },
    'environments/testConnection': async ({ name, acceptHostKey, password }) => {
      const env = await this.env(name);
      if (env.target.kind !== 'postgres') return { ok: true, hops: [{ hop: 'auth', ok: true, message: 'Embedded databases need no connection.' }] };
      const t = env.target;
      return testConnectionHops({ url: withPassword(t.url, password), name, ssh: t.ssh, passwordCommand: t.passwordCommand, sshPassphrase: t.sshPassphrase, acceptHostKey });
    },
    'environments/compare': async ({ a, b }) => {
      const [ea, eb] = [await this.env(a), await this.env(b)];
      const snapA = await this.pool.use(ea, (db) => readCatalog(db));
      const snapB = await this.pool.use(eb, (db) => readCatalog(db));
      return { a, b, ...compareCatalogs(snapA, snapB) };
    },
    'migrations/detail': async ({ name }) => {
      const m = findMigration(this.project().folder, name);
      await loadSqlParser();
      const up = prepareScript(m.upSql);
      const down = m.downSql === null ? null : prepareScript(m.downSql);
      return {
        name, upSql: m.upSql, downSql: m.downSql, checksum: m.checksum, upWarnings: up.warnings,
        downWarnings: down?.warnings ?? [], nonTransactional: up.nonTransactional,
        upUnanalysed: up.unanalysed, downUnanalysed: down?.unanalysed ?? false, upParseError: up.parseError, downParseError: down?.parseError ?? null,
      };
    },
    'migrations/preview': async ({ env, direction, steps, to, base }) => {
      const e = await this.env(env);
      const { plan, analysis } = await this.pool.use(e, async (db) => {
        const plan = await planFor(this.project(), e, db, direction === 'up' ? { direction, to } : { direction, steps, to, base });
        return { plan, analysis: await analyzePlan(plan, { db }) };
      });
      return previewDto(plan, analysis, e);
    },
    'migrations/apply': async ({ env, to, confirm, runId, ignoreBlockers, noBackup, allowLargeBackup }) => {
      const e = await this.env(env);
      const report = await this.stoppable(runId, (stopAfterCurrent) => this.pool.use(e, async (db) => {
        // A protected environment: refused while a session blocks what the plan needs (engine/preflight).
        await preflightGate({ db, env: e, folder: this.project().folder }, { direction: 'up', to }, { confirm, ignoreBlockers });
        return upgrade({ db, env: e, folder: this.project().folder }, { to, confirm, onProgress: (p) => this.emit(runId, p), backup: { noBackup, allowLargeBackup }, stopAfterCurrent });
      }));
      return { ...report, completed: report.completed.map((c) => ({ ...c })) };
    },
    'migrations/rollback': async ({ env, steps, to, base, confirm, runId, ignoreBlockers, noRestore }) => {
      const e = await this.env(env);
      return this.stoppable(runId, (stopAfterCurrent) => this.pool.use(e, async (db) => {
        await preflightGate({ db, env: e, folder: this.project().folder }, { direction: 'down', steps, to, base }, { confirm, ignoreBlockers });
        return rollback({ db, env: e, folder: this.project().folder }, { steps, to, base, confirm, onProgress: (p) => this.emit(runId, p), backup: { noRestore }, stopAfterCurrent });
      }));
    },
    'migrations/stop': async ({ runId }) => {
      const run = this.stops.get(runId);
      run?.abort();
      return { stopping: run !== undefined };
    },
    'migrations/preflight': async ({ env, direction, steps, to, base, ...thresholds }) => {
      const e = await this.env(env);
      return this.pool.use(e, async (db) => {
        const plan = await currentPlan(db, e, this.project().folder, direction === 'down' ? { direction, steps, to, base } : { direction: 'up', to });
        return runPreflight(db, e, plan, thresholds);
      });
    },
    'migrations/rehearse': async ({ env, sample }) => {
      const e = await this.env(env);
      return this.pool.use(e, (db) => rehearse({ db, env: e, folder: this.project().folder }, { sample }));
    },
    'migrations/create': async ({ env, name, empty }) => {
      const e = await this.env(env);
      const open = await openProject(this.project().project.dir); // the schema may have changed on disk
      const created = await this.pool.use(e, (db) => createMigration(db, open.project, open.folder, name, { empty, write: false, shadowCache: usesShadowCache(e) }));
      return created && { name: created.name, upSql: created.upSql, downSql: created.downSql, warnings: created.warnings, unexecutable: created.unexecutable };
    },
    'migrations/saveNew': async ({ name, upSql, downSql }) => {
      await writeMigrationPair(this.project().folder, name, upSql, downSql);
      return this.reload();
    },
    'migrations/resolve': async ({ env, name, as, confirm }) => {
      const e = await this.env(env);
      await this.pool.use(e, (db) => resolveMigration({ db, env: e, folder: this.project().folder }, name, as, { confirm }));
      return { environment: env, name, as };
    },
    'migrations/generateDown': async ({ env, name, write }) => {
      const e = await this.env(env);
      const result = await this.pool.use(e, (db) => generateDownSql(db, this.project().project, this.project().folder, name, { write, shadowCache: usesShadowCache(e) }));
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
    'tables/structure': async ({ env, schema, name }) => {
      const e = await this.env(env);
      return this.pool.use(e, (db) => tableStructure(db, env, schema, name));
    },
    'tables/compare': async (input) => compareTablePair(await this.tablePair(input)),
    'tables/generateMigration': async ({ migrationName, ...input }) => tableMigration(await this.tablePair(input), migrationName),
    'audit/list': async ({ env }) => {
      const e = await this.env(env);
      return (await this.pool.use(e, (db) => readAudit(db, 200))).map((a) => ({ ...a, error: a.error === null ? null : redactSecrets(a.error) }));
    },
    'backups/list': async ({ env }) => {
      const e = await this.env(env);
      return this.pool.use(e, (db) => backupsListOp(db, e));
    },
    'backups/drop': async ({ env, ids, all, confirm }) => {
      const e = await this.env(env);
      return this.pool.use(e, (db) => backupsDropOp(db, e, { ids, all, confirm }));
    },
    'settings/get': async () => this.settings.read(),
    'settings/set': async ({ theme }) => this.settings.update((s) => ({ ...s, ...(theme ? { theme } : {}) })),
    'project/check': async ({ env, ...req }) =>
      checkOperation(this.project().project.dir, req, env ? await this.env(env) : undefined, (e, fn) => this.pool.use(e, fn)),
    'environments/adoptDrift': async ({ env, name, confirm }) => {
      const e = await this.env(env);
      const open = await openProject(this.project().project.dir);
      const adopted = await this.pool.use(e, (db) => adoptDrift(db, e, open, name, { confirm }));
      if (adopted) await this.reload();
      return adopted && { name: adopted.name, upSql: adopted.upSql, downSql: adopted.downSql };
    },
    'project/browse': async ({ path }) => browseFolders(path),
    'migrations/analyseSql': async ({ upSql, downSql }) => {
      await loadSqlParser();
      const [up, down] = [prepareScript(upSql), prepareScript(downSql)];
      return { upWarnings: up.warnings, downWarnings: down.warnings, nonTransactional: up.nonTransactional, upParseError: up.parseError, downParseError: down.parseError };
    },
  };
}
