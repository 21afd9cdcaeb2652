/**
 * Fidelity of the information and settings verbs (api-resources, api-versions, explain,
 * cluster-info, completion, config, auth, certificate): the real kubectl 1.32 and ours against
 * one served cluster print the same. `kubectl config` writes its kubeconfig, so each writing
 * scenario runs both on their own copy of the same file and compares the files too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeKlog, useFidelity } from './fidelity-kit';

const READ_ONLY: string[][] = [
  ['api-resources'],
  ['api-resources', '-o', 'wide'],
  ['api-resources', '-o', 'name'],
  ['api-resources', '--namespaced=false'],
  ['api-resources', '--namespaced=true', '--sort-by=kind'],
  ['api-resources', '--api-group=apps', '--no-headers'],
  ['api-resources', '--api-group='],
  ['api-resources', '--verbs=list,watch', '--sort-by=name', '-o', 'wide'],
  ['api-resources', '--categories=all'],
  ['api-resources', '--cached'],
  ['api-resources', '-o', 'json'],
  ['api-resources', '--sort-by=group'],
  ['api-resources', 'pods'],
  ['api-versions'],
  ['api-versions', 'x'],
  ['cluster-info'],
  ['cluster-info', '-n', 'default'],
  ['explain', 'pods'],
  ['explain', 'pod.spec.restartPolicy'],
  ['explain', 'pod.spec.containers'],
  ['explain', 'pods.spec.containers.resources'],
  ['explain', 'deployment.spec.strategy.type'],
  ['explain', 'deployments.apps.spec.replicas'],
  ['explain', 'svc.spec.type'],
  ['explain', 'pod.metadata.labels'],
  ['explain', 'pv.spec.accessModes'],
  ['explain', 'cronjobs', '--recursive'],
  ['explain', 'deployments', '--api-version=apps/v1'],
  ['explain', 'hpa', '--api-version=autoscaling/v1'],
  ['explain', 'pod.spec.affinity.nodeAffinity', '--recursive'],
  ['explain', 'foo'],
  ['explain', 'pod.foo'],
  ['explain', 'pod.spec.containers.foo'],
  ['explain'],
  ['explain', 'pods', 'nodes'],
  ['completion'],
  ['completion', 'foo'],
  ['completion', 'bash', 'zsh'],
];

/** `kubectl config` lines, each run on its own copy of the kit's kubeconfig (file compared after). */
const CONFIG: string[][] = [
  ['view'],
  ['view', '--raw'],
  ['view', '-o', 'json'],
  ['view', '--minify'],
  ['view', '--flatten'],
  ['view', '--merge=false'],
  ['view', 'x'],
  ['view', '-o', 'jsonpath={.users[].name}'],
  ['view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.server}'],
  ['view', '-o', 'go-template={{.kind}}'],
  ['view', '-o', 'foo'],
  ['get-contexts'],
  ['get-contexts', '-o', 'name'],
  ['get-contexts', '--no-headers'],
  ['get-contexts', 'nope'],
  ['get-contexts', '-o', 'wide'],
  ['current-context'],
  ['get-clusters'],
  ['get-users'],
  ['use-context', 'nope'],
  ['use-context', 'kubelab'],
  ['set-context', 'dev', '--namespace=dev', '--cluster=kubelab', '--user=kubelab'],
  ['set-context', '--current', '--namespace=dev'],
  ['set-context'],
  ['set-context', '--current', 'x'],
  ['delete-context', 'nope'],
  ['delete-context', 'kubelab'],
  ['delete-cluster', 'kubelab'],
  ['delete-user', 'kubelab'],
  ['delete-user'],
  ['rename-context', 'kubelab', 'admin'],
  ['rename-context', 'nope', 'x'],
  ['set-cluster', 'other', '--server=https://1.2.3.4:6443', '--insecure-skip-tls-verify=true'],
  ['set-credentials', 'bob', '--token=abc'],
  ['set-credentials', 'bob', '--token=abc', '--username=x'],
  ['set-credentials', 'carol', '--username=c', '--password=p'],
  ['set-credentials', 'dan', '--exec-command=foo', '--exec-api-version=client.authentication.k8s.io/v1', '--exec-arg=a', '--exec-env=A=B'],
  ['set', 'current-context', 'foo'],
  ['unset', 'current-context'],
  ['set', 'foo', 'bar'],
  ['set', 'clusters.kubelab.server', 'https://9.9.9.9:6443'],
  ['set', 'contexts.new.namespace', 'zz'],
  ['set', 'users.kubelab.client-key-data', 'abc', '--set-raw-bytes'],
  ['unset', 'contexts.kubelab'],
  ['unset', 'users.kubelab.token'],
];

