import type { LockMode } from './lock-modes.ts';
import type { AnalysisContext, Findings } from './findings.ts';
import { kindOf, list, rangeVarName, str, strings, typeRef, unwrap, type Json } from './parse-tree.ts';
import { analyzeColumnDef } from './column-def.ts';
import { addConstraint } from './add-constraint.ts';
import { typeChangeRewrites } from './type-change.ts';

/**
 * ALTER TABLE subcommands by the lock AlterTableGetLockLevel (tablecmds.c) gives them; anything not listed takes
 * AccessExclusive, as PostgreSQL's own default does. Constraints and partitions are decided in the code below.
 */
const SUBCOMMAND_LOCK: Record<string, LockMode> = {
  AT_SetStatistics: 'ShareUpdateExclusiveLock',
  AT_SetOptions: 'ShareUpdateExclusiveLock',
  AT_ResetOptions: 'ShareUpdateExclusiveLock',
  AT_ClusterOn: 'ShareUpdateExclusiveLock',
  AT_DropCluster: 'ShareUpdateExclusiveLock',
  AT_SetRelOptions: 'ShareUpdateExclusiveLock',
  AT_ResetRelOptions: 'ShareUpdateExclusiveLock',
  AT_ValidateConstraint: 'ShareUpdateExclusiveLock',
  AT_DetachPartitionFinalize: 'ShareUpdateExclusiveLock',
  AT_AlterConstraint: 'ShareRowExclusiveLock',
  AT_EnableTrig: 'ShareRowExclusiveLock',
  AT_EnableAlwaysTrig: 'ShareRowExclusiveLock',
  AT_EnableReplicaTrig: 'ShareRowExclusiveLock',
  AT_EnableTrigAll: 'ShareRowExclusiveLock',
  AT_EnableTrigUser: 'ShareRowExclusiveLock',
  AT_DisableTrig: 'ShareRowExclusiveLock',
  AT_DisableTrigAll: 'ShareRowExclusiveLock',
  AT_DisableTrigUser: 'ShareRowExclusiveLock',
};

/** Subcommands that give the table a new file. */
const REWRITES = new Set(['AT_SetLogged', 'AT_SetUnLogged', 'AT_SetTableSpace', 'AT_SetAccessMethod']);

const EXPAND_CONTRACT_TYPE =
  'Change the type without a rewrite under lock: add a new column, backfill it in batches, switch the application to it, then drop the old one (expand/contract).';

/** `USING col` or `USING col::type`: the same value the implicit coercion would give. */
function usingIsPlainColumn(using: unknown, column: string): boolean {
  if (!using) return true;
  let expr: unknown = using;
  const cast = unwrap(expr, 'TypeCast');
  if (cast) expr = cast.arg;
  const ref = unwrap(expr, 'ColumnRef');
  return ref !== undefined && strings(ref.fields).at(-1) === column;
}

function alterColumnType(table: string, cmd: Json, f: Findings, ctx: AnalysisContext): void {
  const column = str(cmd.name) ?? '';
  const def = unwrap(cmd.def, 'ColumnDef') ?? {};
  const to = typeRef(def.typeName);
  const from = ctx.model.columnType(table, column);
  const verdict = typeChangeRewrites(from, to, usingIsPlainColumn(def.raw_default, column));
  if (verdict.rewrite) {
    f.rewrite = true;
    f.warn(`Rewrites ${table} and rebuilds its indexes under an ACCESS EXCLUSIVE lock (${column}: ${from?.name ?? '?'} → ${to?.name ?? '?'})${verdict.note ? `; ${verdict.note}` : ''}.`);
    f.advise(EXPAND_CONTRACT_TYPE);
  } else if (verdict.note) f.warn(verdict.note);
  // Foreign keys on the column are rebuilt: the table at their other end is locked ACCESS EXCLUSIVE too.
  for (const other of ctx.model.foreignKeysOnColumn(table, column)) f.lock(other, 'AccessExclusiveLock');
  if (to) ctx.model.touch(table).columns.set(column, to);
}

function setNotNull(table: string, column: string, f: Findings, ctx: AnalysisContext): void {
  const proven = ctx.version >= 12 && [...(ctx.model.get(table)?.constraints.values() ?? [])].some((c) => c.validated && c.notNullColumn === column);
  if (proven) return;
  f.scan = true;
  f.warn(`SET NOT NULL reads all of ${table} under an ACCESS EXCLUSIVE lock to check for NULLs, and fails if it finds one.`);
  f.advise(
    ctx.version >= 12
      ? `First ADD CONSTRAINT … CHECK ("${column}" IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT (reads and writes go on); SET NOT NULL then skips the scan, and the CHECK can be dropped.`
      : 'On PostgreSQL before 12 SET NOT NULL always scans; keep a CHECK (… IS NOT NULL) constraint, added NOT VALID and validated, instead.',
  );
}

