import { strongerLock, type LockMode } from './lock-modes.ts';
import type { SchemaModel } from './schema-model.ts';

/** What the analysers need besides the statement. */
export interface AnalysisContext {
  model: SchemaModel;
  /** Server major version (11, 15, 17…): lock levels and rewrites changed across versions. */
  version: number;
}

/** Everything found about one statement, accumulated by the analysers. */
export class Findings {
  readonly locks = new Map<string, LockMode>();
  /** Relations this statement creates: locked too, but nobody else can be waiting on them. */
  readonly created = new Set<string>();
  rewrite = false;
  scan = false;
  readonly warnings: string[] = [];
  readonly advice: string[] = [];

  lock(relation: string | undefined, mode: LockMode): void {
    if (!relation) return;
    const held = this.locks.get(relation);
    this.locks.set(relation, held ? strongerLock(held, mode) : mode);
  }

  warn(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  advise(text: string): void {
    if (!this.advice.includes(text)) this.advice.push(text);
  }
}
