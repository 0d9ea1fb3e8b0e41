import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from './engine/util/package-root.ts';

const root = packageRoot();

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const importsOf = (file: string) => [...readFileSync(join(root, file), 'utf8').matchAll(/^\s*import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

/** The shape of the house (docs: architecture note), enforced: a rule broken here is a design mistake. */
describe('architecture', () => {
  it('the engine never imports Electron, React, the hosts or the renderer', () => {
    for (const file of sources('electron/engine')) {
      for (const spec of importsOf(file)) {
        expect(spec, file).not.toMatch(/^(electron|react|react-dom)$|\/(main|preload|server|cli)\/|renderer\//);
      }
    }
  });

  it('the shared contract imports neither Electron nor React nor the engine', () => {
    for (const file of sources('electron/shared')) {
      for (const spec of importsOf(file)) expect(spec, file).not.toMatch(/^(electron|react)$|engine\//);
    }
  });

  it('the renderer reaches the back end only through the shared contract', () => {
    for (const file of sources('renderer/src')) {
      for (const spec of importsOf(file)) {
        if (spec.includes('electron/')) expect(spec, file).toMatch(/electron\/shared\//);
        expect(spec, file).not.toMatch(/^(electron|node:.*|pg|@prisma\/.*|@electric-sql\/.*)$/);
      }
    }
  });

  it('raw IPC appears only where the contract is wired', () => {
    for (const file of [...sources('electron'), ...sources('renderer/src')]) {
      // Fakes of Electron's modules (electron/main/testing/) stand in for ipcMain/ipcRenderer in tests only.
      if (file.includes('/testing/')) continue;
      const text = readFileSync(join(root, file), 'utf8');
      if (/\bipcMain\b/.test(text) && !file.endsWith('.test.ts')) expect(file).toBe('electron/main/ipc.ts');
      if (/\bipcRenderer\b/.test(text) && !file.endsWith('.test.ts')) expect(file).toBe('electron/preload/preload.ts');
    }
  });
});
