/**
 * A deterministic migration history shaped like a real Prisma project's (bench/README.md, "The workload"): wide
 * tables, enums, indexes, foreign keys, ALTERs, renames, backfills over seeded rows, a trigger function, and a few
 * CREATE INDEX CONCURRENTLY files. Every migration has the down.sql that reverses it exactly, so `down --base` ends on
 * an empty schema. Statements are written the way `prisma migrate dev` writes them.
 */
import type { GeneratedMigration } from './generate-project.ts';

/** `pinned`: an index or a foreign key uses it, so no migration drops it (its down.sql could not restore those). */
interface Column { name: string; type: string; notNull: boolean; def?: string | undefined; pinned?: boolean }
interface Table { name: string; columns: Column[]; rows: boolean; indexes: string[]; fks: string[] }
interface EnumType { name: string; values: string[]; usedBy: { table: string; column: string }[] }

/** The mix of migration kinds, in per-mille; README.md gives the reasoning. */
export const KIND_WEIGHTS = {
  createTable: 140, addColumns: 230, createIndex: 120, alterColumn: 100, addForeignKey: 70, backfill: 80,
  renameColumn: 50, createEnum: 50, addEnumValue: 30, dropColumn: 40, renameTable: 15, concurrentIndex: 10,
  triggerFunction: 15, renameIndex: 50,
} as const;
type Kind = keyof typeof KIND_WEIGHTS;

const q = (s: string) => `"${s}"`;
const WORDS = ['account', 'booking', 'event', 'team', 'member', 'invoice', 'payment', 'schedule', 'webhook', 'credential', 'workflow', 'reminder', 'attendee', 'profile', 'session', 'token', 'feature', 'routing', 'form', 'app'];
const FIELDS = ['title', 'slug', 'status', 'metadata', 'locale', 'timeZone', 'position', 'hidden', 'amount', 'currency', 'description', 'externalId', 'color', 'priority', 'notes', 'length', 'seats', 'price', 'source', 'theme'];
const TYPES = ['TEXT', 'INTEGER', 'BOOLEAN', 'TIMESTAMP(3)', 'JSONB', 'DOUBLE PRECISION', 'VARCHAR(255)', 'BIGINT', 'TEXT[]'];
const DEFAULTS: Record<string, string> = { INTEGER: '0', BOOLEAN: 'false', 'TIMESTAMP(3)': 'CURRENT_TIMESTAMP', JSONB: `'{}'`, 'DOUBLE PRECISION': '0', BIGINT: '0', TEXT: `''`, 'VARCHAR(255)': `''`, 'TEXT[]': `ARRAY[]::TEXT[]` };

