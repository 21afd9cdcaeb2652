import { afterEach, describe, expect, it } from 'vitest';
import { isPodActive } from './podutil';
import { JOB_TRACKING_FINALIZER } from './job';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const JOBS = '/apis/batch/v1/namespaces/default/jobs';

/** A cluster (createCluster runs the job and TTL-after-finished controllers). */
function cluster(): Harness {
  return harness();
}

function job(name: string, command: string, spec: Obj = {}, podSpec: Obj = {}): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', command] }], ...podSpec } } },
  };
}

function events(name: string): string[] {
  return h
    .list('/api/v1/namespaces/default/events')
    .filter((e) => e.involvedObject.kind === 'Job' && e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.message}${e.count > 1 ? ` x${e.count}` : ''}`);
}

/** `kubectl get job NAME`: NAME, STATUS, COMPLETIONS, DURATION. */
function row(name: string): string[] {
  const table = h.call({ method: 'GET', path: `${JOBS}/${name}`, as: 'Table' });
  return (table.rows[0].cells as string[]).slice(0, 4);
}

function getJob(name: string): Obj {
  return h.get(`${JOBS}/${name}`)!;
}

function jobPods(name: string): Obj[] {
  return h.pods('default', { 'batch.kubernetes.io/job-name': name }).sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp) || (a.metadata.name < b.metadata.name ? -1 : 1));
}

const at = (t: string | undefined) => Date.parse(t!);

/** Advances until `done` holds (checked every second), at most `limit` ms. */
function until(done: () => boolean, limit = 600_000): void {
  for (let waited = 0; !done(); waited += 1000) {
    if (waited > limit) throw new Error('condition not reached');
    h.advance(1000);
  }
}

function conditionTypes(j: Obj): string[] {
  return (j.status?.conditions ?? []).map((c: Obj) => `${c.type}=${c.status}`);
}


describe('Job controller', () => {
  it('runs completions 3 with parallelism 2 to Complete, never more than two pods at once', () => {
    h = cluster();
    let maxActive = 0;
    h.cluster.store.watch('/registry/pods/default/', () => {
      const active = h.cluster.store.range<Obj>('/registry/pods/default/').filter((kv) => kv.value.metadata.labels?.['job-name'] === 'pi' && isPodActive(kv.value)).length;
      maxActive = Math.max(maxActive, active);
    });
    const created = h.create(job('pi', 'sleep 3', { completions: 3, parallelism: 2 }));
    expect(created.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': created.metadata.uid } });
    h.advance(0);

    const first = jobPods('pi');
    expect(first.map((p) => p.metadata.name)).toEqual([expect.stringMatching(/^pi-[a-z0-9]{5}$/), expect.stringMatching(/^pi-[a-z0-9]{5}$/)]);
    const pod = first[0]!;
    expect(pod.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': created.metadata.uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': created.metadata.uid,
      'job-name': 'pi',
    });
    expect(pod.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const running = getJob('pi').status;
    expect(running).toEqual({ startTime: expect.any(String), active: 2, terminating: 0, uncountedTerminatedPods: {}, ready: 0 });
    expect(row('pi')).toEqual(['pi', 'Running', '0/3', '0s']);

    until(() => conditionTypes(getJob('pi')).includes('Complete=True'));
    const done = getJob('pi');
    const finishedAt = done.status.completionTime;
    expect(done.status).toEqual({
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: finishedAt, lastTransitionTime: finishedAt, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        { type: 'Complete', status: 'True', lastProbeTime: finishedAt, lastTransitionTime: finishedAt, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      ],
      startTime: running.startTime,
      completionTime: finishedAt,
      succeeded: 3,
      terminating: 0,
      uncountedTerminatedPods: {},
      ready: 0,
    });
    const pods = jobPods('pi');
    expect(pods).toHaveLength(3);
    expect(maxActive).toBe(2);
    // The third pod starts once a first one succeeded (its status seen a batch period later).
    const firstDone = Math.min(...first.map((p) => at(pods.find((q) => q.metadata.name === p.metadata.name)!.status.containerStatuses[0].state.terminated.finishedAt)));
    expect(at(pods[2]!.metadata.creationTimestamp) - firstDone).toBeGreaterThanOrEqual(1000);
    expect(at(pods[2]!.metadata.creationTimestamp) - firstDone).toBeLessThanOrEqual(2000);
    for (const p of pods) {
      expect(p.status.phase).toBe('Succeeded');
      expect(p.metadata.finalizers).toBeUndefined();
    }
    // Pods created in the same instant: their events are in creation order, the pods by name.
    expect(events('pi').at(-1)).toBe('Normal Completed Job completed');
    expect(events('pi').slice(0, -1).sort()).toEqual(pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort());
    const duration = (at(finishedAt) - at(running.startTime)) / 1000;
    expect(duration).toBeGreaterThanOrEqual(9);
    expect(duration).toBeLessThanOrEqual(14);
    h.advance(60_000);
    expect(row('pi')).toEqual(['pi', 'Complete', '3/3', `${duration}s`]);
  });

  it('backs off 10 s, 20 s, 40 s between failed pods and fails with BackoffLimitExceeded', () => {
    h = cluster();
    h.create(job('fail', 'sleep 1; exit 1', { backoffLimit: 3 }));
    until(() => conditionTypes(getJob('fail')).includes('Failed=True'));
    const pods = jobPods('fail');
    expect(pods).toHaveLength(4);
    expect(pods.map((p) => p.status.containerStatuses[0].state.terminated.exitCode)).toEqual([1, 1, 1, 1]);
    // Each replacement waits 10 s doubling after the previous failure (finishedAt, to the second).
    const gaps = pods.slice(1).map((p, i) => (at(p.metadata.creationTimestamp) - at(pods[i]!.status.containerStatuses[0].state.terminated.finishedAt)) / 1000);
    expect(gaps).toEqual([10, 20, 40]);
    const j = getJob('fail');
    const [target, failed] = j.status.conditions;
    expect(target).toEqual({ type: 'FailureTarget', status: 'True', lastProbeTime: expect.any(String), lastTransitionTime: expect.any(String), reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(failed).toMatchObject({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(j.status).toMatchObject({ failed: 4, terminating: 0, ready: 0, uncountedTerminatedPods: {} });
    expect(j.status.active).toBeUndefined();
    expect(j.status.completionTime).toBeUndefined();
    expect(events('fail').at(-1)).toBe('Warning BackoffLimitExceeded Job has reached the specified backoff limit');
    expect(events('fail').slice(0, -1).sort()).toEqual(pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort());
    expect(row('fail').slice(0, 3)).toEqual(['fail', 'Failed', '0/1']);
    // A failed job stays failed: nothing more is created.
    h.advance(120_000);
    expect(jobPods('fail')).toHaveLength(4);
  });

  it('fails a job past activeDeadlineSeconds: FailureTarget at once, Failed once its pods are gone', () => {
    h = cluster();
    h.create(job('slow', 'sleep 600', { activeDeadlineSeconds: 10, completions: 2, parallelism: 2 }));
    h.advance(0);
    const start = at(getJob('slow').status.startTime);
    until(() => conditionTypes(getJob('slow')).includes('FailureTarget=True'));
    const target = getJob('slow');
    expect(at(target.status.conditions[0].lastTransitionTime) - start).toBe(10_000);
    expect(target.status).toMatchObject({ failed: 2, terminating: 2, ready: 0 });
    expect(target.status.active).toBeUndefined();
    expect(row('slow').slice(0, 2)).toEqual(['slow', 'FailureTarget']);
    const pods = jobPods('slow');
    expect(pods.every((p) => p.metadata.deletionTimestamp && !p.metadata.finalizers)).toBe(true);
    // `sh` ignores SIGTERM: the pods are killed at the end of their 30 s grace period.
    until(() => conditionTypes(getJob('slow')).includes('Failed=True'));
    const failed = getJob('slow');
    expect(failed.status.conditions[1]).toMatchObject({ type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect((at(failed.status.conditions[1].lastTransitionTime) - start) / 1000).toBeGreaterThanOrEqual(40);
    expect(failed.status).toMatchObject({ failed: 2, terminating: 0 });
    expect(jobPods('slow')).toEqual([]);
    const seen = events('slow');
    expect([seen.slice(0, 2).sort(), seen.slice(2, 4).sort(), seen[4]]).toEqual([
      pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
      pods.map((p) => `Normal SuccessfulDelete Deleted pod: ${p.metadata.name}`).sort(),
      'Warning DeadlineExceeded Job was active longer than specified deadline',
    ]);
    expect(row('slow').slice(0, 3)).toEqual(['slow', 'Failed', '0/2']);
  });

  it('names Indexed pods <job>-<index>-, gives them their index and reports completedIndexes', () => {
    h = cluster();
    h.create(job('ix', 'echo index $JOB_COMPLETION_INDEX; sleep 2', { completionMode: 'Indexed', completions: 3, parallelism: 2 }));
    h.advance(0);
    const first = jobPods('ix');
    expect(first.map((p) => p.metadata.name).sort()).toEqual([expect.stringMatching(/^ix-0-[a-z0-9]{5}$/), expect.stringMatching(/^ix-1-[a-z0-9]{5}$/)]);
    const pod0 = first.find((p) => p.metadata.name.startsWith('ix-0-'))!;
    expect(pod0.metadata.annotations).toEqual({ 'batch.kubernetes.io/job-completion-index': '0' });
    expect(pod0.metadata.labels['batch.kubernetes.io/job-completion-index']).toBe('0');
    expect(pod0.spec.hostname).toBe('ix-0');
    expect(pod0.spec.containers[0].env).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    until(() => getJob('ix').status.succeeded === 2);
    expect(getJob('ix').status.completedIndexes).toBe('0,1');
    until(() => conditionTypes(getJob('ix')).includes('Complete=True'));
    const j = getJob('ix');
    expect(j.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
    const pods = jobPods('ix');
    expect(pods.map((p) => p.metadata.name.replace(/[a-z0-9]{5}$/, ''))).toEqual(['ix-0-', 'ix-1-', 'ix-2-']);
    const logs = pods.map((p) => h.cluster.api.handle({ method: 'GET', path: `/api/v1/namespaces/default/pods/${p.metadata.name}/log`, userAgent: 'kubectl' }).body);
    expect(logs).toEqual(['index 0\n', 'index 1\n', 'index 2\n']);
    expect(row('ix').slice(0, 3)).toEqual(['ix', 'Complete', '3/3']);
  });

  it('fails the job on a FailJob pod failure policy rule, naming the container, pod and exit code', () => {
    h = cluster();
    h.create(
      job('pfp', 'sleep 2; exit 42', {
        completions: 2,
        parallelism: 1,
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          ],
        },
      }),
    );
    until(() => conditionTypes(getJob('pfp')).includes('Failed=True'));
    const [pod] = jobPods('pfp');
    const message = `Container main for pod default/${pod!.metadata.name} failed with exit code 42 matching FailJob rule at index 0`;
    const j = getJob('pfp');
    expect(j.spec.podReplacementPolicy).toBe('Failed');
    expect(j.status.conditions.map((c: Obj) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'PodFailurePolicy', message],
      ['Failed', 'PodFailurePolicy', message],
    ]);
    expect(j.status.failed).toBe(1);
    expect(jobPods('pfp')).toHaveLength(1);
    expect(events('pfp')).toEqual([`Normal SuccessfulCreate Created pod: ${pod!.metadata.name}`, `Warning PodFailurePolicy ${message}`]);
  });

  it('does not count a pod failed by a disruption that an Ignore rule covers, and replaces it', () => {
    h = cluster();
    h.create(
      job('ignore', 'sleep 150', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }),
    );
    h.advance(5_000);
    const [victim] = jobPods('ignore');
    const disrupted: Obj[] = [];
    h.cluster.store.watch('/registry/pods/default/', (e) => {
      const p = e.kv.value as Obj;
      if (e.type === 'put' && p.metadata.uid === victim!.metadata.uid && p.status?.phase === 'Failed' && !disrupted.length) disrupted.push(p);
    });
    // Its node goes away; PodGC fails the pod with a DisruptionTarget condition and deletes it.
    h.cluster.removeNode(victim!.spec.nodeName);
    until(() => jobPods('ignore').some((p) => p.metadata.uid !== victim!.metadata.uid), 120_000);
    expect(disrupted[0]!.status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC' }));
    const j = getJob('ignore');
    expect(j.status.failed).toBeUndefined();
    expect(conditionTypes(j)).toEqual([]);
    until(() => conditionTypes(getJob('ignore')).includes('Complete=True'));
    expect(getJob('ignore').status.succeeded).toBe(1);
    expect(getJob('ignore').status.failed).toBeUndefined();
    expect(row('ignore').slice(0, 3)).toEqual(['ignore', 'Complete', '1/1']);
  });

  it('suspends (deleting active pods, Suspended condition) and resumes (new pods, startTime reset)', () => {
    h = cluster();
    h.create(job('sus', 'sleep 120', { parallelism: 2, completions: 4 }));
    h.advance(20_000);
    const before = jobPods('sus');
    expect(before).toHaveLength(2);
    h.call({ method: 'PATCH', path: `${JOBS}/sus`, contentType: 'application/merge-patch+json', body: { spec: { suspend: true } } });
    h.advance(0);
    const suspendedAt = h.cluster.clock.now();
    const j = getJob('sus');
    expect(j.status.conditions).toEqual([
      { type: 'Suspended', status: 'True', lastProbeTime: expect.any(String), lastTransitionTime: expect.any(String), reason: 'JobSuspended', message: 'Job suspended' },
    ]);
    expect(j.status).toMatchObject({ terminating: 2, ready: 0 });
    expect(j.status.active).toBeUndefined();
    expect(row('sus').slice(0, 3)).toEqual(['sus', 'Suspended', '0/4']);
    // Pods deleted on suspension lose their finalizer first: they count neither way.
    until(() => jobPods('sus').length === 0, 60_000);
    h.advance(2_000);
    expect(getJob('sus').status.failed).toBeUndefined();
    expect(getJob('sus').status.terminating).toBe(0);
    h.advance(30_000);
    h.call({ method: 'PATCH', path: `${JOBS}/sus`, contentType: 'application/merge-patch+json', body: { spec: { suspend: false } } });
    h.advance(0);
    const resumed = getJob('sus');
    expect(resumed.status.conditions).toEqual([
      { type: 'Suspended', status: 'False', lastProbeTime: expect.any(String), lastTransitionTime: expect.any(String), reason: 'JobResumed', message: 'Job resumed' },
    ]);
    expect(at(resumed.status.startTime)).toBeGreaterThan(suspendedAt);
    expect(resumed.status.active).toBe(2);
    const after = jobPods('sus');
    expect(after).toHaveLength(2);
    // Events of one instant are in creation order, pods here by name: compare each step as a set.
    const seen = events('sus');
    const step = (from: number, to: number) => seen.slice(from, to).sort();
    expect([step(0, 2), step(2, 4), seen[4], step(5, 7), seen[7]]).toEqual([
      before.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
      before.map((p) => `Normal SuccessfulDelete Deleted pod: ${p.metadata.name}`).sort(),
      'Normal Suspended Job suspended',
      after.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort(),
      'Normal Resumed Job resumed',
    ]);
    expect(row('sus').slice(0, 3)).toEqual(['sus', 'Running', '0/4']);
  });

  it('creates a job suspended without starting it', () => {
    h = cluster();
    h.create(job('later', 'sleep 1', { suspend: true }));
    h.advance(10_000);
    const j = getJob('later');
    expect(j.status.startTime).toBeUndefined();
    expect(conditionTypes(j)).toEqual(['Suspended=True']);
    expect(jobPods('later')).toEqual([]);
    expect(events('later')).toEqual(['Normal Suspended Job suspended']);
  });

  it('completes a job without completions once one pod succeeded and none runs', () => {
    h = cluster();
    h.create(job('queue', 'sleep 3', { parallelism: 2 }));
    h.advance(0);
    expect(getJob('queue').spec.completions).toBeUndefined();
    expect(row('queue').slice(0, 3)).toEqual(['queue', 'Running', '0/1 of 2']);
    until(() => conditionTypes(getJob('queue')).includes('Complete=True'));
    expect(getJob('queue').status).toMatchObject({ succeeded: 2 });
    expect(jobPods('queue')).toHaveLength(2);
    expect(row('queue').slice(0, 3)).toEqual(['queue', 'Complete', '2/1 of 2']);
  });

  it('counts container restarts against backoffLimit with restartPolicy OnFailure', () => {
    h = cluster();
    h.create(job('crash', 'sleep 1; exit 3', { backoffLimit: 2 }, { restartPolicy: 'OnFailure' }));
    until(() => conditionTypes(getJob('crash')).includes('Failed=True'));
    const j = getJob('crash');
    expect(j.status.conditions.map((c: Obj) => `${c.type} ${c.reason}`)).toEqual(['FailureTarget BackoffLimitExceeded', 'Failed BackoffLimitExceeded']);
    expect(events('crash')).toContain('Warning BackoffLimitExceeded Job has reached the specified backoff limit');
    // The pod stays Running between restarts, so it is counted once: failed 1, one pod.
    expect(j.status).toMatchObject({ failed: 1, terminating: 0, ready: 0 });
    expect(j.status.succeeded).toBeUndefined();
    const created = events('crash').filter((e) => e.startsWith('Normal SuccessfulCreate'));
    expect(created).toHaveLength(1);
    const podName = created[0]!.slice('Normal SuccessfulCreate Created pod: '.length);
    expect(events('crash')).toEqual([`Normal SuccessfulCreate Created pod: ${podName}`, `Normal SuccessfulDelete Deleted pod: ${podName}`, 'Warning BackoffLimitExceeded Job has reached the specified backoff limit']);
  });

  it('counts a deleted pod as failed and replaces it after the back-off (podReplacementPolicy TerminatingOrFailed)', () => {
    h = cluster();
    h.create(job('del', 'sleep 600'));
    h.advance(5_000);
    const [first] = jobPods('del');
    h.call({ method: 'DELETE', path: `/api/v1/namespaces/default/pods/${first!.metadata.name}` });
    const deletedAt = h.cluster.clock.now();
    until(() => jobPods('del').some((p) => p.metadata.uid !== first!.metadata.uid && !p.metadata.deletionTimestamp), 60_000);
    const replacement = jobPods('del').find((p) => p.metadata.uid !== first!.metadata.uid)!;
    // 10 s later; creationTimestamp has whole seconds, so it may read up to a second earlier.
    const delay = at(replacement.metadata.creationTimestamp) - deletedAt;
    expect(delay).toBeGreaterThan(9000);
    expect(delay).toBeLessThanOrEqual(10_000);
    expect(getJob('del').status).toMatchObject({ failed: 1, active: 1 });
  });

  it('removes the tracking finalizer from the pods of a deleted job', () => {
    h = cluster();
    h.create(job('gone', 'sleep 600', { parallelism: 2, completions: 2 }));
    h.advance(5_000);
    const pods = jobPods('gone');
    h.call({ method: 'DELETE', path: `${JOBS}/gone`, body: { propagationPolicy: 'Background' } });
    h.advance(2_000);
    for (const p of pods) expect(h.get(`/api/v1/namespaces/default/pods/${p.metadata.name}`)?.metadata.finalizers).toBeUndefined();
  });

  it('deletes a finished job ttlSecondsAfterFinished after it finished, in the foreground', () => {
    h = cluster();
    const deletions: Obj[] = [];
    h.cluster.store.watch('/registry/jobs/default/', (e) => {
      const v = e.kv.value as Obj;
      if (e.type === 'put' && v.metadata.deletionTimestamp && !deletions.length) deletions.push(v);
    });
    h.create(job('ttl', 'sleep 2', { ttlSecondsAfterFinished: 30 }));
    until(() => conditionTypes(getJob('ttl')).includes('Complete=True'));
    const finishedAt = at(getJob('ttl').status.completionTime);
    until(() => deletions.length > 0, 60_000);
    expect(at(deletions[0]!.metadata.deletionTimestamp) - finishedAt).toBe(30_000);
    expect(deletions[0]!.metadata.finalizers).toContain('foregroundDeletion');
    // The garbage collector deletes the pod first, then the job.
    h.advance(5_000);
    expect(h.get(`${JOBS}/ttl`)).toBeUndefined();
    expect(jobPods('ttl')).toEqual([]);
    const unfinished = h.create(job('ttl-running', 'sleep 600', { ttlSecondsAfterFinished: 0 }));
    h.advance(60_000);
    expect(getJob('ttl-running').metadata.uid).toBe(unfinished.metadata.uid);
  });
});
