import type { Locator, Page } from 'playwright-core';

/** Locators of the app's screens, so specs read as what a user does. */
export class AppPage {
  constructor(readonly page: Page) {}

  envChip(name: string): Locator {
    return this.page.getByTestId(`env-chip-${name}`);
  }
  row(name: string): Locator {
    return this.page.locator(`[data-migration="${name}"]`);
  }
  head(env: string): Locator {
    return this.page.getByTestId(`head-${env}`);
  }
  get runDialog(): Locator {
    return this.page.getByTestId('run-dialog');
  }
  get confirmRun(): Locator {
    return this.page.getByTestId('confirm-run');
  }
  get confirmName(): Locator {
    return this.page.getByTestId('confirm-name');
  }

  async selectEnv(name: string): Promise<void> {
    await this.envChip(name).click();
    await this.page.locator(`${'[data-testid="env-chip-' + name + '"]'}[aria-pressed="true"]`).waitFor();
  }

  /** Waits until the status refresh after an action has landed. */
  async settled(): Promise<void> {
    await this.page.locator('[data-testid=app][data-ready=true]').waitFor();
  }

  async pending(env: string): Promise<number> {
    return Number(await this.envChip(env).getAttribute('data-pending'));
  }

  async waitPending(env: string, n: number): Promise<void> {
    await this.page.locator(`[data-testid="env-chip-${env}"][data-pending="${n}"]`).waitFor();
  }

  async view(name: 'Migrations' | 'Tables' | 'Audit log' | 'Backups' | 'Check'): Promise<void> {
    await this.page.getByRole('button', { name, exact: true }).click();
  }
}
