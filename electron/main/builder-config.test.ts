import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/util/package-root.ts';

// The fuses are flipped by electron-builder when it packages; here we can only check they are asked for.
describe('electron-builder.yml', () => {
  it('sets the security fuses', () => {
    const yml = readFileSync(join(packageRoot(), 'electron-builder.yml'), 'utf8');
    const block = /^electronFuses:\n((?: {2}\w+: (?:true|false)\n?)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries(block.trim().split('\n').map((l) => l.trim().split(': ')).map(([k, v]) => [k, v === 'true']));
    expect(fuses).toEqual({
      runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true, grantFileProtocolExtraPrivileges: false,
    });
  });
});
