import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A password that must never be seen outside the engine. Its unencoded `@` is legal for pg (the user info ends at the
 * last `@`) and is the case naive redaction gets wrong.
 */
export const CANARY = '9f3aQ7@canary2';

/** The canary in every form it could leak: raw, URL-encoded, and the tail a redaction that stops at the first `@` leaves. */
export const CANARY_FORMS = [CANARY, encodeURIComponent(CANARY), encodeURI(CANARY), 'canary2', '9f3aQ7'];

/** A URL of the test server carrying the canary as its password (trust auth ignores it). */
export function withCanary(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/)([^:@/]+)(?::[^@/]*)?@/, `$1$2:${CANARY}@`);
}

/** The forms of the canary found in a text, with a little context for the failure message. */
export function canaryLeaks(text: string, where: string): string[] {
  const found: string[] = [];
  for (const form of CANARY_FORMS) {
    const at = text.indexOf(form);
    if (at !== -1) found.push(`${where}: …${text.slice(Math.max(0, at - 60), at + 40)}…`);
  }
  return found;
}

/** Every file under a folder, as text (binary files are scanned as latin1), for canary scans of what was written. */
export async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') await walk(p);
      } else if (e.isFile()) out.push({ path: p, text: (await readFile(p)).toString('latin1') });
    }
  };
  await walk(dir);
  return out;
}
