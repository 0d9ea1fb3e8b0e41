import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What parsing a script told Godwit, kept between runs of the bundled CLI: a 1,000-migration `up` spent ~0.25 s of a
 * run parsing scripts it had parsed the run before (the parse trees themselves are not kept: they are larger to read
 * back than to rebuild, and only a failing statement or a destructive one needs them).
 *
 * Each record is keyed by the SHA-256 of the script's text, and the file lives in the bundle's own folder
 * (bin/godwit.cjs), which a rebuild replaces: a record never meets code, or a parser version, other than the one that
 * wrote it. A record is a pure function of the script and the code, so no edit can make one stale. Runs from source
 * (the app, tests) keep none (prepare-script.ts already analyses a text once per process), unless a test names a
 * file. `GODWIT_ANALYSIS_CACHE=off` turns it off.
 */
export interface AnalysisRecord {
  /** parseError */
  e: string | null;
  /** nonTransactional */
  n: string[];
  /** warnings: [line, operation, statement] */
  w: [number, string, string][];
  /** Results other modules derived from the parse tree (memo keys carry their own version). */
  m?: Record<string, unknown>;
  /** ownTransaction: [offset, length] of the script's own BEGIN and COMMIT, when they are all its transaction control. */
  o?: [number, number][];
}

/** The bundle's folder, set by bin/godwit.cjs before the CLI runs. */
const BUILD_DIR = Symbol.for('godwit.buildDir');
/** More records than this and the file restarts with this run's: a bound on what every run reads. */
const MAX_RECORDS = 20_000;

let file: string | null | undefined;
/** As read: a record is checked when first asked for (a run uses about half of what the file holds). */
let records: Map<string, unknown> | undefined;
let used: Set<string> | undefined;
let dirty = false;

/** For tests: keep records in `path` (null: none; undefined: decide as a run does), starting from what it holds. */
export function useAnalysisCacheFile(path: string | null | undefined): void {
  file = path;
  records = undefined;
  used = undefined;
  dirty = false;
}

function cacheFile(): string | null {
  if (file === undefined) {
    const dir = (globalThis as Record<symbol, unknown>)[BUILD_DIR];
    const off = /^(off|0|false|no)$/i.test(process.env.GODWIT_ANALYSIS_CACHE?.trim() ?? '');
    file = !off && typeof dir === 'string' ? join(dir, 'script-analysis.json') : null;
  }
  return file;
}

const isRecord = (r: unknown): r is AnalysisRecord => {
  const v = r as AnalysisRecord | null;
  return !!v && typeof v === 'object' && (v.e === null || typeof v.e === 'string') && Array.isArray(v.n) && v.n.every((x) => typeof x === 'string') &&
    Array.isArray(v.w) && v.w.every((w) => Array.isArray(w) && typeof w[0] === 'number' && typeof w[1] === 'string' && typeof w[2] === 'string') &&
    (v.m === undefined || (typeof v.m === 'object' && v.m !== null)) &&
    (v.o === undefined || (Array.isArray(v.o) && v.o.every((o) => Array.isArray(o) && typeof o[0] === 'number' && typeof o[1] === 'number')));
};

function load(): Map<string, unknown> {
  if (records) return records;
  records = new Map();
  used = new Set();
  const path = cacheFile();
  if (!path) return records;
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (stored && typeof stored === 'object' && !Array.isArray(stored)) records = new Map(Object.entries(stored));
  } catch {
    // No file yet, or unreadable: start empty.
  }
  return records;
}

export const scriptKey = (sql: string): string => createHash('sha256').update(sql).digest('base64url');

/** True when records are kept between runs (the bundled CLI; a test's file). */
export const analysisCacheActive = (): boolean => cacheFile() !== null;

export function cachedAnalysis(key: string): AnalysisRecord | undefined {
  if (!cacheFile()) return undefined;
  const all = load();
  const r = all.get(key);
  if (r === undefined) return undefined;
  // A damaged record (or file) is ignored: the script is parsed again, as on a first run.
  if (!isRecord(r)) {
    all.delete(key);
    return undefined;
  }
  used!.add(key);
  return r;
}

export function storeAnalysis(key: string, record: AnalysisRecord): void {
  if (!cacheFile()) return;
  load().set(key, record);
  used!.add(key);
  analysisChanged();
}

/** A record was added or given a derived result: the file is written, once, as the process ends. */
export function analysisChanged(): void {
  if (dirty || !cacheFile()) return;
  dirty = true;
  // At exit: a killed process loses only records, which the next run rebuilds.
  process.once('exit', saveAnalysisCache);
}

/** Writes the records (atomically: a reader sees the old file or the new). Called at exit; tests call it directly. */
export function saveAnalysisCache(): void {
  const path = cacheFile();
  if (!dirty || !path || !records) return;
  dirty = false;
  const keep = records.size > MAX_RECORDS ? [...records].filter(([k]) => used!.has(k)) : [...records];
  try {
    const tmp = `${path}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(keep)));
    renameSync(tmp, path);
  } catch {
    // A read-only install runs without the cache.
  }
}
