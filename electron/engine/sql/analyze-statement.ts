import type { Node } from '@pgsql/types';

/** Why a statement cannot run inside a transaction block, or null when it can. */
export function nonTransactionalReason(node: Node | null): string | null {
  if (!node) return null;
  const [kind, body] = Object.entries(node)[0] as [string, Record<string, unknown>];
  const concurrently = (b: Record<string, unknown>) =>
    Array.isArray(b.params) && b.params.some((p) => (p as { DefElem?: { defname?: string } }).DefElem?.defname === 'concurrently');
  switch (kind) {
    case 'IndexStmt':
      return body.concurrent ? 'CREATE INDEX CONCURRENTLY' : null;
    case 'DropStmt':
      return body.concurrent ? 'DROP INDEX CONCURRENTLY' : null;
    case 'ReindexStmt':
      return concurrently(body) ? 'REINDEX CONCURRENTLY' : null;
    case 'VacuumStmt':
      return body.is_vacuumcmd ? 'VACUUM' : null;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'CreateSubscriptionStmt':
      return 'CREATE SUBSCRIPTION';
    case 'DropSubscriptionStmt':
      return 'DROP SUBSCRIPTION';
    case 'TransactionStmt':
      return 'its own transaction control (BEGIN/COMMIT)';
    default:
      return null;
  }
}

const DROP_KINDS: Record<string, string> = {
  OBJECT_TABLE: 'DROP TABLE',
  OBJECT_SCHEMA: 'DROP SCHEMA',
  OBJECT_TYPE: 'DROP TYPE',
  OBJECT_DOMAIN: 'DROP DOMAIN',
  OBJECT_VIEW: 'DROP VIEW',
  OBJECT_MATVIEW: 'DROP MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'DROP SEQUENCE',
  OBJECT_FUNCTION: 'DROP FUNCTION',
  OBJECT_EXTENSION: 'DROP EXTENSION',
};

// Dropping a default, an index or a constraint loses no row and cannot fail on one: not flagged (on ghostfolio's
// history they were half the warnings, drowning the DROP COLUMNs). Their locks are the lock analysis's to show.
const ALTER_KINDS: Record<string, string> = {
  AT_DropColumn: 'DROP COLUMN',
  AT_AlterColumnType: 'ALTER COLUMN TYPE',
  AT_SetNotNull: 'SET NOT NULL',
};

/** Destructive operations in one statement: what may lose data or fail on existing rows. */
export function destructiveOperations(node: Node | null): string[] {
  if (!node) return [];
  const [kind, body] = Object.entries(node)[0] as [string, Record<string, unknown>];
  switch (kind) {
    case 'DropStmt': {
      if (body.removeType === 'OBJECT_INDEX') return [];
      const what = DROP_KINDS[String(body.removeType)] ?? 'DROP';
      return [body.behavior === 'DROP_CASCADE' ? `${what} … CASCADE` : what];
    }
    case 'TruncateStmt':
      return ['TRUNCATE'];
    case 'DeleteStmt':
      return body.whereClause ? [] : ['DELETE without WHERE'];
    case 'UpdateStmt':
      return body.whereClause ? [] : ['UPDATE without WHERE'];
    case 'AlterTableStmt': {
      const ops: string[] = [];
      for (const cmd of (body.cmds as { AlterTableCmd?: { subtype?: string } }[] | undefined) ?? []) {
        const sub = cmd.AlterTableCmd?.subtype ?? '';
        if (ALTER_KINDS[sub]) ops.push(ALTER_KINDS[sub]);
      }
      return [...new Set(ops)];
    }
    case 'DropOwnedStmt':
      return ['DROP OWNED'];
    default:
      return [];
  }
}