/** A small deterministic PRNG (mulberry32): the same count always yields the same history. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const columnSql = (c: Column) => `    ${q(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.def ? ` DEFAULT ${c.def}` : ''}`;

export function generateRealisticHistory(count: number, seed = 20240101): GeneratedMigration[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const tables: Table[] = [];
  const enums: EnumType[] = [];
  let serial = 0;
  const fresh = (base: string) => `${base}${++serial}`;
  const kinds = Object.entries(KIND_WEIGHTS) as [Kind, number][];
  const total = kinds.reduce((s, [, w]) => s + w, 0);
  const chooseKind = (): Kind => {
    let r = rnd() * total;
    for (const [k, w] of kinds) if ((r -= w) < 0) return k;
    return 'addColumns';
  };
  // Columns other migrations may rename, drop or index: not the key, the timestamps a trigger uses, or enum columns.
  const plainColumns = (t: Table) => t.columns.filter((c) => !['id', 'createdAt', 'updatedAt'].includes(c.name) && !enums.some((e) => e.usedBy.some((u) => u.column === c.name)));

  const createTable = (): { label: string; up: string; down: string } => {
    const name = `${pick(WORDS)[0]!.toUpperCase()}${pick(WORDS).slice(1)}${fresh('')}`;
    const columns: Column[] = [{ name: 'id', type: 'SERIAL', notNull: true }];
    const width = 6 + Math.floor(rnd() * 15);
    for (let i = 0; i < width; i++) {
      const type = pick(TYPES);
      const notNull = rnd() < 0.5;
      columns.push({ name: fresh(pick(FIELDS)), type, notNull, def: notNull || rnd() < 0.3 ? DEFAULTS[type] : undefined });
    }
    columns.push({ name: 'createdAt', type: 'TIMESTAMP(3)', notNull: true, def: 'CURRENT_TIMESTAMP' }, { name: 'updatedAt', type: 'TIMESTAMP(3)', notNull: true, def: 'CURRENT_TIMESTAMP' });
    const table: Table = { name, columns, rows: rnd() < 0.3, indexes: [], fks: [] };
    let up = `-- CreateTable\nCREATE TABLE ${q(name)} (\n${columns.map(columnSql).join(',\n')},\n\n    CONSTRAINT ${q(`${name}_pkey`)} PRIMARY KEY ("id")\n);\n`;
    const unique = columns[1]!;
    unique.pinned = true;
    const ix = `${name}_${unique.name}_idx`;
    up += `\n-- CreateIndex\nCREATE INDEX ${q(ix)} ON ${q(name)}(${q(unique.name)});\n`;
    table.indexes.push(ix);
    const parent = tables.length ? pick(tables) : null;
    if (parent) {
      const col = `${parent.name.toLowerCase()}Id`;
      const fk = `${name}_${col}_fkey`;
      table.columns.push({ name: col, type: 'INTEGER', notNull: false, pinned: true });
      up = up.replace(`,\n\n    CONSTRAINT`, `,\n${columnSql({ name: col, type: 'INTEGER', notNull: false })},\n\n    CONSTRAINT`);
      up += `\n-- AddForeignKey\nALTER TABLE ${q(name)} ADD CONSTRAINT ${q(fk)} FOREIGN KEY (${q(col)}) REFERENCES ${q(parent.name)}("id") ON DELETE SET NULL ON UPDATE CASCADE;\n`;
      table.fks.push(fk);
    }
    if (table.rows) up += `\n-- Seed (hand-written)\nINSERT INTO ${q(name)} ("createdAt") SELECT CURRENT_TIMESTAMP FROM generate_series(1, 200);\n`;
    tables.push(table);
    return { label: `create_${name.toLowerCase()}`, up, down: `-- DropTable\nDROP TABLE ${q(name)};\n` };
  };

  const kindSql: Record<Kind, () => { label: string; up: string; down: string } | null> = {
    createTable,
    addColumns: () => {
      const t = pick(tables);
      const added = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
        const type = pick(TYPES);
        const notNull = rnd() < 0.4;
        return { name: fresh(pick(FIELDS)), type, notNull, def: notNull ? DEFAULTS[type] : undefined };
      });
      t.columns.push(...added);
      return {
        label: `add_${added[0]!.name.toLowerCase()}_to_${t.name.toLowerCase()}`,
        up: `-- AlterTable\nALTER TABLE ${q(t.name)} ${added.map((c) => `ADD COLUMN     ${columnSql(c).trim()}`).join(',\n')};\n`,
        down: `-- AlterTable\nALTER TABLE ${q(t.name)} ${added.map((c) => `DROP COLUMN ${q(c.name)}`).join(',\n')};\n`,
      };
    },
    createIndex: () => {
      const t = pick(tables);
      const cols = plainColumns(t).filter((c) => !c.type.endsWith('[]') && c.type !== 'JSONB');
      if (!cols.length) return null;
      const a = pick(cols);
      const b = rnd() < 0.4 ? pick(cols) : null;
      const on = b && b !== a ? [a, b] : [a];
      const unique = rnd() < 0.25 && !t.rows;
      const name = `${t.name}_${on.map((c) => c.name).join('_')}_${unique ? 'key' : 'idx'}`;
      if (t.indexes.includes(name)) return null;
      t.indexes.push(name);
      for (const c of on) c.pinned = true;
      return {
        label: `index_${t.name.toLowerCase()}_${a.name.toLowerCase()}`,
        up: `-- CreateIndex\nCREATE ${unique ? 'UNIQUE ' : ''}INDEX ${q(name)} ON ${q(t.name)}(${on.map((c) => q(c.name)).join(', ')});\n`,
        down: `-- DropIndex\nDROP INDEX ${q(name)};\n`,
      };
    },
    concurrentIndex: () => {
      const t = pick(tables);
      const name = `${t.name}_createdAt_${fresh('c')}_idx`;
      t.indexes.push(name);
      // Hand-edited, as teams do for big tables: PostgreSQL refuses it inside a transaction block.
      return { label: `concurrent_index_${t.name.toLowerCase()}`, up: `CREATE INDEX CONCURRENTLY ${q(name)} ON ${q(t.name)}("createdAt");\n`, down: `DROP INDEX ${q(name)};\n` };
    },
    alterColumn: () => {
      const t = pick(tables);
      const c = pick(plainColumns(t));
      if (!c) return null;
      if (c.type === 'VARCHAR(255)') {
        c.type = 'VARCHAR(1000)';
        return { label: `widen_${c.name.toLowerCase()}`, up: `-- AlterTable\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} SET DATA TYPE VARCHAR(1000);\n`, down: `-- AlterTable\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} SET DATA TYPE VARCHAR(255);\n` };
      }
      if (c.notNull) {
        c.notNull = false;
        return { label: `optional_${c.name.toLowerCase()}`, up: `-- AlterTable\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} DROP NOT NULL;\n`, down: `-- AlterTable\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} SET NOT NULL;\n` };
      }
      const def = DEFAULTS[c.type];
      if (!def || c.def) return null;
      c.def = def;
      return { label: `default_${c.name.toLowerCase()}`, up: `-- AlterTable\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} SET DEFAULT ${def};\n`, down: `-- AlterTable\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(c.name)} DROP DEFAULT;\n` };
    },
    addForeignKey: () => {
      if (tables.length < 2) return null;
      const [child, parent] = [pick(tables), pick(tables)];
      if (child === parent) return null;
      const col = fresh(`${parent.name.toLowerCase()}Ref`);
      const fk = `${child.name}_${col}_fkey`;
      child.columns.push({ name: col, type: 'INTEGER', notNull: false, pinned: true });
      child.fks.push(fk);
      child.indexes.push(`${child.name}_${col}_idx`);
      return {
        label: `relate_${child.name.toLowerCase()}_${parent.name.toLowerCase()}`,
        up: `-- AlterTable\nALTER TABLE ${q(child.name)} ADD COLUMN     ${q(col)} INTEGER;\n\n-- CreateIndex\nCREATE INDEX ${q(`${child.name}_${col}_idx`)} ON ${q(child.name)}(${q(col)});\n\n-- AddForeignKey\nALTER TABLE ${q(child.name)} ADD CONSTRAINT ${q(fk)} FOREIGN KEY (${q(col)}) REFERENCES ${q(parent.name)}("id") ON DELETE CASCADE ON UPDATE CASCADE;\n`,
        down: `-- DropForeignKey\nALTER TABLE ${q(child.name)} DROP CONSTRAINT ${q(fk)};\n\n-- AlterTable\nALTER TABLE ${q(child.name)} DROP COLUMN ${q(col)};\n`,
      };
    },
    backfill: () => {
      const t = tables.filter((x) => x.rows).at(-1) ?? pick(tables);
      const col = fresh('backfilled');
      t.columns.push({ name: col, type: 'INTEGER', notNull: true });
      // Add nullable, fill the existing rows, then require it: what a hand-edited Prisma migration does.
      return {
        label: `backfill_${t.name.toLowerCase()}_${col}`,
        up: `-- AlterTable\nALTER TABLE ${q(t.name)} ADD COLUMN     ${q(col)} INTEGER;\n\n-- Backfill\nUPDATE ${q(t.name)} SET ${q(col)} = mod("id", 7) WHERE ${q(col)} IS NULL;\n\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(col)} SET NOT NULL;\n`,
        down: `-- AlterTable\nALTER TABLE ${q(t.name)} DROP COLUMN ${q(col)};\n`,
      };
    },
    renameColumn: () => {
      const t = pick(tables);
      const c = pick(plainColumns(t));
      if (!c) return null;
      const from = c.name;
      c.name = fresh(`${from.replace(/\d+$/, '')}Renamed`);
      return { label: `rename_${from.toLowerCase()}`, up: `-- AlterTable\nALTER TABLE ${q(t.name)} RENAME COLUMN ${q(from)} TO ${q(c.name)};\n`, down: `-- AlterTable\nALTER TABLE ${q(t.name)} RENAME COLUMN ${q(c.name)} TO ${q(from)};\n` };
    },
    renameTable: () => {
      const t = pick(tables);
      const from = t.name;
      t.name = fresh(`${from.replace(/\d+$/, '')}V`);
      return { label: `rename_${from.toLowerCase()}`, up: `-- AlterTable\nALTER TABLE ${q(from)} RENAME TO ${q(t.name)};\n`, down: `-- AlterTable\nALTER TABLE ${q(t.name)} RENAME TO ${q(from)};\n` };
    },
    renameIndex: () => {
      const t = pick(tables);
      const from = t.indexes.at(-1);
      if (!from) return null;
      const to = fresh(`${t.name}_renamed`) + '_idx';
      t.indexes[t.indexes.length - 1] = to;
      return { label: `rename_index_${t.name.toLowerCase()}`, up: `-- RenameIndex\nALTER INDEX ${q(from)} RENAME TO ${q(to)};\n`, down: `-- RenameIndex\nALTER INDEX ${q(to)} RENAME TO ${q(from)};\n` };
    },
    createEnum: () => {
      const t = pick(tables);
      const e: EnumType = { name: fresh('Status'), values: ['PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED'].slice(0, 2 + Math.floor(rnd() * 3)), usedBy: [] };
      const col = fresh('state');
      e.usedBy.push({ table: t.name, column: col });
      enums.push(e);
      t.columns.push({ name: col, type: q(e.name), notNull: true, def: `'${e.values[0]}'` });
      return {
        label: `add_${e.name.toLowerCase()}_enum`,
        up: `-- CreateEnum\nCREATE TYPE ${q(e.name)} AS ENUM (${e.values.map((v) => `'${v}'`).join(', ')});\n\n-- AlterTable\nALTER TABLE ${q(t.name)} ADD COLUMN     ${q(col)} ${q(e.name)} NOT NULL DEFAULT '${e.values[0]}';\n`,
        down: `-- AlterTable\nALTER TABLE ${q(t.name)} DROP COLUMN ${q(col)};\n\n-- DropEnum\nDROP TYPE ${q(e.name)};\n`,
      };
    },
    addEnumValue: () => {
      const e = enums.at(-1);
      if (!e || e.usedBy.length !== 1) return null;
      const value = fresh('VALUE_');
      const before = [...e.values];
      e.values.push(value);
      const { column } = e.usedBy[0]!;
      const t = tables.find((x) => x.columns.some((c) => c.name === column));
      if (!t) return null;
      // The down is Prisma's own recipe for removing an enum value: a new type and a cast.
      return {
        label: `add_${value.toLowerCase()}_to_${e.name.toLowerCase()}`,
        up: `-- AlterEnum\nALTER TYPE ${q(e.name)} ADD VALUE '${value}';\n`,
        down: `-- AlterEnum\nCREATE TYPE ${q(`${e.name}_new`)} AS ENUM (${before.map((v) => `'${v}'`).join(', ')});\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(column)} DROP DEFAULT;\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(column)} TYPE ${q(`${e.name}_new`)} USING (${q(column)}::text::${q(`${e.name}_new`)});\nALTER TYPE ${q(e.name)} RENAME TO ${q(`${e.name}_old`)};\nALTER TYPE ${q(`${e.name}_new`)} RENAME TO ${q(e.name)};\nDROP TYPE ${q(`${e.name}_old`)};\nALTER TABLE ${q(t.name)} ALTER COLUMN ${q(column)} SET DEFAULT '${before[0]}';\n`,
      };
    },
    dropColumn: () => {
      const t = pick(tables);
      // Only a column whose re-adding in down.sql restores a valid table: nullable, and filled by a default if it has rows.
      const c = plainColumns(t).filter((x) => !x.notNull && !x.pinned && (x.def !== undefined || !t.rows)).at(-1);
      if (!c) return null;
      t.columns = t.columns.filter((x) => x !== c);
      return { label: `drop_${c.name.toLowerCase()}`, up: `/*\n  Warnings:\n\n  - You are about to drop the column \`${c.name}\` on the \`${t.name}\` table. All the data in the column will be lost.\n\n*/\n-- AlterTable\nALTER TABLE ${q(t.name)} DROP COLUMN ${q(c.name)};\n`, down: `-- AlterTable\nALTER TABLE ${q(t.name)} ADD COLUMN     ${columnSql(c).trim()};\n` };
    },
    triggerFunction: () => {
      const t = pick(tables);
      const fn = fresh('touch_updated_at_');
      const trg = `${fn}_trg`;
      return {
        label: `trigger_${t.name.toLowerCase()}`,
        up: `-- Hand-written: keep "updatedAt" current\nCREATE OR REPLACE FUNCTION ${q(fn)}() RETURNS trigger AS $$\nBEGIN\n  NEW."updatedAt" := CURRENT_TIMESTAMP; -- ; inside a body\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n\nCREATE TRIGGER ${q(trg)} BEFORE UPDATE ON ${q(t.name)} FOR EACH ROW EXECUTE FUNCTION ${q(fn)}();\n`,
        down: `DROP TRIGGER ${q(trg)} ON ${q(t.name)};\nDROP FUNCTION ${q(fn)}();\n`,
      };
    },
  };

  const out: GeneratedMigration[] = [];
  for (let i = 0; i < count; i++) {
    const kind: Kind = tables.length < 3 || i % 40 === 0 ? 'createTable' : chooseKind();
    const m = kindSql[kind]() ?? kindSql.addColumns()!;
    // A real timestamp, a minute apart (Prisma's YYYYMMDDhhmmss): the app reads the date from it.
    const stamp = new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString().replace(/\D/g, '').slice(0, 14);
    out.push({ name: `${stamp}_${m.label}`.slice(0, 200), up: m.up, down: m.down });
  }
  return out;
}
