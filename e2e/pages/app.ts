import { expect, type Page } from '@playwright/test';
import { OwnKubectlPopover } from './own-kubectl';
import { TerminalPanel } from './terminal';

/** The Kubelab window in browser mode. */
export class AppPage {
  readonly terminal: TerminalPanel;
  readonly ownKubectl: OwnKubectlPopover;

  constructor(readonly page: Page) {
    this.terminal = new TerminalPanel(page);
    this.ownKubectl = new OwnKubectlPopover(page);
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByTestId('cluster-badge')).toContainText('Kubernetes v1.32.4 · 3 nodes');
    await this.terminal.waitForPrompt();
  }

  async openTab(name: 'Terminal' | 'Editor'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }
}