const AUTH: string[][] = [
  ['auth', 'can-i', 'create', 'pods'],
  ['auth', 'can-i', 'get', 'nodes'],
  ['auth', 'can-i', 'get', 'nodes', '-A'],
  ['auth', 'can-i', 'list', 'deployments.apps'],
  ['auth', 'can-i', 'list', 'foo'],
  ['auth', 'can-i', 'frob', 'pods'],
  ['auth', 'can-i', 'get', '/healthz'],
  ['auth', 'can-i', 'get', '/healthz', '--subresource=x'],
  ['auth', 'can-i', 'get', 'pods', '--no-headers'],
  ['auth', 'can-i'],
  ['auth', 'can-i', '--list', 'pods'],
  ['auth', 'can-i', '--list', '-A'],
  ['auth', 'can-i', 'create', 'pods', '-q'],
  ['auth', 'can-i', 'create', 'pods', '--as=system:serviceaccount:default:default'],
  ['auth', 'can-i', 'list', 'pods', '--as=system:serviceaccount:default:reader'],
  ['auth', 'can-i', 'get', 'pods/web', '--as=system:serviceaccount:default:reader'],
  ['auth', 'can-i', 'get', 'pods', '--subresource=log', '--as=system:serviceaccount:default:reader'],
  ['auth', 'can-i', 'list', 'pods', '--as=system:serviceaccount:default:reader', '-n', 'kube-system'],
  ['auth', 'can-i', 'get', 'nodes', '--as=jane'],
  ['auth', 'can-i', 'get', 'nodes', '--as=bob', '--as-group=viewers'],
  ['auth', 'can-i', 'delete', 'nodes', '--as=jane'],
  ['auth', 'can-i', 'create', 'selfsubjectaccessreviews.authorization.k8s.io', '--as=nobody'],
  ['auth', 'can-i', '--list', '--as=system:serviceaccount:default:reader'],
  ['auth', 'can-i', '--list', '--as=jane', '--no-headers'],
  ['auth', 'can-i', '--list'],
  ['auth', 'whoami'],
  ['auth', 'whoami', '-o', 'json'],
  ['auth', 'whoami', '--as=jane', '--as-group=devs'],
  ['auth', 'whoami', '--as=system:serviceaccount:default:reader'],
  ['get', 'pods', '--as=system:serviceaccount:default:default'],
  ['get', 'pods', '--as=system:serviceaccount:default:reader'],
  ['get', 'nodes', '--as=system:serviceaccount:default:reader'],
  ['get', 'pods', '--as-group=x'],
  ['certificate', 'approve', 'nope'],
  ['certificate', 'approve'],
  ['certificate', 'approve', 'jane-csr'],
  ['certificate', 'approve', 'jane-csr'],
  ['certificate', 'deny', 'jane-csr'],
  ['certificate', 'deny', 'bob-csr'],
  ['certificate', 'approve', 'bob-csr'],
  ['get', 'csr'],
];

