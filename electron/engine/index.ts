/**
 * The engine's public face: what the CLI, the Electron main process and browser mode call. Pure Node, no Electron.
 */
import type { Db } from './db/db.ts';
import type { Plan } from './apply/plan.ts';
import { loadProject, type Project } from './project/load-project.ts';
import { openEnvironment, selectEnvironments, type Environment, type EnvironmentSelection } from './project/environments.ts';
import { readMigrationsFolder, type MigrationsFolder } from './migrations/read-folder.ts';

export { GodwitError, describeError } from './util/errors.ts';
export { MigrationFailedError } from './apply/migration-failure.ts';
export { upgrade, rollback, type ProgressEvent, type RunReport, type RunOptions } from './apply/run-plan.ts';
export { resolveMigration, type ResolveAs } from './apply/resolve.ts';
export { createMigration, type NewMigration } from './create/new-migration.ts';
export { generateDownSql } from './create/generate-down-sql.ts';
export { readAudit, type AuditEntry } from './audit/audit-log.ts';
export { needsAttention, type EnvironmentStatus } from './status/environment-status.ts';
export type { Project, Environment, EnvironmentSelection, MigrationsFolder, Plan, Db };
export { loadProject, selectEnvironments, openEnvironment, readMigrationsFolder };

export { openProject, withEnvironment, type OpenProject } from './project/open-project.ts';

export { environmentStatus } from './status/environment-status.ts';

export { attachBackups, backupTotals, type BackupChoices, type StepBackup } from './backup/plan-backups.ts';
export { listBackups, dropBackups, expireBackups, type BackupListing } from './backup/catalog.ts';
export { describeStepBackup } from './backup/describe.ts';
export { formatBytes, formatCount } from './backup/settings.ts';

export { planFor, previewSql, type PreviewRequest } from './apply/plan-for.ts';

export { listRelations, listsAccessMethod, type RelationKindFilter, type RelationListing } from './introspect/list-relations.ts';
export { describeRelations } from './introspect/describe-relation.ts';
export type { RelationDescription } from './introspect/relation-facts.ts';
export { renderDescribe } from './introspect/render-describe.ts';
export { renderListing } from './introspect/render-listing.ts';
export { readSchemaSnapshot } from './introspect/schema-snapshot.ts';
export { compareSchemas, type SchemaDifference } from './introspect/compare-schemas.ts';
export { readCatalog } from './catalog/read-catalog.ts';
export { diffCatalogs, groupByKind } from './catalog/diff-catalogs.ts';
export { compareCatalogs, COMPARED_KINDS, type CompareDifference } from './catalog/compare-catalogs.ts';
export { CATALOG_KINDS, type CatalogKind, type CatalogSnapshot, type CatalogObject, type CatalogDifference } from './catalog/types.ts';
export type { CatalogDriftReport, DriftDifference } from './status/detect-drift.ts';
export { analyzePlan, analyzeSql, type AnalyzeOptions } from './analysis/analyze-plan.ts';
export { renderAnnotatedPreview } from './analysis/render-annotated-preview.ts';
export type { PlanAnalysis, MigrationAnalysis, StatementAnalysis, RelationLock, RelationStats, Risk } from './analysis/types.ts';
