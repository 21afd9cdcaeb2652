import { describe, expect, it } from 'vitest';
import { createCluster } from '../sim';
import { runKubectl } from './index';

async function kubectl(line: string, seed = 1) {
  const cluster = createCluster({ seed });
  let stdout = '';
  let stderr = '';
  const code = await runKubectl(line.split(' ').filter(Boolean), {
    client: cluster.client,
    namespace: 'default',
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

describe('kubectl get', () => {
  it('prints nodes with kubectl columns and alignment', async () => {
    const r = await kubectl('get nodes');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'NAME           STATUS   ROLES           AGE   VERSION\n' +
        'controlplane   Ready    control-plane   31m   v1.32.4\n' +
        'node01         Ready    <none>          30m   v1.32.4\n' +
        'node02         Ready    <none>          30m   v1.32.4\n',
    });
  });

  it.each(['get no', 'get node', 'get Node', 'get nodes.v1.', 'get -n kube-system nodes', 'get nodes --namespace=x'])(
    'resolves %s to nodes',
    async (line) => {
      const r = await kubectl(line);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('NAME           STATUS   ROLES           AGE   VERSION');
    },
  );

  it('prints one node by name, and TYPE/NAME', async () => {
    const expected = 'NAME     STATUS   ROLES    AGE   VERSION\nnode01   Ready    <none>   30m   v1.32.4\n';
    expect((await kubectl('get node node01')).stdout).toBe(expected);
    expect((await kubectl('get node/node01')).stdout).toBe(expected);
  });

  it('prints -o wide columns', async () => {
    const r = await kubectl('get nodes -o wide');
    expect(r.stdout.split('\n')[0]).toBe(
      'NAME           STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME',
    );
    expect(r.stdout.split('\n')[1]).toBe(
      'controlplane   Ready    control-plane   31m   v1.32.4   172.30.1.2    <none>        Ubuntu 22.04.5 LTS   5.15.0-131-generic   containerd://1.7.24',
    );
  });

  it('prints -o name', async () => {
    expect((await kubectl('get nodes -o name')).stdout).toBe('node/controlplane\nnode/node01\nnode/node02\n');
  });

  it('prints a single object as YAML and JSON with sorted keys', async () => {
    const yaml = (await kubectl('get node node01 -o yaml')).stdout;
    expect(yaml.startsWith('apiVersion: v1\nkind: Node\nmetadata:\n  annotations:\n')).toBe(true);
    expect(yaml).toContain('  labels:\n    beta.kubernetes.io/arch: amd64\n');
    expect(yaml).toContain('spec:\n  podCIDR: 10.244.1.0/24\n  podCIDRs:\n  - 10.244.1.0/24\nstatus:\n');
    expect(yaml).not.toContain('taints:');
    expect(yaml).not.toContain('managedFields');
    expect((await kubectl('get node node01 -o yaml --show-managed-fields')).stdout).toContain('  managedFields:\n  - apiVersion: v1\n');
    const json = JSON.parse((await kubectl('get node node01 -o json')).stdout);
    expect(json.metadata.name).toBe('node01');
    expect((await kubectl('get node node01 -o json')).stdout.startsWith('{\n    "apiVersion": "v1",\n')).toBe(true);
  });

  it('quotes empty label values in YAML as Go does', async () => {
    const yaml = (await kubectl('get node controlplane -o yaml')).stdout;
    expect(yaml).toContain('    node-role.kubernetes.io/control-plane: ""\n');
    expect(yaml).toContain('  taints:\n  - effect: NoSchedule\n    key: node-role.kubernetes.io/control-plane\n');
  });

  it('wraps several objects in a List for -o yaml', async () => {
    const yaml = (await kubectl('get ns -o yaml')).stdout;
    expect(yaml.startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Namespace\n')).toBe(true);
    expect(yaml.endsWith('kind: List\nmetadata:\n  resourceVersion: ""\n')).toBe(true);
  });

  it('filters with -l and reports an empty result on stderr', async () => {
    expect((await kubectl('get nodes -l kubernetes.io/hostname=node02 -o name')).stdout).toBe('node/node02\n');
    expect(await kubectl('get nodes -l app=none')).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
  });

  it('shows labels as the last column', async () => {
    const r = await kubectl('get node node01 --show-labels');
    expect(r.stdout).toBe(
      'NAME     STATUS   ROLES    AGE   VERSION   LABELS\n' +
        'node01   Ready    <none>   30m   v1.32.4   beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=node01,kubernetes.io/os=linux\n',
    );
  });

  it('adds a NAMESPACE column across namespaces', async () => {
    expect((await kubectl('get svc -A')).stdout).toBe(
      'NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n' +
        'default       kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  31m\n' +
        'kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   31m\n',
    );
  });

  it('reports a missing node as the server does', async () => {
    expect(await kubectl('get node node09')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): nodes "node09" not found\n',
    });
    expect(await kubectl('get node node09 --ignore-not-found')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reports unknown resource types and missing types', async () => {
    expect(await kubectl('get widgets')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: the server doesn\'t have a resource type "widgets"\n',
    });
    const r = await kubectl('get');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
        'error: Required resource not specified.\n' +
        'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
        "See 'kubectl get -h' for help and examples\n",
    );
  });

  it('rejects an unknown output format', async () => {
    const r = await kubectl('get nodes -o yml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: unable to match a printer suitable for the output format "yml", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n',
    );
  });
});

describe('kubectl root', () => {
  it('suggests commands for a typo, as cobra does', async () => {
    expect(await kubectl('gett nodes')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n\n',
    });
    expect((await kubectl('ge')).stderr).toBe('Error: unknown command "ge" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n\tcp\n\n');
    expect((await kubectl('zzzzzz')).stderr).toBe('Error: unknown command "zzzzzz" for "kubectl"\n');
  });

  it('reports unknown flags with the usage hint', async () => {
    expect(await kubectl('get nodes --bogus')).toEqual({
      code: 1,
      stdout: '',
      stderr: "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n",
    });
    expect((await kubectl('get nodes -o')).stderr).toBe("Error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage.\n");
  });

  it('prints the command overview with no arguments', async () => {
    const r = await kubectl('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('kubectl controls the Kubernetes cluster manager.\n')).toBe(true);
    expect(r.stdout).toContain('  get             Display one or many resources\n');
  });

  it('says plainly when a verb is not built yet', async () => {
    expect(await kubectl('kustomize ./app')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: "kubectl kustomize" is not available in Kubelab yet\n',
    });
  });

  it('prints client and server versions', async () => {
    expect((await kubectl('version')).stdout).toBe('Client Version: v1.32.4\nKustomize Version: v5.5.0\nServer Version: v1.32.4\n');
  });
});
