import { afterEach, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { runGodwit } from './testing/run-cli.ts';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

it('exits 2 with one sentence when the command can never finish, instead of 0 with nothing (a CI gate would pass)', async () => {
  project = await copyDemoProject();
  await writeFile(join(project.dir, 'prisma.config.ts'), 'await new Promise(() => {});\nexport default {};\n');
  for (const args of [['status', '--json'], ['check', '--only', 'ordering']]) {
    const r = await runGodwit(['--project', project.dir, ...args]);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(/^Error: the command stopped before it finished/)]);
  }
});
