import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app';

const run = promisify(execFile);

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

test('a learner points their own kubectl at the cluster, and the terminal sees what it made', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const line = await app.ownKubectl.exportLine();
  await page.screenshot({ path: 'test-results/own-kubectl.png' });
  const kubeconfig = line.slice('export KUBECONFIG='.length);
  const found = await run('kubectl', ['version', '--client']).catch(() => undefined);
  test.skip(!found, 'the real kubectl is not installed here');
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  expect((await run('kubectl', ['create', 'namespace', 'from-outside'], { env })).stdout).toBe('namespace/from-outside created\n');
  await app.terminal.run('kubectl get namespace from-outside -o name');
  await app.terminal.expectLines(['root@controlplane:~# kubectl get namespace from-outside -o name', 'namespace/from-outside', 'root@controlplane:~#']);
});
