import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GodwitError } from '../util/errors.ts';

export const GODWIT_JSON = 'godwit.json';

const environmentSchema = z
  .object({
    url: z.string().min(1, 'url must not be empty'),
    protected: z.boolean().default(false),
    shadowDatabaseUrl: z.string().min(1).optional(),
  })
  .strict();

const godwitJsonSchema = z
  .object({
    $schema: z.string().optional(),
    environments: z
      .record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'names use letters, digits, _ . -'), environmentSchema)
      .refine((envs) => Object.keys(envs).length > 0, 'define at least one environment'),
  })
  .strict();

/** An environment as configured, before its url is resolved. */
export interface EnvironmentConfig {
  name: string;
  /** A literal url, `env:VAR`, or `embedded:<name>`. */
  url: string;
  protected: boolean;
  shadowDatabaseUrl?: string | undefined;
}

/** Reads `godwit.json` from the project folder; null when there is none. */
export async function readGodwitJson(projectDir: string): Promise<EnvironmentConfig[] | null> {
  let text: string;
  try {
    text = await readFile(join(projectDir, GODWIT_JSON), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new GodwitError('godwit-json-unreadable', `Cannot read ${GODWIT_JSON}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new GodwitError('godwit-json-invalid', `${GODWIT_JSON} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = godwitJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new GodwitError('godwit-json-invalid', `${GODWIT_JSON}: ${where}: ${issue.message}.`);
  }
  return Object.entries(parsed.data.environments).map(([name, env]) => ({ name, ...env }));
}
