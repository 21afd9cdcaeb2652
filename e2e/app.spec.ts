import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app';

test('a learner lists the nodes from the terminal', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.terminal.run('kubectl get nodes');
  await app.terminal.expectLines([
    'root@controlplane:~# kubectl get nodes',
    'NAME           STATUS   ROLES           AGE   VERSION',
    expect.stringMatching(/^controlplane {3}Ready {4}control-plane {3}\d+m {3,4}v1\.32\.4$/) as unknown as string,
    expect.stringMatching(/^node01 {9}Ready {4}<none> {10}\d+m {3,4}v1\.32\.4$/) as unknown as string,
    expect.stringMatching(/^node02 {9}Ready {4}<none> {10}\d+m {3,4}v1\.32\.4$/) as unknown as string,
    'root@controlplane:~#',
  ]);
});
