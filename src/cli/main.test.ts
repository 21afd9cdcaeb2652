import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

async function cli(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}

describe('bin/kubelab', () => {
  it('runs a script from stdin or a file', async () => {
    const fromStdin = await cli(['run', '--seed', '3', '-'], 'kubectl get nodes -o name\n');
    expect(fromStdin).toEqual({ code: 0, stdout: 'node/controlplane\nnode/node01\nnode/node02\n', stderr: '' });
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-cli-'));
    writeFileSync(join(dir, 's.sh'), 'echo from-file\n');
    expect(await cli(['run', join(dir, 's.sh')])).toEqual({ code: 0, stdout: 'from-file\n', stderr: '' });
  });

  it('echoes commands with --echo', async () => {
    expect((await cli(['run', '--echo'], 'echo hi\n')).stdout).toBe('$ echo hi\nhi\n');
  });

  it('reports a missing script file', async () => {
    expect(await cli(['run', '/nonexistent/x.sh'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'kubelab: /nonexistent/x.sh: No such file or directory\n',
    });
  });

  it.each(['lab'])('says "%s" is not implemented yet and exits 2', async (command) => {
    const r = await cli([command]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^kubelab ${command}: not implemented yet \\(.+\\)\\n$`));
  });

  it('prints one "name value unit" line per benchmark figure', async () => {
    const r = await cli(['bench', '--pods', '300', '--replicas', '30', '--nodes', '4', '--scale-pods', '40']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([
      'create_throughput',
      'list_label_selector_300_pods',
      'list_table_label_selector_300_pods',
      'list_all_300_pods',
      'watch_fanout_50_watchers',
      'watch_fanout_50_watchers_create_latency',
      'memory_per_1000_pods',
      'deployment_30_replicas_10_nodes_rollout_wall',
      'deployment_30_replicas_10_nodes_rollout_virtual',
      'kubectl_get_pods_all_namespaces_300_pods',
      'kubectl_get_pods_100_objects',
      'kubectl_get_pods_wide_100_objects',
      'kubectl_get_pod_yaml_100_objects',
      'kubectl_get_pods_jsonpath_100_objects',
      'kubectl_describe_pod_100_objects',
      'kubectl_get_nodes_100_objects',
      'kubectl_label_pod_100_objects',
      'kubectl_create_configmap_dry_run_100_objects',
      'kubectl_api_resources_100_objects',
      'kubectl_slowest_verb_100_objects',
      'scale_4_nodes_40_pods_cluster_boot',
      'scale_4_nodes_40_pods_create',
      'scale_4_nodes_40_pods_schedule_and_run',
      'scale_4_nodes_40_pods_wall',
      'scale_4_nodes_40_pods_heap',
    ]);
    for (const l of lines) expect(l).toMatch(/^[a-z0-9_]+ -?\d+(\.\d+)? [A-Za-z/]+$/);
  });

  it('rejects unknown commands and options with usage', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith('kubelab: unknown command "frobnicate"\n\nUsage: kubelab <command>')).toBe(true);
    expect((await cli(['run', '--seed', 'abc'])).stderr.startsWith('kubelab: option --seed needs a whole number, got "abc"')).toBe(true);
    expect((await cli(['run', '--speed', '2'])).stderr.startsWith('kubelab: unknown option --speed')).toBe(true);
    expect((await cli(['bench', '--only', 'labs'])).stderr.startsWith('kubelab: --only must be "api", "deployment", "kubectl" or "scale", not "labs"')).toBe(true);
  });
});
