import { describe, expect, it } from 'vitest';
import { kubectlTestSession, type KubectlTestSession } from '../../testing';
import { smartLabel } from './generic';
import { addQuantity, canonical, formatQuantity, parseQuantity } from './quantity';
import { tabAlign } from './tabwriter';
import { eventsBlock, PrefixWriter } from './writer';

describe('describe layout', () => {
  it('aligns each column block on its own, as Go tabwriter does', () => {
    expect(tabAlign('Name:\tweb\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n    Port:\t80/TCP\n')).toBe(
      'Name:       web\nNamespace:  default\nContainers:\n  nginx:\n    Image:  nginx\n    Port:   80/TCP\n',
    );
  });

  it('prints quantities in canonical form and adds them', () => {
    expect(canonical('0.5')).toBe('500m');
    expect(canonical('1024Mi')).toBe('1Gi');
    expect(canonical('2000')).toBe('2k');
    expect(formatQuantity(addQuantity(parseQuantity('100m'), parseQuantity('250m')))).toBe('350m');
    expect(formatQuantity(addQuantity(parseQuantity('64Mi'), parseQuantity('128Mi')))).toBe('192Mi');
  });

  it('makes field names readable as the generic describer does', () => {
    expect(smartLabel('leaseDurationSeconds')).toBe('Lease Duration Seconds');
    expect(smartLabel('apiVersion')).toBe('API Version');
    expect(smartLabel('uid')).toBe('UID');
    expect(smartLabel('x509')).toBe('x509');
  });

  it('prints events with first-seen and repeat counts as kubectl ages them', () => {
    const w = new PrefixWriter();
    const now = Date.parse('2025-01-01T00:10:00Z');
    eventsBlock(
      w,
      [
        { type: 'Warning', reason: 'BackOff', message: 'Back-off pulling image "x"', count: 3, firstTimestamp: '2025-01-01T00:05:00Z', lastTimestamp: '2025-01-01T00:08:00Z', source: { component: 'kubelet' } },
        { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/x to node01', count: 1, firstTimestamp: '2025-01-01T00:04:30Z', lastTimestamp: '2025-01-01T00:04:30Z', reportingComponent: 'default-scheduler' },
      ],
      now,
    );
    expect(w.toString()).toBe(
      [
        'Events:',
        '  Type     Reason     Age              From               Message',
        '  ----     ------     ----             ----               -------',
        '  Normal   Scheduled  5m30s            default-scheduler  Successfully assigned default/x to node01',
        '  Warning  BackOff    2m (x3 over 5m)  kubelet            Back-off pulling image "x"',
        '',
      ].join('\n'),
    );
  });
});

function runPod(s: KubectlTestSession, name: string, image: string): void {
  s.cluster.api.handle({
    method: 'POST',
    path: '/api/v1/namespaces/default/pods',
    userAgent: 'kubectl',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { run: name } }, spec: { containers: [{ name, image }] } },
  });
}

describe('kubectl describe', () => {
  it('describes a pod that cannot pull its image, with its events over virtual time', async () => {
    const s = kubectlTestSession();
    runPod(s, 'broken', 'nginx:no-such-tag');
    s.cluster.clock.advance(5 * 60_000);
    const r = await s.kubectl('describe pod broken');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name:             broken\nNamespace:        default\n/);
    expect(r.stdout).toContain('    State:          Waiting\n      Reason:       ImagePullBackOff\n');
    expect(r.stdout).toContain('\n  Normal   Scheduled  5m                     default-scheduler  Successfully assigned default/broken to node01\n');
    expect(r.stdout.endsWith('\n  Warning  Failed     2m23s (x5 over 4m56s)  kubelet            Error: ImagePullBackOff\n')).toBe(true);
  });

  it('leaves events out with --show-events=false', async () => {
    const s = kubectlTestSession();
    runPod(s, 'web', 'nginx');
    s.cluster.clock.advance(60_000);
    const r = await s.kubectl('describe pod web --show-events=false');
    expect(r.stdout).not.toContain('Events:');
    expect(r.stdout).toMatch(/Tolerations: .*\n.*\n$/);
  });

  it('describes every object whose name starts with the name given when none has it exactly', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx --replicas=2');
    s.cluster.clock.advance(60_000);
    const r = await s.kubectl('describe pods web-');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Name: {2,}web-/gm)).toHaveLength(2);
    expect(r.stdout.endsWith('\n\n')).toBe(true);
  });

  it('separates several objects with a blank line and reports missing ones after them', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create configmap a --from-literal=k=v');
    await s.kubectl('create configmap b --from-literal=k=v');
    const r = await s.kubectl('describe cm a b c');
    expect(r.stdout).toContain('Events:  <none>\n\n\nName:         b\n');
    expect(r.stderr).toBe('Error from server (NotFound): configmaps "c" not found\n');
    expect(r.code).toBe(1);
  });

  it('fails as kubectl does without a type, with an unknown type, or with nothing found', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('describe')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n',
    });
    expect((await s.kubectl('describe nothings')).stderr).toBe('error: the server doesn\'t have a resource type "nothings"\n');
    expect((await s.kubectl('describe pod x')).stderr).toBe('Error from server (NotFound): pods "x" not found\n');
    expect(await s.kubectl('describe pods -n kube-public')).toEqual({ code: 0, stdout: '', stderr: 'No resources found in kube-public namespace.\n' });
  });

  it('describes the objects a manifest names', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create configmap settings --from-literal=MODE=dev');
    s.files.set('/root/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n');
    const r = await s.kubectl('describe -f cm.yaml');
    expect(r.stdout).toBe(
      'Name:         settings\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\nMODE:\n----\ndev\n\n\nBinaryData\n====\n\nEvents:  <none>\n',
    );
  });
});
