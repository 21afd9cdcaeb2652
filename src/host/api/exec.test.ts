import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCluster, type Cluster } from '../../sim';
import { CLOSE, needsMore, negotiate } from './exec';
import { startApiServer } from './server';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Served {
  url: string;
  /** Options for a client of the server: its certificate and the bearer token. */
  client: { ca: string; headers: Record<string, string> };
  kubeconfig(): string;
  close(): Promise<void>;
}

/** The facade's server (HTTPS, bearer token) with the streaming extension. */
async function startServer(cluster: Cluster): Promise<Served> {
  const server = await startApiServer({ cluster });
  return {
    url: server.url,
    client: { ca: server.certificate, headers: { Authorization: `Bearer ${server.token}` } },
    kubeconfig: () => server.kubeconfig(),
    close: () => server.close(),
  };
}

function createPod(cluster: Cluster, name: string, spec: Obj): void {
  const res = cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
}

function setup(): Cluster {
  const cluster = createCluster();
  createPod(cluster, 'web', { containers: [{ name: 'nginx', image: 'nginx:1.27' }] });
  createPod(cluster, 'bb', { containers: [{ name: 'bb', image: 'busybox', command: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 2; done'] }] });
  createPod(cluster, 'crash', { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo crashing; sleep 3; exit 1'] }] });
  createPod(cluster, 'pending', { nodeSelector: { nowhere: 'true' }, containers: [{ name: 'c', image: 'busybox' }] });
  cluster.clock.advance(60_000);
  return cluster;
}

/** Advances the virtual clock while `work` runs: `step` virtual ms every 10 ms of wall time. */
async function pumping<T>(cluster: Cluster, work: Promise<T>, step = 100): Promise<T> {
  const timer = setInterval(() => cluster.clock.advance(step), 10);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

// ---- a WebSocket client speaking channel.k8s.io ----------------------------------------------

interface Frame {
  channel: number;
  data: Buffer;
}

interface Session {
  protocol: string;
  frames: Frame[];
  send(channel: number, data: string | Buffer): void;
  /** Text received on a channel so far. */
  text(channel: number): string;
  closed: Promise<number>;
  /** Resolves once the channel's text satisfies `test`. */
  until(channel: number, test: (text: string) => boolean): Promise<string>;
}

function wsUrl(url: string, path: string): string {
  return url.replace(/^http/, 'ws') + path;
}

function open(server: Served, path: string, protocols: string[] = ['v5.channel.k8s.io']): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(server.url, path), protocols, server.client);
    const frames: Frame[] = [];
    const base64 = () => ws.protocol.includes('base64');
    const waiters: (() => void)[] = [];
    const text = (channel: number) =>
      Buffer.concat(frames.filter((f) => f.channel === channel).map((f) => f.data)).toString('utf8');
    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      if (base64()) {
        const s = raw.toString('latin1');
        frames.push({ channel: s.charCodeAt(0) - 0x30, data: Buffer.from(s.slice(1), 'base64') });
      } else {
        expect(isBinary).toBe(true);
        frames.push({ channel: raw[0]!, data: raw.subarray(1) });
      }
      for (const w of waiters.splice(0)) w();
    });
    const closed = new Promise<number>((r) => ws.on('close', (code: number) => r(code)));
    ws.on('unexpected-response', (_req, res: http.IncomingMessage) => {
      const body: Buffer[] = [];
      res.on('data', (c: Buffer) => body.push(c));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode, body: Buffer.concat(body).toString('utf8') })));
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        protocol: ws.protocol,
        frames,
        text,
        closed,
        send(channel, data) {
          const bytes = typeof data === 'string' ? Buffer.from(data) : data;
          if (base64()) ws.send(String.fromCharCode(0x30 + channel) + bytes.toString('base64'));
          else ws.send(Buffer.concat([Buffer.from([channel]), bytes]));
        },
        until(channel, test) {
          return new Promise((done) => {
            const check = () => (test(text(channel)) ? done(text(channel)) : waiters.push(check));
            check();
          });
        },
      }),
    );
  });
}