/** A real certificate request (CN=jane), base64 as in a CSR's spec.request. */
const CSR_PEM = Buffer.from(`-----BEGIN CERTIFICATE REQUEST-----
MIICVjCCAT4CAQAwETEPMA0GA1UEAwwGYW5neWFuMIIBIjANBgkqhkiG9w0BAQEF
AAOCAQ8AMIIBCgKCAQEAy4IRd4Yr4iq6Ms8DMe9OHv4ODPuKQ7ONzTKa+s7LZ3Cs
bGh1yZkIHiY8Nq9n1Ebw3HFS7pVsDcJ1zWAN8m2nBWCh2lLvTU1uKbkBbXo4n7UF
MuH4C7lkPSMQDz3KhSoi7jwNyYyWhHxRVdq1kvbP2UR3r5AJp2mm9zJOq1QtjrUl
qHsqZL5vU6fl1aNrF0H+Yk1fAJJoVhr2MlvtI6PMmdvDQ2kkQvHcQFm4sKkTfZB6
YlUzIPUp/mEW8XkrWXFJ7Ng+V3NsL3gQDDhmaqXZo7IRgK2jwOixEdUFnXFdTbBD
e2lY4hkDjtDmU8gQ0C0fZqS8uDPnWzZ5Ml3WgpO3KwIDAQABoAAwDQYJKoZIhvcN
AQELBQADggEBAFz3xE2w3mYQjRYE0Y0T2mN3w6vdsw1pN5pxNHR0Y2D0oTkV5x2s
-----END CERTIFICATE REQUEST-----
`).toString('base64');

const RBAC_OBJECTS: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown }[] = [
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-pods', namespace: 'default' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'default' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' } },
  ...['jane-csr', 'bob-csr'].map((name) => ({
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: CSR_PEM, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], expirationSeconds: 86400 },
  })),
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'node-viewer' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'view-nodes' }, subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'Group', name: 'viewers', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-viewer' } },
];

describe('fidelity: information and settings verbs', () => {
  const kit = useFidelity((cluster) => {
    for (const obj of RBAC_OBJECTS) {
      const [group, version] = obj.apiVersion.split('/');
      const plural = `${obj.kind.toLowerCase()}s`;
      const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : '';
      const res = cluster.api.handle({ method: 'POST', path: `/apis/${group}/${version}${ns}/${plural}`, body: obj });
      if (res.status >= 300) throw new Error(JSON.stringify(res.body));
    }
  });

  for (const args of AUTH) it(`kubectl ${args.join(' ')}`, () => kit.compare(args), 30_000);

  for (const args of READ_ONLY) it(`kubectl ${args.join(' ')}`, () => kit.compare(args), 30_000);

  /** Runs a command line that may write the kubeconfig on two copies of one file; compares output and file. */
  async function compareWriting(name: string, args: string[], initial?: string): Promise<void> {
    if (!kit.available()) return;
    const base = initial ?? readFileSync(join(kit.dir(), '.kubeconfig'), 'utf8');
    kit.file(`${name}-real`, base);
    kit.file(`${name}-ours`, base);
    const real = await kit.real([...args, `--kubeconfig=${name}-real`]);
    const ours = await kit.ours([...args, `--kubeconfig=${name}-ours`]);
    const fix = (o: { stdout: string; stderr: string; code: number }, which: string) => ({
      ...o,
      stdout: o.stdout.replaceAll(`${name}-${which}`, 'KUBECONFIG'),
      stderr: normalizeKlog(o.stderr.replaceAll(`${name}-${which}`, 'KUBECONFIG')),
    });
    expect(fix(ours, 'ours')).toEqual(fix(real, 'real'));
    expect(readFileSync(join(kit.dir(), `${name}-ours`), 'utf8')).toEqual(readFileSync(join(kit.dir(), `${name}-real`), 'utf8'));
  }
  CONFIG.forEach((args, i) => it(`kubectl config ${args.join(' ')}`, () => compareWriting(`kc${i}`, ['config', ...args]), 30_000));
});