function attachPartition(parent: string, cmd: Json, f: Findings, ctx: AnalysisContext): void {
  const pc = unwrap(cmd.def, 'PartitionCmd') ?? {};
  const partition = rangeVarName(pc.name);
  // PostgreSQL 12 lowered the parent's lock from AccessExclusive to ShareUpdateExclusive.
  f.lock(parent, ctx.version >= 12 ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
  f.lock(partition, 'AccessExclusiveLock');
  const defaultPartition = ctx.model.get(parent)?.defaultPartition;
  if (defaultPartition) {
    f.lock(defaultPartition, 'AccessExclusiveLock');
    f.warn(`Also scans the default partition ${defaultPartition} under ACCESS EXCLUSIVE for rows that belong to the new partition.`);
  }
  f.scan = true;
  f.warn(`Scans ${partition ?? 'the partition'} to check every row fits the partition bound, unless a valid CHECK constraint already proves it.`);
  f.advise('Add a CHECK constraint matching the partition bound to the table first (NOT VALID, then VALIDATE): ATTACH then skips the scan.');
  if (partition) ctx.model.touch(partition);
}

function detachPartition(parent: string, cmd: Json, f: Findings, ctx: AnalysisContext): void {
  const pc = unwrap(cmd.def, 'PartitionCmd') ?? {};
  const partition = rangeVarName(pc.name);
  if (pc.concurrent) {
    f.lock(parent, 'ShareUpdateExclusiveLock');
    f.lock(partition, 'ShareUpdateExclusiveLock');
    return;
  }
  f.lock(parent, 'AccessExclusiveLock');
  f.lock(partition, 'AccessExclusiveLock');
  const defaultPartition = ctx.model.get(parent)?.defaultPartition;
  if (defaultPartition && defaultPartition !== partition) f.lock(defaultPartition, 'AccessExclusiveLock');
  if (ctx.version >= 14) f.advise('DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+, outside a transaction) takes only SHARE UPDATE EXCLUSIVE on the parent.');
}

function dropConstraint(table: string, cmd: Json, f: Findings, ctx: AnalysisContext): void {
  const name = str(cmd.name) ?? '';
  const known = ctx.model.constraint(table, name);
  // Dropping a foreign key removes its triggers on the referenced table too, under AccessExclusive.
  if (known?.type === 'f' && known.references) f.lock(known.references, 'AccessExclusiveLock');
  ctx.model.get(table)?.constraints.delete(name);
}

function validateConstraint(table: string, cmd: Json, f: Findings, ctx: AnalysisContext): void {
  const name = str(cmd.name) ?? '';
  const known = ctx.model.constraint(table, name);
  f.scan = true;
  if (known?.type === 'f' && known.references) f.lock(known.references, 'RowShareLock');
  if (known) known.validated = true;
}

/** ALTER TABLE (and ALTER INDEX/VIEW/… which share its tree): the strongest lock over all subcommands. */
export function analyzeAlterTable(body: Json, f: Findings, ctx: AnalysisContext): void {
  const table = rangeVarName(body.relation);
  if (!table || body.objtype === 'OBJECT_TYPE') return;
  for (const item of list(body.cmds)) {
    const [, cmd] = kindOf(item);
    const sub = str(cmd.subtype) ?? '';
    const column = str(cmd.name) ?? '';
    switch (sub) {
      case 'AT_AddConstraint':
        addConstraint(table, unwrap(cmd.def, 'Constraint') ?? {}, f, ctx);
        continue;
      case 'AT_AttachPartition':
        attachPartition(table, cmd, f, ctx);
        continue;
      case 'AT_DetachPartition':
        detachPartition(table, cmd, f, ctx);
        continue;
      case 'AT_AddColumn':
        analyzeColumnDef(table, unwrap(cmd.def, 'ColumnDef') ?? {}, f, ctx, 'add');
        break;
      case 'AT_AlterColumnType':
        alterColumnType(table, cmd, f, ctx);
        break;
      case 'AT_SetNotNull':
        setNotNull(table, column, f, ctx);
        break;
      case 'AT_DropColumn':
        f.warn(`Dropping ${table}.${column}: application code still reading it fails at once.`);
        f.advise('Remove the field from schema.prisma and deploy the application first; drop the column in a later migration.');
        ctx.model.get(table)?.columns.delete(column);
        break;
      case 'AT_DropConstraint':
        dropConstraint(table, cmd, f, ctx);
        break;
      case 'AT_ValidateConstraint':
        validateConstraint(table, cmd, f, ctx);
        break;
    }
    if (REWRITES.has(sub)) f.rewrite = true;
    f.lock(table, SUBCOMMAND_LOCK[sub] ?? 'AccessExclusiveLock');
  }
}
