import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';
import { encodeHash, sha256Hex } from './encoding';

describe('kubectl create', () => {
  it('creates a deployment and refuses a second one', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('create deployment web --image=nginx')).toEqual({ code: 0, stdout: 'deployment.apps/web created\n', stderr: '' });
    expect(await s.kubectl('create deployment web --image=nginx')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: failed to create deployment: deployments.apps "web" already exists\n',
    });
  });

  it('builds config maps from files, directories and env files', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/conf/a.txt', 'A');
    s.files.set('/root/conf/b', 'B');
    s.files.set('/root/x.env', '# c\nK=V\n');
    const r = await s.kubectl('create cm c --from-file=conf --from-file=key=/root/x.env --dry-run=client -o json');
    expect(JSON.parse(r.stdout).data).toEqual({ 'a.txt': 'A', b: 'B', key: '# c\nK=V\n' });
    const env = await s.kubectl('create cm c --from-env-file=x.env --dry-run=client -o json');
    expect(JSON.parse(env.stdout).data).toEqual({ K: 'V' });
  });

  it('creates objects from manifests and reports the ones that exist', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n');
    expect((await s.kubectl('create -f ns.yaml')).stdout).toBe('namespace/team created\n');
    expect((await s.kubectl('create -f ns.yaml')).stderr).toBe('Error from server (AlreadyExists): error when creating "ns.yaml": namespaces "team" already exists\n');
  });

  it('hashes as kubectl does for --append-hash', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(encodeHash('0a1e3bcdef')).toBe('gmhtkbcdtf');
  });
});
