import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GODWIT_JSON } from '../project/environment-config.ts';
import { GodwitError } from '../util/errors.ts';
import { CHECK_FAMILIES, CHECK_RULES, familyOf, type CheckFinding, type CheckRule } from './types.ts';

const ruleOrFamily = z.string().refine((r) => r in CHECK_RULES || (CHECK_FAMILIES as readonly string[]).includes(r), {
  message: `a rule id (${Object.keys(CHECK_RULES).slice(0, 2).join(', ')}, …) or a family (${CHECK_FAMILIES.join(', ')})`,
});

/** godwit.json's `check` section: silencing a rule for one migration needs a reason, which the report shows. */
const checkConfigSchema = z
  .object({
    ignore: z
      .array(z.object({ rule: ruleOrFamily, migration: z.string().min(1), reason: z.string().trim().min(1, 'give a reason') }).strict())
      .default([]),
  })
  .strict();

export type CheckConfig = z.infer<typeof checkConfigSchema>;

/** The `check` section of godwit.json (empty when there is no file or no section). */
export async function readCheckConfig(projectDir: string): Promise<CheckConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(projectDir, GODWIT_JSON), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ignore: [] };
    throw new GodwitError('godwit-json-invalid', `${GODWIT_JSON} is not valid JSON: ${(err as Error).message}`);
  }
  const section = (raw as { check?: unknown } | null)?.check;
  if (section === undefined) return { ignore: [] };
  const parsed = checkConfigSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GodwitError('godwit-json-invalid', `${GODWIT_JSON}: check.${issue.path.join('.')}: ${issue.message}.`);
  }
  return parsed.data;
}

/** The reason godwit.json gives for silencing this finding, or null. `migration: "*"` applies to every migration. */
export function silencingReason(config: CheckConfig, f: CheckFinding): string | null {
  for (const entry of config.ignore) {
    const ruleMatches = entry.rule === f.rule || entry.rule === familyOf(f.rule as CheckRule);
    if (ruleMatches && (entry.migration === '*' || entry.migration === f.migration)) return entry.reason;
  }
  return null;
}
