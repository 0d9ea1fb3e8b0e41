import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { appSession } from './app-session.ts';
import { axeViolations } from './axe.ts';

const session = appSession();

let page: Page;
const hop = (hop: string) => page.locator(`[data-testid=env-hops] tr[data-hop=${hop}]`);

describe('the environment editor reaches production (issue 14)', () => {
  it.each(['light', 'dark'] as const)('sets TLS, an SSH bastion and a password command, and tests each hop (%s)', async (colorScheme) => {
    const app = await session.start({ colorScheme, viewport: { width: 1024, height: 700 }, bypassCSP: true });
    page = app.page;
    // A local environment: no bastion, TLS off, the password from nowhere (trust) — each hop says so.
    await page.getByTestId('env-chip-test').dblclick();
    let editor = page.getByRole('dialog', { name: 'Environment test' });
    await editor.waitFor();
    await editor.getByTestId('env-sslmode').selectOption('disable');
    expect(await editor.getByLabel('URL').inputValue()).toMatch(/\?sslmode=disable$/);
    await editor.getByTestId('env-password-command').fill("printf ''");
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    await page.getByTestId('env-chip-test').dblclick();
    editor = page.getByRole('dialog', { name: 'Environment test' });
    await editor.getByRole('button', { name: 'Test each hop' }).click();
    await hop('auth').waitFor();
    expect(await hop('ssh').getAttribute('data-ok')).toBe('skipped');
    expect(await hop('auth').getAttribute('data-ok')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await app.shot(`reach-${colorScheme}-hops-local`);
    await page.keyboard.press('Escape');

    // The same environment through a bastion nobody listens on: SSH fails, the later hops are not tried.
    await page.getByTestId('env-chip-test').dblclick();
    editor = page.getByRole('dialog', { name: 'Environment test' });
    await editor.getByTestId('env-ssh-on').check();
    await editor.getByTestId('env-ssh-host').fill('127.0.0.1');
    await editor.getByTestId('env-ssh-port').fill('1');
    await editor.getByTestId('env-ssh-user').fill('deploy');
    await editor.getByTestId('env-ssh-key').fill('/nonexistent/id_ed25519');
    expect(await axeViolations(page)).toEqual([]);
    await app.shot(`reach-${colorScheme}-editor-ssh`);
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    await page.getByTestId('env-ssh-test').waitFor();
    const saved = JSON.parse(await readFile(join(app.projectDir, 'godwit.json'), 'utf8')) as { environments: Record<string, { ssh?: unknown; passwordCommand?: string; url: string }> };
    expect(saved.environments.test).toMatchObject({ ssh: { host: '127.0.0.1', port: 1, user: 'deploy', identityFile: '/nonexistent/id_ed25519' }, passwordCommand: "printf ''" });
    expect(saved.environments.test!.url).toMatch(/sslmode=disable/);
    await page.getByTestId('env-chip-test').dblclick();
    editor = page.getByRole('dialog', { name: 'Environment test' });
    await editor.getByRole('button', { name: 'Test each hop' }).click();
    await hop('ssh').waitFor();
    expect(await hop('ssh').getAttribute('data-ok')).toBe('false');
    expect(await hop('auth').getAttribute('data-ok')).toBe('skipped');
    expect((await hop('ssh').textContent()) ?? '').not.toBe('');
    await app.shot(`reach-${colorScheme}-hops-ssh-refused`);
  }, 120_000);
});
