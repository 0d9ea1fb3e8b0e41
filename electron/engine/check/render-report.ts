import { CHECK_RULES, type CheckFinding, type CheckReport, type CheckRule } from './types.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The one-line verdict every rendering starts with. */
export function summaryLine(r: CheckReport): string {
  const scope = `${plural(r.checked.length, 'migration')} checked${r.base ? `, ${r.added.length} new since ${r.base.ref} (${r.base.commit.slice(0, 7)})` : ''}`;
  const where = [r.environment ? `history compared with ${r.environment}` : '', r.throwaway ? `reversibility on ${r.throwaway === 'server' ? 'a throwaway database on the server' : 'an embedded throwaway database'}` : '']
    .filter(Boolean).join('; ');
  const silenced = r.silenced.length ? `, ${plural(r.silenced.length, 'finding')} silenced in godwit.json` : '';
  if (!r.findings.length) return `No findings: ${scope}${where ? `; ${where}` : ''}${silenced}.`;
  const migrations = new Set(r.findings.map((f) => f.migration).filter(Boolean)).size;
  return `${plural(r.findings.length, 'finding')} in ${plural(migrations, 'migration')}: ${scope}${where ? `; ${where}` : ''}${silenced}.`;
}

function byRule(findings: CheckFinding[]): Map<CheckRule, CheckFinding[]> {
  const out = new Map<CheckRule, CheckFinding[]>();
  for (const f of findings) out.set(f.rule, [...(out.get(f.rule) ?? []), f]);
  return out;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, 'ˋ')}\``;
/** A fence longer than any backtick run inside, so quoted SQL cannot end it. */
const fence = (sql: string) => '`'.repeat(Math.max(3, ...(sql.match(/`+/g) ?? []).map((m) => m.length + 1)));

function place(f: CheckFinding): string {
  return f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
}

/** The report as a pull-request comment: a summary line, a table per rule, the SQL lines quoted. */
export function renderMarkdown(r: CheckReport): string {
  const out: string[] = [`## Godwit check`, '', `${r.findings.length ? '❌' : '✅'} **${summaryLine(r)}**`];
  for (const [rule, list] of byRule(r.findings)) {
    out.push('', `### ${code(rule)} (${list.length})`, '', `_${CHECK_RULES[rule]}_`, '', '| Migration | Where | Finding |', '| --- | --- | --- |');
    for (const f of list) out.push(`| ${f.migration ? code(f.migration) : '—'} | ${place(f) || '—'} | ${cell(f.message)} |`);
    const quoted = list.filter((f) => f.sql);
    for (const f of quoted) {
      const sql = f.sql!.trimEnd();
      out.push('', `${f.migration ? code(f.migration) : ''}${place(f) ? ` ${place(f)}` : ''}:`, '', `${fence(sql)}sql`, sql, fence(sql));
    }
  }
  if (r.silenced.length) {
    out.push('', `### Silenced in godwit.json (${r.silenced.length})`, '', '| Rule | Migration | Where | Reason |', '| --- | --- | --- | --- |');
    for (const f of r.silenced) out.push(`| ${code(f.rule)} | ${f.migration ? code(f.migration) : '—'} | ${place(f) || '—'} | ${cell(f.silencedBecause ?? '')} |`);
  }
  return `${out.join('\n')}\n`;
}

/** The report for a terminal: the summary, then each finding with its rule, place and SQL. */
export function renderText(r: CheckReport): string {
  const out: string[] = [summaryLine(r)];
  for (const f of r.findings) {
    out.push('', `${f.rule}  ${f.migration ?? ''}${place(f) ? ` ${place(f)}` : ''}`, `  ${f.message}`);
    if (f.sql) out.push(...f.sql.trimEnd().split('\n').map((l) => `    | ${l}`));
  }
  if (r.silenced.length) {
    out.push('', 'Silenced in godwit.json:');
    for (const f of r.silenced) out.push(`  ${f.rule}  ${f.migration ?? ''}${place(f) ? ` ${place(f)}` : ''}: ${f.silencedBecause}`);
  }
  return out.join('\n');
}
