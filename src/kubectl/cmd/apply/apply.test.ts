import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
`;

describe('kubectl apply', () => {
  it('creates, leaves unchanged, then configures with a three-way patch', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/web.yaml', WEB);
    expect(await s.kubectl('apply -f web.yaml')).toEqual({ code: 0, stdout: 'deployment.apps/web created\n', stderr: '' });
    expect(await s.kubectl('apply -f web.yaml')).toEqual({ code: 0, stdout: 'deployment.apps/web unchanged\n', stderr: '' });
    s.files.set('/root/web.yaml', WEB.replace('replicas: 2', 'replicas: 3').replace(/        ports:\n        - containerPort: 80\n/, ''));
    expect(await s.kubectl('apply -f web.yaml')).toEqual({ code: 0, stdout: 'deployment.apps/web configured\n', stderr: '' });
    const got = await s.kubectl('get deploy web -o json');
    const d = JSON.parse(got.stdout);
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].ports).toBeUndefined();
    expect(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"annotations":{}');
    expect(await s.kubectl('apply -f web.yaml')).toEqual({ code: 0, stdout: 'deployment.apps/web unchanged\n', stderr: '' });
  });

  it('warns when the live object has no last-applied annotation', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/web.yaml', WEB);
    await s.kubectl('apply -f web.yaml --server-side');
    const r = await s.kubectl('apply -f web.yaml');
    expect(r.stderr).toContain('Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation');
    expect(r.stdout).toBe('deployment.apps/web configured\n');
  });

  it('needs -f', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('apply')).toEqual({ code: 1, stdout: '', stderr: 'error: must specify one of -f and -k\n' });
  });
});