function execPath(pod: string, command: string[], params: Record<string, string> = { stdout: 'true', stderr: 'true' }): string {
  const q = new URLSearchParams(params);
  for (const c of command) q.append('command', c);
  return `/api/v1/namespaces/default/pods/${pod}/exec?${q}`;
}

async function refused(p: Promise<unknown>): Promise<{ statusCode: number; body: Obj }> {
  const err = (await p.then(
    () => {
      throw new Error('the upgrade was accepted');
    },
    (e: unknown) => e,
  )) as { statusCode: number; body: string };
  return { statusCode: err.statusCode, body: JSON.parse(err.body) as Obj };
}

describe('exec and attach over WebSocket', () => {
  let cluster: Cluster;
  let server: Served;
  beforeAll(async () => {
    cluster = setup();
    server = await startServer(cluster);
  });
  afterAll(() => server.close());

  it('negotiates v5, then the kubelet protocols the client offers', () => {
    expect(negotiate('v5.channel.k8s.io')).toBe('v5.channel.k8s.io');
    expect(negotiate('v4.channel.k8s.io, v5.channel.k8s.io')).toBe('v4.channel.k8s.io');
    expect(negotiate('v3.channel.k8s.io,channel.k8s.io')).toBe('channel.k8s.io');
    expect(negotiate(undefined)).toBe('');
    expect(negotiate('v3.channel.k8s.io')).toBeUndefined();
  });

  it('runs a command: ready message on stdout, output, Success on the error channel, normal close', async () => {
    const s = await open(server, execPath('bb', ['ls', '/etc']));
    expect(s.protocol).toBe('v5.channel.k8s.io');
    expect(await s.closed).toBe(1000);
    expect(s.frames[0]).toEqual({ channel: 1, data: Buffer.alloc(0) });
    expect(s.text(1)).toBe('hostname\nhosts\npasswd\nresolv.conf\n');
    expect(s.frames.at(-1)!.channel).toBe(3);
    expect(s.text(3)).toBe('{"metadata":{},"status":"Success"}');
  });

  it('keeps stderr on its channel and reports a non-zero exit code as the stream translator does', async () => {
    const s = await open(server, execPath('web', ['sh', '-c', 'echo out; echo err >&2; exit 3']));
    await s.closed;
    expect([s.text(1), s.text(2)]).toEqual(['out\n', 'err\n']);
    expect(JSON.parse(s.text(3))).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: command terminated with exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('drops the streams the client did not ask for', async () => {
    const s = await open(server, execPath('web', ['sh', '-c', 'echo out; echo err >&2'], { stdout: 'true' }));
    await s.closed;
    expect(s.frames.filter((f) => f.channel === 2)).toEqual([]);
    expect(s.text(1)).toBe('out\n');
  });

  it('answers the upgrade itself when the pod, the container or the node is wrong, as ExecLocation does', async () => {
    expect(await refused(open(server, execPath('nope', ['ls'])))).toEqual({
      statusCode: 404,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'pods' }, code: 404 },
    });
    expect((await refused(open(server, execPath('web', ['ls'], { container: 'nope', stdout: 'true' })))).body).toMatchObject({ message: 'container nope is not valid for pod web', reason: 'BadRequest', code: 400 });
    expect((await refused(open(server, execPath('pending', ['ls'])))).body).toMatchObject({ message: 'pod pending does not have a host assigned', code: 400 });
    expect((await refused(open(server, execPath('web', []))).then((r) => r.body))).toMatchObject({ message: 'you must specify at least 1 command', code: 400 });
  });

  it('reports a container that is not running inside the stream, as an InternalError', async () => {
    const s = await open(server, execPath('crash', ['ls']));
    await s.closed;
    expect(JSON.parse(s.text(3))).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: unable to upgrade connection: container not found ("c")',
      reason: 'InternalError',
      details: { causes: [{ message: 'unable to upgrade connection: container not found ("c")' }] },
      code: 500,
    });
  });

  it('reports a program missing from the image as the kubelet InternalError wrapped by the translator', async () => {
    const s = await open(server, execPath('web', ['foo']));
    await s.closed;
    const status = JSON.parse(s.text(3)) as Obj;
    expect(s.text(2)).toBe('');
    expect(status.message).toMatch(
      /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown$/,
    );
    expect(status).toMatchObject({ reason: 'InternalError', code: 500 });
  });

  it('gives a bare shell its stdin as its script once the client closes stdin (v5)', async () => {
    const s = await open(server, execPath('bb', ['sh'], { stdin: 'true', stdout: 'true', stderr: 'true' }));
    s.send(0, 'echo hi\nfor i in 1 2; do\n  echo $i\n');
    s.send(0, 'done\nexit 4\n');
    s.send(CLOSE, Buffer.from([0]));
    await s.closed;
    expect(s.text(1)).toBe('hi\n1\n2\n');
    expect(JSON.parse(s.text(3))).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '4' }] } });
  });

  it('runs an interactive shell on a TTY: prompt, echo, line editing, state from line to line, exit code', async () => {
    const s = await open(server, execPath('bb', ['sh'], { stdin: 'true', stdout: 'true', tty: 'true' }));
    s.send(4, '{"Width":80,"Height":24}\n');
    await s.until(1, (t) => t.endsWith('/ # '));
    s.send(0, 'cd /etc\r');
    await s.until(1, (t) => t.endsWith('/etc # '));
    s.send(0, 'X=hel');
    s.send(0, 'lp\x7fo\r');
    await s.until(1, (t) => t.endsWith('o\r\n/etc # '));
    s.send(0, 'echo $X; pwd\r');
    await s.until(1, (t) => t.endsWith('hello\r\n/etc\r\n/etc # '));
    s.send(0, 'for i in 1 2\r');
    await s.until(1, (t) => t.endsWith('> '));
    s.send(0, 'do echo $i; done\r');
    await s.until(1, (t) => t.endsWith('2\r\n/etc # '));
    s.send(0, 'exit 3\r');
    await s.closed;
    expect(s.text(1)).toBe(
      '/ # cd /etc\r\n/etc # X=hellp\b \bo\r\n/etc # echo $X; pwd\r\nhello\r\n/etc\r\n/etc # for i in 1 2\r\n> do echo $i; done\r\n1\r\n2\r\n/etc # exit 3\r\n',
    );
    expect(JSON.parse(s.text(3))).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ message: '3' }] } });
  });

  it('shows the prompt of the image: dash in Debian images, bash as root@host; ^C and ^D', async () => {
    const s = await open(server, execPath('web', ['bash'], { stdin: 'true', stdout: 'true', tty: 'true' }));
    await s.until(1, (t) => t.endsWith('root@web:/# '));
    s.send(0, 'false\r');
    await s.until(1, (t) => t.endsWith('false\r\nroot@web:/# '));
    s.send(0, 'echo $?\r');
    await s.until(1, (t) => t.includes('1\r\nroot@web:/# '));
    s.send(0, 'sleep 1000\r');
    s.send(0, '\x03');
    await s.until(1, (t) => t.endsWith('^C\r\nroot@web:/# '));
    s.send(0, '\x04');
    await s.closed;
    expect(s.text(1).endsWith('root@web:/# exit\r\n')).toBe(true);
    // After ^C the status is 130, which the next line cannot see: the session ends with it.
    expect(JSON.parse(s.text(3))).toMatchObject({ details: { causes: [{ message: '130' }] } });
    const d = await open(server, execPath('web', ['sh'], { stdin: 'true', stdout: 'true', tty: 'true' }));
    await d.until(1, (t) => t === '# ');
    d.send(CLOSE, Buffer.from([0]));
    expect(await d.closed).toBe(1000);
    expect(d.text(3)).toBe('{"metadata":{},"status":"Success"}');
  });

  it('speaks v4.base64.channel.k8s.io (text messages) and channel.k8s.io (only a failure, as text)', async () => {
    const b = await open(server, execPath('web', ['sh', '-c', 'echo hi; exit 2']), ['v4.base64.channel.k8s.io']);
    expect(b.protocol).toBe('v4.base64.channel.k8s.io');
    await b.closed;
    expect(b.text(1)).toBe('hi\n');
    expect(JSON.parse(b.text(3))).toMatchObject({ reason: 'NonZeroExitCode' });
    const v1 = await open(server, execPath('web', ['true']), ['channel.k8s.io']);
    await v1.closed;
    expect(v1.frames.filter((f) => f.channel === 3)).toEqual([]);
    const v1f = await open(server, execPath('crash', ['true']), ['channel.k8s.io']);
    await v1f.closed;
    expect(v1f.text(3)).toBe('Internal error occurred: unable to upgrade connection: container not found ("c")');
  });

  it('refuses a handshake whose subprotocols it does not serve, and a request that is not an upgrade', async () => {
    await expect(open(server, execPath('web', ['ls']), ['v3.channel.k8s.io'])).rejects.toMatchObject({ statusCode: 403 });
    const res = await new Promise<http.IncomingMessage>((resolve) =>
      https
        .request(`${server.url}${execPath('web', ['ls'])}`, { method: 'POST', ca: server.client.ca, headers: { ...server.client.headers, Connection: 'Upgrade', Upgrade: 'SPDY/3.1' } })
        .on('response', resolve)
        .end(),
    );
    expect(res.statusCode).toBe(400);
  });

  it('attaches: what the container writes from now on, Success when it stops', async () => {
    createPod(cluster, 'short', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', tty: true, command: ['sh', '-c', 'sleep 5; echo one; sleep 2; echo two'] }] });
    cluster.clock.advance(3_000);
    const s = await open(server, '/api/v1/namespaces/default/pods/short/attach?container=c&stdout=true&stdin=true&tty=true');
    s.send(0, 'ignored\r');
    const closed = pumping(cluster, s.closed);
    expect(await closed).toBe(1000);
    expect(s.text(1)).toBe('one\r\ntwo\r\n');
    expect(s.text(3)).toBe('{"metadata":{},"status":"Success"}');
    const late = await open(server, '/api/v1/namespaces/default/pods/short/attach?container=c&stdout=true');
    await late.closed;
    expect(JSON.parse(late.text(3))).toMatchObject({ message: 'Internal error occurred: unable to upgrade connection: container c not found in pod short_default', code: 500 });
  });

  it('reports an unreachable kubelet inside the stream, as the API server fails to dial it', async () => {
    const other = createCluster();
    createPod(other, 'far', { nodeName: 'node01', containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] });
    other.clock.advance(30_000);
    other.kubelets.get('node01')!.stop();
    const served = await startServer(other);
    try {
      for (const path of [execPath('far', ['ls']), '/api/v1/namespaces/default/pods/far/attach?stdout=true']) {
        const s = await open(served, path);
        await s.closed;
        expect(JSON.parse(s.text(3))).toEqual({
          metadata: {},
          status: 'Failure',
          message: 'Internal error occurred: error dialing backend: dial tcp 172.30.2.2:10250: connect: connection refused',
          reason: 'InternalError',
          details: { causes: [{ message: 'error dialing backend: dial tcp 172.30.2.2:10250: connect: connection refused' }] },
          code: 500,
        });
      }
    } finally {
      await served.close();
    }
  });

  it('tells a pending TTY line from a complete one', () => {
    expect(['echo "a', 'for i in 1 2', 'while true; do', 'if true; then echo', 'ls |', 'true &&', 'echo \\'].map(needsMore)).toEqual(Array(7).fill(true));
    expect(['echo "a;b"', 'for i in 1; do echo; done', 'if true; then :; fi', "echo 'do'", 'ls | wc'].map(needsMore)).toEqual(Array(5).fill(false));
  });
});

