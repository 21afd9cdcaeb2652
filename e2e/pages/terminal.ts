import { expect, type Locator, type Page } from '@playwright/test';

/** The xterm terminal as a learner uses it: type a command, press Enter, read the screen. */
export class TerminalPanel {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('terminal');
  }

  /** The visible lines of the terminal, trailing blanks trimmed. */
  async lines(): Promise<string[]> {
    const rows = this.root.locator('.xterm-rows > div');
    const texts = await rows.allTextContents();
    return texts.map((t) => t.replace(/\u00a0/g, ' ').trimEnd());
  }

  async text(): Promise<string> {
    return (await this.lines()).join('\n').replace(/\n+$/, '');
  }

  async waitForPrompt(): Promise<void> {
    await expect.poll(async () => (await this.lines()).some((l) => l.startsWith('root@controlplane:~#'))).toBe(true);
  }

  async run(command: string): Promise<void> {
    await this.root.click();
    await this.page.keyboard.type(command);
    await this.page.keyboard.press('Enter');
  }

  /** Waits until the screen contains `expected` as consecutive lines. */
  async expectLines(expected: string[]): Promise<void> {
    await expect
      .poll(async () => {
        const lines = await this.lines();
        const start = lines.indexOf(expected[0]!);
        return start >= 0 ? lines.slice(start, start + expected.length) : lines;
      })
      .toEqual(expected);
  }
}
