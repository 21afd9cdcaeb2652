import { expect, type Page } from '@playwright/test';

/** The header's "Use your own kubectl" control and the line it shows. */
export class OwnKubectlPopover {
  constructor(readonly page: Page) {}

  /** Opens the popover and returns the `export KUBECONFIG=…` line once the API is up. */
  async exportLine(): Promise<string> {
    await this.page.getByTestId('own-kubectl').click();
    const line = this.page.getByTestId('kubeconfig-command');
    await expect(line).toHaveText(/^export KUBECONFIG=\/.+$/);
    return (await line.textContent()) ?? '';
  }
}