describe('pods/log with follow', () => {
  let cluster: Cluster;
  let server: Served;
  beforeAll(async () => {
    cluster = setup();
    server = await startServer(cluster);
  });
  afterAll(() => server.close());

  function get(path: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      https
        .get(`${server.url}${path}`, server.client, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }));
        })
        .on('error', reject);
    });
  }

  it('streams the tail, then what the container writes, and ends when it stops', async () => {
    createPod(cluster, 'job', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo a; echo b; sleep 4; echo c; sleep 4; echo d'] }] });
    cluster.clock.advance(3_000);
    const res = await pumping(cluster, get('/api/v1/namespaces/default/pods/job/log?follow=true&tailLines=1'));
    expect(res).toEqual({ status: 200, type: 'text/plain', body: 'b\nc\nd\n' });
  });

  it('ends at once for a stopped container and for --previous, and stops at limitBytes', async () => {
    expect(await get('/api/v1/namespaces/default/pods/job/log?follow=true')).toMatchObject({ body: 'a\nb\nc\nd\n' });
    expect(await get('/api/v1/namespaces/default/pods/crash/log?follow=true&previous=true')).toMatchObject({ status: 200, body: 'crashing\n' });
    const limited = await pumping(cluster, get('/api/v1/namespaces/default/pods/bb/log?follow=true&tailLines=1&limitBytes=20'));
    expect(limited.body).toMatch(/^tick (\d+)\ntick \d+\ntick$/);
    expect(limited.body).toHaveLength(20);
  });

  it('answers errors as the request without follow does', async () => {
    const res = await get('/api/v1/namespaces/default/pods/web/log?follow=true&previous=true');
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/json');
    expect(JSON.parse(res.body)).toMatchObject({ message: 'previous terminated container "nginx" in pod "web" not found', reason: 'BadRequest' });
    expect(JSON.parse((await get('/api/v1/namespaces/default/pods/nope/log?follow=true')).body)).toMatchObject({ reason: 'NotFound', code: 404 });
  });
});

