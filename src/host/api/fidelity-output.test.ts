/**
 * Fidelity of output that many verbs share: `-o yaml` as go-yaml v2 emits it (quoting, folding,
 * literal blocks), Go's sort order for events and --sort-by ties, and -o on the verbs that
 * operate workloads and nodes. The real kubectl 1.32 and ours against one served cluster.
 */
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../sim';
import { normalizeKlog, useFidelity } from './fidelity-kit';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function post(cluster: Cluster, path: string, body: unknown): void {
  const res = cluster.api.handle({ method: 'POST', path, userAgent: 'kubectl', body } as never);
  if (res.status >= 300) throw new Error(`${path}: ${JSON.stringify(res.body)}`);
}

function setup(cluster: Cluster): void {
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
  post(cluster, DEPLOY, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: tpl } });
  const long = 'this annotation is a long sentence with spaces that go-yaml folds once it passes the eightieth column of the line, twice even';
  const data: Record<string, string> = {
    numbers: '1.0', hex: '0x1F', octal: '0o17', under: '1_000', exp: '1e3', dot: '.5', neg: '-1', plus: '+1', big: '99999999999999999999',
    yes: 'yes', on: 'on', off: 'Off', y: 'y', n: 'N', t: 'true', tilde: '~', null: 'null', empty: '', dash: '-', dashes: '---', dots: '...', dashword: '-x',
    lead: '  leading spaces', trail: 'trailing ', tab: 'a\tb', colon: 'a: b', colon2: 'a:b', hash: 'a #b', hash2: 'a#b', star: '*x', amp: '&x', bang: '!x',
    quote: "it's", dquote: 'say "hi"', backslash: 'a\\b', pct: '%x', at: '@x', tick: '`x', brace: '{x}', bracket: '[x]', comma: 'a, b', q: '?x', q2: '? x',
    pipe: '|x', gt: '>x', unicode: 'héllo wörld ☃ 日本', emoji: '😀 ok', time: '2025-06-02T09:31:32Z', date: '2025-06-02', base60: '1:20', cron: '*/5 * * * *',
    multi: 'line one\nline two\n', multi2: 'line one\nline two', multi3: 'a\n\n', multi4: '\nstarts with break', multi5: '  indented\nsecond\n', trailsp: 'a \nb',
    long, longq: `'${long}'`, longd: `${long}\t`, longkey: 'x', ctrl: 'bell\u0007', nbsp: 'a\u00a0b', nel: 'a\u0085b', k10: 'ten', k9: 'nine',
    'yes-key': 'v', '1.5': 'numeric key', A_b: 'v', a_B: 'v', '_a': 'v', 'a-1': 'v', a10: 'v', a9: 'v', a09: 'v',
    script: '#!/bin/sh\nset -e\n\necho "hello $NAME"\nexit 0\n',
  };
  post(cluster, '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strings', annotations: { 'example.com/note': long, 'example.com/n': '42' }, labels: { 'tier': 'on' } }, data });
  const job = { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo "hello from a cron job that prints a fairly long line of text so that folding happens"'] }] } } } };
  post(cluster, '/apis/batch/v1/namespaces/default/cronjobs', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick' }, spec: { schedule: '*/1 * * * *', jobTemplate: job } });
  cluster.clock.advance(60_000);
}

const SCENARIOS: string[][] = [
  ['events'],
  ['events', '-A'],
  ['describe', 'deploy', 'web'],
  ['describe', 'rs'],
  ['get', 'events', '--sort-by=.lastTimestamp'],
  ['get', 'events', '-A', '--sort-by=.lastTimestamp'],
  ['get', 'events', '--sort-by=.reason', '-o', 'custom-columns=R:.reason,N:.involvedObject.name'],
  ['get', 'pods', '--sort-by=.spec.nodeName'],
  ['get', 'configmap', 'strings', '-o', 'yaml'],
  ['get', 'cronjob', 'tick', '-o', 'yaml'],
  ['get', 'deploy', 'web', '-o', 'yaml'],
  ['get', 'pods', '-o', 'yaml'],
  ['get', 'nodes', '-o', 'yaml'],
  ['get', 'events', '-A', '-o', 'yaml'],
];

describe('fidelity: shared output (yaml, sort order, -o on workload verbs) as kubectl 1.32 prints it', () => {
  const kit = useFidelity(setup, { metricsServer: true });

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });

  /** Runs the real kubectl, puts the cluster back with `revert`, runs ours, reverts again, compares. */
  async function compareChange(args: string[], revert: () => void): Promise<void> {
    if (!kit.available()) return;
    const real = await kit.real(args);
    revert();
    const ours = await kit.ours(args);
    revert();
    // Reverting a change moves resourceVersion and generation on; the rest must match.
    const versions = (text: string) => text.replace(/("?resourceVersion"?: "?)\d+/g, '$1N').replace(/("?generation"?: )\d+/g, '$1N');
    expect({ ...ours, stdout: versions(ours.stdout), stderr: normalizeKlog(ours.stderr) }).toEqual({ ...real, stdout: versions(real.stdout), stderr: normalizeKlog(real.stderr) });
  }
  const patch = (path: string, body: unknown) => kit.cluster.api.handle({ method: 'PATCH', path, contentType: 'application/merge-patch+json', body } as never);

  it('-o on rollout pause/resume and taint prints the object as PrintFlags do', async () => {
    const unpause = () => patch(`${DEPLOY}/web`, { spec: { paused: null } });
    for (const o of [['-o', 'yaml'], ['-o', 'name'], ['-o', 'jsonpath={.spec.paused}']]) {
      await compareChange(['rollout', 'pause', 'deploy/web', ...o], unpause);
    }
    patch(`${DEPLOY}/web`, { spec: { paused: true } });
    await kit.compare(['rollout', 'pause', 'deploy/web', '-o', 'jsonpath={.metadata.name}']);
    await compareChange(['rollout', 'resume', 'deploy/web', '-o', 'jsonpath={.spec.paused}'], () => patch(`${DEPLOY}/web`, { spec: { paused: true } }));
    unpause();
    const untaint = () => patch('/api/v1/nodes/node02', { spec: { taints: null } });
    await compareChange(['taint', 'node', 'node02', 'a=b:NoSchedule', '-o', 'yaml'], untaint);
    await compareChange(['taint', 'node', 'node02', 'a=b:NoSchedule', '-o', 'jsonpath={.spec.taints}'], untaint);
    await compareChange(['taint', 'node', 'node02', 'a=b:NoSchedule', '-o', 'name'], untaint);
  });
});
