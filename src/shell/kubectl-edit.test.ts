import { describe, expect, it } from 'vitest';
import { sh, testShell } from './test-helpers';

describe('kubectl edit in the shell runs $KUBE_EDITOR on the object', () => {
  it('answers as kubectl does when the editor saves nothing, fails, or cannot be found', async () => {
    const { shell } = testShell();
    await sh(shell, 'kubectl create deployment web --image=nginx');
    expect(await sh(shell, 'KUBE_EDITOR=true kubectl edit deploy/web')).toEqual({ code: 0, out: 'Edit cancelled, no changes made.\n' });
    expect(await sh(shell, 'KUBE_EDITOR=false kubectl edit deploy/web')).toEqual({ code: 1, out: 'error: there was a problem with the editor "false"\n' });
    expect(await sh(shell, 'KUBE_EDITOR=nosuch kubectl edit deploy/web')).toEqual({ code: 1, out: 'error: unable to launch the editor "nosuch"\n' });
  });

  it('says what to do when no editor is set', async () => {
    const { shell } = testShell();
    await sh(shell, 'kubectl create deployment web --image=nginx');
    const r = await sh(shell, 'kubectl edit deploy/web');
    expect(r.code).toBe(1);
    expect(r.out).toBe('error: unable to launch the editor "vi": Kubelab cannot open it here yet; set KUBE_EDITOR to a command that edits the file, or use kubectl patch or kubectl apply instead\n');
  });
});