// ---- the real kubectl ---------------------------------------------------------------------------

const kubectlPath = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
const scriptPath = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).stdout.trim();
if (!kubectlPath) console.warn('exec.test.ts: kubectl is not installed; skipping the tests against the real kubectl 1.32');

describe.skipIf(!kubectlPath)('the real kubectl against the facade', { timeout: 30_000 }, () => {
  let cluster: Cluster;
  let server: Served;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    cluster = setup();
    server = await startServer(cluster);
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-exec-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, server.kubeconfig());
    env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  });
  afterAll(() => server.close());

  /** Runs a command (kubectl, or `script` around it) while the virtual clock moves on. */
  function run(file: string, args: string[], input?: (write: (s: string) => void, output: () => string) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    if (input) void input((s) => child.stdin.write(s), () => stdout).catch(() => {});
    else child.stdin.end();
    return pumping(cluster, done, 50);
  }
  const kubectl = (...args: string[]) => run(kubectlPath, args);
  const waitFor = async (output: () => string, text: string) => {
    for (let i = 0; i < 400 && !output().includes(text); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('kubectl exec: output, exit codes and the errors upstream prints', async () => {
    expect(await kubectl('exec', 'bb', '--', 'ls', '/etc')).toEqual({ code: 0, stdout: 'hostname\nhosts\npasswd\nresolv.conf\n', stderr: '' });
    expect(await kubectl('exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3')).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
    expect(await kubectl('exec', 'nope', '--', 'ls')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await kubectl('exec', 'web', '-c', 'nope', '--', 'ls')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod web\n' });
    expect(await kubectl('exec', 'crash', '--', 'ls')).toEqual({ code: 1, stdout: '', stderr: 'error: Internal error occurred: unable to upgrade connection: container not found ("c")\n' });
    const missing = await kubectl('exec', 'web', '--', 'foo');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: Internal error occurred: Internal error occurred: error executing command in container: .*exec: "foo": executable file not found in \$PATH: unknown\n$/);
  });

  it('kubectl exec -i: a shell script on stdin', async () => {
    const piped = spawn(kubectlPath, ['exec', '-i', 'bb', '--', 'sh'], { env });
    let out = '';
    piped.stdout.on('data', (d: Buffer) => (out += d.toString()));
    piped.stdin.end('echo hi\ncd /etc; pwd\nexit 2\n');
    const code = await pumping(cluster, new Promise((r) => piped.on('close', r)));
    expect({ code, out }).toEqual({ code: 2, out: 'hi\n/etc\n' });
  });

  it.skipIf(!scriptPath)('kubectl exec -it on a terminal (script gives it one)', async () => {
    const res = await run(scriptPath, ['-eqc', `${kubectlPath} exec -it bb -- sh`, '/dev/null'], async (write, output) => {
      await waitFor(output, '/ # ');
      write('cd /etc\r');
      await waitFor(output, '/etc # ');
      write('ls\r');
      await waitFor(output, 'resolv.conf');
      write('exit 5\r');
    });
    expect(res.code).toBe(5);
    // The local terminal adds its own CR to the CR LF the container's terminal writes (kubectl keeps OPOST).
    expect(res.stdout.replace(/\r+\n/g, '\n')).toBe('/ # cd /etc\n/etc # ls\nhostname\nhosts\npasswd\nresolv.conf\n/etc # exit 5\ncommand terminated with exit code 5\n');
    const once = await run(scriptPath, ['-eqc', `${kubectlPath} run -it --rm once-tty --image=busybox --restart=Never -- sh -c 'sleep 4; echo hello; exit 2'`, '/dev/null'], async () => {});
    expect(once.code).toBe(2);
    expect(once.stdout.replace(/\r+\n/g, '\n')).toBe(`If you don't see a command prompt, try pressing enter.\nhello\npod "once-tty" deleted\npod default/once-tty terminated (Error)\n`);
  });

  it('kubectl logs: -f ends when the container stops; --previous, --tail, --timestamps', async () => {
    createPod(cluster, 'steps', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo one; sleep 3; echo two; sleep 3; echo three'] }] });
    cluster.clock.advance(3_000);
    expect(await kubectl('logs', '-f', 'steps')).toEqual({ code: 0, stdout: 'one\ntwo\nthree\n', stderr: '' });
    expect(await kubectl('logs', 'crash', '--previous')).toEqual({ code: 0, stdout: 'crashing\n', stderr: '' });
    expect(await kubectl('logs', 'web', '--previous')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (BadRequest): previous terminated container "nginx" in pod "web" not found\n' });
    expect((await kubectl('logs', 'steps', '--tail=1', '--timestamps')).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z three\n$/);
    expect(await kubectl('logs', 'steps', '-c', 'nope')).toEqual({ code: 1, stdout: '', stderr: 'error: container nope is not valid for pod steps\n' });
  });

  it('kubectl attach and kubectl run -it --rm', async () => {
    createPod(cluster, 'talker', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 3; echo hello; sleep 2; echo bye'] }] });
    cluster.clock.advance(2_000);
    expect(await kubectl('attach', 'talker')).toEqual({ code: 0, stdout: 'hello\nbye\n', stderr: "If you don't see a command prompt, try pressing enter.\n" });
    const res = await run(kubectlPath, ['run', '-i', '--rm', 'once', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'sleep 4; echo hello; exit 2']);
    expect(res).toEqual({ code: 2, stdout: 'hello\npod "once" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\npod default/once terminated (Error)\n" });
  });
});
