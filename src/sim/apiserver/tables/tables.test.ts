import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types';
import { tableColumns, tableRow } from './index';

const NOW = Date.parse('2025-06-02T10:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

function pod(spec: object, status: object, meta: object = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', creationTimestamp: ago(300), ...meta }, spec, status };
}

const cells = (o: KubeObject) => tableRow(o, NOW).cells;
const running = { running: { startedAt: ago(290) } };

describe('Pod table (printPod)', () => {
  it('shows a running pod with its IP and node in the wide columns', () => {
    const p = pod(
      { nodeName: 'node01', containers: [{ name: 'nginx', image: 'nginx' }] },
      { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }], containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: running }] },
    );
    expect(cells(p)).toEqual(['web', '1/1', 'Running', '0', '5m', '10.244.1.5', 'node01', '<none>', '<none>']);
  });

  it('shows a waiting reason and restarts with the time of the last one', () => {
    const p = pod(
      { containers: [{ name: 'db' }] },
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'db',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(45) } },
          },
        ],
      },
    );
    expect(cells(p).slice(0, 4)).toEqual(['web', '0/1', 'CrashLoopBackOff', '4 (45s ago)']);
  });

  it('shows init progress, init failures and exit codes', () => {
    const spec = { initContainers: [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'c' }] };
    const waitingInit = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'b', state: { running: {} } },
      ],
    });
    expect(cells(waitingInit)[2]).toBe('Init:1/2');
    const failed = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] });
    expect(cells(failed)[2]).toBe('Init:ExitCode:2');
    const crashing = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
    expect(cells(crashing)[2]).toBe('Init:CrashLoopBackOff');
    const exited = pod({ containers: [{ name: 'c' }] }, { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 137, signal: 9 } } }] });
    expect(cells(exited)[2]).toBe('Signal:9');
  });

  it('counts restartable init containers (sidecars) as containers', () => {
    const p = pod(
      { initContainers: [{ name: 'log', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'log', started: true, ready: true, state: running }],
        containerStatuses: [{ name: 'app', ready: true, state: running }],
      },
    );
    expect(cells(p).slice(1, 3)).toEqual(['2/2', 'Running']);
  });

  it('shows Terminating for a pod being deleted, and Pending before scheduling', () => {
    expect(cells(pod({ containers: [{ name: 'c' }] }, { phase: 'Running' }, { deletionTimestamp: ago(1) }))[2]).toBe('Terminating');
    expect(cells(pod({ containers: [{ name: 'c' }] }, { phase: 'Pending' })).slice(1, 3)).toEqual(['0/1', 'Pending']);
  });
});

describe('other tables', () => {
  it('prints services of every type', () => {
    const svc = (spec: object, status: object = {}) => cells({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', creationTimestamp: ago(60) }, spec, status });
    expect(svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ port: 443, protocol: 'TCP' }] })).toEqual(['s', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '60s', '<none>']);
    expect(svc({ type: 'NodePort', clusterIP: '10.96.5.5', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], selector: { app: 'web' } })).toEqual([
      's', 'NodePort', '10.96.5.5', '<none>', '80:30080/TCP', '60s', 'app=web',
    ]);
    expect(svc({ type: 'LoadBalancer', clusterIP: '10.96.5.6', ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] })[3]).toBe('<pending>');
    expect(svc({ type: 'ExternalName', externalName: 'db.example.com' }).slice(1, 5)).toEqual(['ExternalName', '<none>', 'db.example.com', '<none>']);
  });

  it('prints deployments and jobs', () => {
    const d = cells({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: ago(100) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    expect(d).toEqual(['web', '2/3', 3, 2, '100s', 'nginx', 'nginx:1.27', 'app=web']);
    const j = cells({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', creationTimestamp: ago(200) },
      spec: { completions: 3, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } },
      status: { succeeded: 3, startTime: ago(190), completionTime: ago(150), conditions: [{ type: 'Complete', status: 'True' }] },
    });
    expect(j.slice(0, 5)).toEqual(['pi', 'Complete', '3/3', '40s', '3m20s']);
  });

  it('falls back to NAME and AGE for kinds without a printer', () => {
    expect(tableColumns('Widget').map((c) => c.name)).toEqual(['Name', 'Age']);
  });
});
