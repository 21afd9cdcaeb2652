import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster, type ApiRequest, type Cluster } from '../../sim';
import { aggregatedDiscoveryResponse } from './discovery';
import { openApiResponse, openApiV2, openApiV2Protobuf, openApiV3, openApiV3Index, parseAccept } from './openapi';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = join(__dirname, '../../..');
const swagger = join(root, '../shared/openapi/swagger-v1.32.json');
const none = new URLSearchParams();

const CRONTAB_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'CronTab runs a command on a schedule.',
            properties: {
              spec: {
                type: 'object',
                description: 'The desired schedule.',
                required: ['cronSpec'],
                properties: {
                  cronSpec: { type: 'string', description: 'The cron schedule.' },
                  replicas: { type: 'integer', minimum: 1 },
                  port: { 'x-kubernetes-int-or-string': true },
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                  note: { type: 'string', nullable: true },
                },
              },
              status: { type: 'object', properties: { replicas: { type: 'integer' } } },
            },
          },
        },
      },
    ],
  },
};

function withCrd(): Cluster {
  const cluster = createCluster();
  const res = cluster.api.handle({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: CRONTAB_CRD });
  expect(res.status).toBe(201);
  return cluster;
}

/** The fields of a protobuf message: number → raw values (varints as numbers, length-delimited as buffers). */
function protoFields(buf: Buffer): Map<number, (number | Buffer)[]> {
  const out = new Map<number, (number | Buffer)[]>();
  let i = 0;
  const varint = () => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++]!;
      n += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return n;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    let value: number | Buffer;
    switch (tag % 8) {
      case 0:
        value = varint();
        break;
      case 1:
        value = buf.subarray(i, i + 8);
        i += 8;
        break;
      case 2: {
        const len = varint();
        value = buf.subarray(i, i + len);
        i += len;
        break;
      }
      default:
        throw new Error(`wire type ${tag % 8}`);
    }
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

describe('OpenAPI documents', () => {
  const cluster = createCluster();

  it.skipIf(!existsSync(swagger))('are what the upstream document gives (bin/generate-openapi.mjs --check)', () => {
    const result = spawnSync(process.execPath, [join(root, 'bin/generate-openapi.mjs'), '--check', swagger], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('serve v2 with the group-versions a kubeadm cluster serves', () => {
    const v2 = openApiV2(cluster.api);
    expect(v2.swagger).toBe('2.0');
    expect(v2.info).toEqual({ title: 'Kubernetes', version: 'v1.32.4' });
    expect(v2.securityDefinitions).toEqual({ BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } });
    const paths = Object.keys(v2.paths);
    expect(paths).toContain('/apis/apps/v1/namespaces/{namespace}/deployments');
    expect(paths).toContain('/apis/apps/');
    expect(paths).toContain('/version/');
    // Alpha and beta APIs are off.
    expect(paths.some((p) => p.startsWith('/apis/resource.k8s.io/'))).toBe(false);
    expect(paths.some((p) => /^\/apis\/[^/]+\/v\d+(alpha|beta)\d+\//.test(p))).toBe(false);
    const post = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].post;
    expect(post['x-kubernetes-action']).toBe('post');
    expect(post['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(v2.definitions['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    // Every reference resolves.
    for (const m of JSON.stringify(v2).matchAll(/"#\/definitions\/([^"]+)"/g)) expect(v2.definitions[m[1]!], m[1]).toBeDefined();
    for (const m of JSON.stringify(v2).matchAll(/"#\/parameters\/([^"]+)"/g)) expect(v2.parameters[m[1]!], m[1]).toBeDefined();
  });

  it('index v3 by group-version with the hash of each document', () => {
    const index = openApiV3Index(cluster.api);
    const keys = Object.keys(index.paths);
    expect(keys).toEqual([...keys].sort());
    for (const k of ['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1', 'apis/autoscaling/v2', 'apis/batch/v1', 'version', 'logs', '.well-known/openid-configuration', 'openid/v1/jwks']) {
      expect(keys).toContain(k);
    }
    expect(keys.some((k) => /(alpha|beta)\d+$/.test(k))).toBe(false);
    expect(index.paths['apis/apps/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('give each v3 document its paths and the schemas they use, converted as builder3 does', () => {
    const doc = openApiV3(cluster.api, 'apis/apps/v1')!;
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.info).toEqual({ title: 'Kubernetes', version: 'v1.32.4' });
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/apis/apps/v1/'))).toBe(true);
    expect(doc.components.securitySchemes).toEqual({ BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } });
    const schemas = doc.components.schemas as Record<string, Obj>;
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec']!.properties.strategy).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
      description: 'The deployment strategy to use to replace existing pods with new ones.',
      'x-kubernetes-patch-strategy': 'retainKeys',
    });
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!.type).toBeUndefined();
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    expect(schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined();
    expect(schemas['io.k8s.api.batch.v1.JobSpec']).toBeUndefined();
    for (const m of JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) expect(schemas[m[1]!], m[1]).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('#/definitions/');

    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.parameters.map((p: Obj) => p.name)).toEqual(['name', 'namespace', 'pretty']);
    expect(item.parameters[0]).toEqual({ description: 'name of the Deployment', in: 'path', name: 'name', required: true, schema: { type: 'string', uniqueItems: true } });
    expect(item.patch['x-kubernetes-action']).toBe('patch');
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(item.patch.parameters.map((p: Obj) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(Object.keys(item.patch.requestBody.content)).toEqual([
      'application/apply-patch+cbor',
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    expect(item.patch.requestBody.required).toBe(true);
    expect(item.patch.requestBody.content['application/json-patch+json']).toEqual({ schema: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } });
    expect(item.get.responses['200'].content['application/json']).toEqual({ schema: { $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' } });
    expect(item.get.responses['401']).toEqual({ description: 'Unauthorized' });
    expect(item.get.consumes).toBeUndefined();
  });

  it('add custom resources to v3 as the CRD OpenAPI builder does', () => {
    const c = withCrd();
    expect(Object.keys(openApiV3Index(c.api).paths)).toContain('apis/stable.example.com/v1');
    const doc = openApiV3(c.api, 'apis/stable.example.com/v1')!;
    const schemas = doc.components.schemas as Record<string, Obj>;
    const crontab = schemas['com.example.stable.v1.CronTab']!;
    expect(crontab['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(crontab.description).toBe('CronTab runs a command on a schedule.');
    expect(crontab.properties.metadata).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
      description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    });
    expect(crontab.properties.apiVersion.type).toBe('string');
    expect(crontab.properties.spec.properties.port).toEqual({ anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
    expect(crontab.properties.spec.properties.mode.enum).toEqual(['fast', 'slow']);
    expect(crontab.properties.spec.properties.note.nullable).toBe(true);
    expect(schemas['com.example.stable.v1.CronTabList']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTabList', version: 'v1' }]);
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/apis/stable.example.com/v1/crontabs',
      '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs',
      '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}',
      '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale',
      '/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status',
    ]);
    const item = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'];
    expect(item.parameters.map((p: Obj) => p.name)).toEqual(['name', 'namespace', 'pretty']);
    expect(item.patch).toMatchObject({
      description: 'partially update the specified CronTab',
      operationId: 'patchStableExampleComV1NamespacedCronTab',
      tags: ['stableExampleCom_v1'],
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'stable.example.com', kind: 'CronTab', version: 'v1' },
    });
    // kubectl checks this parameter to leave validation to the server (fieldValidation=Strict).
    expect(item.patch.parameters.map((p: Obj) => p.name)).toContain('fieldValidation');
    expect(Object.keys(item.patch.requestBody.content)).toEqual(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
    const collection = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs'];
    expect(collection.delete.operationId).toBe('deleteStableExampleComV1CollectionNamespacedCronTab');
    expect(collection.post.description).toBe('create a CronTab');
    expect(collection.post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/com.example.stable.v1.CronTab' });
    expect(doc.paths['/apis/stable.example.com/v1/crontabs'].get.operationId).toBe('listStableExampleComV1CronTabForAllNamespaces');
    expect(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/io.k8s.api.autoscaling.v1.Scale',
    });
    for (const m of JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) expect(schemas[m[1]!], m[1]).toBeDefined();
  });

  it('add custom resources to v2, made v2-compatible', () => {
    const v2 = openApiV2(withCrd().api);
    const crontab = v2.definitions['com.example.stable.v1.CronTab'];
    expect(crontab.properties.metadata).toEqual({
      $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    });
    // No anyOf, and a nullable field loses its type.
    expect(crontab.properties.spec.properties.port).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(crontab.properties.spec.properties.note).toEqual({});
    expect(v2.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].get).toMatchObject({
      operationId: 'readStableExampleComV1NamespacedCronTab',
      produces: ['application/json', 'application/yaml'],
      schemes: ['https'],
      'x-kubernetes-action': 'get',
    });
  });
});

describe('serving OpenAPI', () => {
  const cluster = createCluster();

  it('answers only its own paths', () => {
    expect(openApiResponse(cluster.api, '/api/v1', none, undefined)).toBeUndefined();
    expect(openApiResponse(cluster.api, '/openapi', none, undefined)).toBeUndefined();
  });

  it('answers /openapi/v2 in JSON or in the protobuf kubectl asks for, and 406 otherwise', () => {
    const json = openApiResponse(cluster.api, '/openapi/v2', none, 'application/json')!;
    expect(json.status).toBe(200);
    expect(json.headers['Content-Type']).toBe('application/json');
    expect(json.headers.Etag).toMatch(/^"[0-9A-F]{128}"$/);
    expect(JSON.parse(json.body.toString()).swagger).toBe('2.0');

    const pb = openApiResponse(cluster.api, '/openapi/v2', none, 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf')!;
    expect(pb.status).toBe(200);
    expect(pb.headers['Content-Type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(pb.headers.Etag).toBe(json.headers.Etag);
    const doc = protoFields(pb.body as Buffer);
    expect(doc.get(1)!.map(String)).toEqual(['2.0']);
    const info = protoFields(doc.get(2)![0] as Buffer);
    expect(String(info.get(2)![0])).toBe('v1.32.4');
    const definitions = protoFields(doc.get(9)![0] as Buffer).get(1)!;
    expect(definitions).toHaveLength(Object.keys(openApiV2(cluster.api).definitions).length);

    expect(openApiResponse(cluster.api, '/openapi/v2', none, 'text/html')!.status).toBe(406);
    expect(openApiResponse(cluster.api, '/openapi/v2', none, 'application/json', { ifNoneMatch: json.headers.Etag })!.status).toBe(304);
    const gz = openApiResponse(cluster.api, '/openapi/v2', none, 'application/json', { acceptEncoding: 'gzip' })!;
    expect(gz.headers['Content-Encoding']).toBe('gzip');
    expect(gz.headers.Etag).toBe(`${json.headers.Etag!.slice(0, -1)}-gzip"`);
  });

  it('encodes a Deployment definition as gnostic does: type, properties and the GVK extension as YAML', () => {
    const w = openApiV2Protobuf({ swagger: '2.0', paths: {}, definitions: { D: { type: 'object', required: ['a'], properties: { a: { type: 'string' } }, 'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }] } } });
    const named = protoFields(protoFields(protoFields(w).get(9)![0] as Buffer).get(1)![0] as Buffer);
    expect(String(named.get(1)![0])).toBe('D');
    const schema = protoFields(named.get(2)![0] as Buffer);
    expect(String(schema.get(19)![0])).toBe('a');
    expect(String(protoFields(schema.get(22)![0] as Buffer).get(1)![0])).toBe('object');
    const ext = protoFields(schema.get(31)![0] as Buffer);
    expect(String(ext.get(1)![0])).toBe('x-kubernetes-group-version-kind');
    expect(String(protoFields(ext.get(2)![0] as Buffer).get(2)![0])).toBe('[{"group":"apps","kind":"Deployment","version":"v1"}]\n');
  });

  it('serves v3 documents by hash: current ones immutable, stale ones redirected', () => {
    const index = JSON.parse(openApiResponse(cluster.api, '/openapi/v3', none, 'application/json')!.body.toString()) as { paths: Record<string, { serverRelativeURL: string }> };
    const url = new URL(index.paths['api/v1']!.serverRelativeURL, 'https://x');
    const res = openApiResponse(cluster.api, url.pathname, url.searchParams, 'application/json')!;
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(res.headers['Cache-Control']).toBe('public, immutable');
    expect(res.headers.Etag).toBe(`"${url.searchParams.get('hash')}"`);
    expect(JSON.parse(res.body.toString()).paths['/api/v1/namespaces/{namespace}/pods'].post['x-kubernetes-action']).toBe('post');

    const stale = openApiResponse(cluster.api, '/openapi/v3/api/v1', new URLSearchParams('hash=ABC'), 'application/json')!;
    expect(stale.status).toBe(301);
    expect(stale.headers.Location).toBe(index.paths['api/v1']!.serverRelativeURL);
    expect(openApiResponse(cluster.api, '/openapi/v3/api/v1', none, undefined)!.headers['Cache-Control']).toBe('no-cache, private');
    expect(openApiResponse(cluster.api, '/openapi/v3/api/v1', none, 'application/json', { ifNoneMatch: res.headers.Etag })!.status).toBe(304);
    expect(openApiResponse(cluster.api, '/openapi/v3/apis/nope/v1', none, 'application/json')!.status).toBe(404);
    expect(openApiResponse(cluster.api, '/openapi/v3/api/v1', none, 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf')!.status).toBe(406);
  });

  it('changes the hash of a group-version when a CRD changes it', () => {
    const c = createCluster();
    const before = openApiV3Index(c.api).paths;
    expect(before['apis/stable.example.com/v1']).toBeUndefined();
    c.api.handle({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: CRONTAB_CRD });
    const after = openApiV3Index(c.api).paths;
    expect(after['apis/stable.example.com/v1']).toBeDefined();
    expect(after['api/v1']).toEqual(before['api/v1']);
  });

  it('negotiates like goautoneg', () => {
    expect(parseAccept('application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf, */*;q=0.1').map((c) => c.subType)).toEqual([
      'com.github.proto-openapi.spec.v2@v1.0+protobuf',
      'json',
      '*',
    ]);
    expect(openApiResponse(cluster.api, '/openapi/v2', none, 'application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf')!.headers['Content-Type']).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
    expect(openApiResponse(cluster.api, '/openapi/v2', none, '*/*')!.headers['Content-Type']).toBe('application/json');
  });
});

// ---- the real kubectl against a throwaway server ---------------------------------------------------

const run = promisify(execFile);
const kubectlPath = (process.env.PATH ?? '').split(':').map((d) => join(d, 'kubectl')).find((p) => existsSync(p));
if (!kubectlPath) console.warn('openapi.test.ts: kubectl is not on PATH; the tests with the real kubectl are skipped');

describe.skipIf(!kubectlPath)('the real kubectl against OpenAPI and aggregated discovery', () => {
  const cluster = createCluster();
  let server: Server;
  let dir: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const accept = req.headers.accept;
      requests.push(`${req.method} ${url.pathname} ${accept ?? ''}`);
      const answer =
        openApiResponse(cluster.api, url.pathname, url.searchParams, accept, { ifNoneMatch: req.headers['if-none-match'] }) ??
        aggregatedDiscoveryResponse(cluster.api, url.pathname, accept);
      if (answer) {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      }
      const apiReq: ApiRequest = { method: (req.method ?? 'GET') as ApiRequest['method'], path: url.pathname, query: Object.fromEntries(url.searchParams) };
      if (accept?.includes('as=Table')) apiReq.as = 'Table';
      const r = cluster.api.handle(apiReq);
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(r.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dir = mkdtempSync(join(tmpdir(), 'kubelab-openapi-'));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(
      join(dir, 'kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster: {server: "http://127.0.0.1:${port}"}\nusers:\n- name: t\n  user: {}\ncontexts:\n- name: t\n  context: {cluster: t, user: t}\ncurrent-context: t\n`,
    );
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(kubectlPath!, [...args, `--kubeconfig=${join(dir, 'kubeconfig')}`, `--cache-dir=${join(dir, 'cache')}`], { encoding: 'utf8' });
    return stdout;
  };

  it('explains a field from the v3 document', async () => {
    // A real 1.32 cluster also prints "ENUM:" with Always, Never and OnFailure after the FIELD line, and
    // "Possible enum values" under the description: kube-apiserver publishes enums in v3 only, and the v2
    // document our v3 is derived from has none.
    expect(await kubectl('explain', 'pod.spec.restartPolicy')).toBe(
      [
        'KIND:       Pod',
        'VERSION:    v1',
        '',
        'FIELD: restartPolicy <string>',
        '',
        '',
        'DESCRIPTION:',
        '    Restart policy for all containers within the pod. One of Always, OnFailure,',
        '    Never. In some contexts, only a subset of those values may be permitted.',
        '    Default to Always. More info:',
        '    https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy',
        '    ',
        '',
        '',
      ].join('\n'),
    );
    expect(requests.some((r) => r.startsWith('GET /openapi/v3/api/v1 '))).toBe(true);
  });

  it('explains kinds, nested fields and other groups', async () => {
    const pods = await kubectl('explain', 'pods');
    expect(pods.startsWith('KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers that can run on a host.')).toBe(true);
    expect(pods).toContain('\nFIELDS:\n  apiVersion\t<string>\n');
    expect(pods).toContain('  spec\t<PodSpec>\n    Specification of the desired behavior of the pod.');
    const strategy = await kubectl('explain', 'deployment.spec.strategy');
    expect(strategy.startsWith('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n')).toBe(true);
    expect(strategy).toContain('  rollingUpdate\t<RollingUpdateDeployment>\n');
    const recursive = (await kubectl('explain', 'pods', '--recursive')).split('\n').slice(0, 14);
    expect(recursive.slice(8)).toEqual(['  apiVersion\t<string>', '  kind\t<string>', '  metadata\t<ObjectMeta>', '    annotations\t<map[string]string>', '    creationTimestamp\t<string>', '    deletionGracePeriodSeconds\t<integer>']);
    const job = await kubectl('explain', 'jobs.spec', '--api-version=batch/v1');
    expect(job.startsWith('GROUP:      batch\nKIND:       Job\nVERSION:    v1\n\nFIELD: spec <JobSpec>\n')).toBe(true);
    expect(job).toContain('  template\t<PodTemplateSpec> -required-\n');
    expect(await kubectl('explain', 'deploy.spec.strategy.rollingUpdate.maxSurge')).toContain('FIELD: maxSurge <IntOrString>\n');
  });

  it('explains from the v2 protobuf when asked to', async () => {
    const out = await kubectl('explain', 'deployments.spec.replicas', '--output=plaintext-openapiv2');
    expect(out.startsWith('KIND:     Deployment\nVERSION:  apps/v1\n\nFIELD:    replicas <integer>\n\nDESCRIPTION:\n')).toBe(true);
    expect(requests.some((r) => r === 'GET /openapi/v2 application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe(true);
  });

  it('lists api-resources from aggregated discovery', async () => {
    const lines = (await kubectl('api-resources')).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND',
      'bindings                                         v1                                true         Binding',
      'componentstatuses                   cs           v1                                false        ComponentStatus',
      'configmaps                          cm           v1                                true         ConfigMap',
      'endpoints                           ep           v1                                true         Endpoints',
    ]);
    expect(lines).toContain('deployments                         deploy       apps/v1                           true         Deployment');
    expect(requests).toContain('GET /apis application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json');
    // With aggregated discovery kubectl does not walk the group-versions.
    expect(requests.some((r) => r.startsWith('GET /apis/apps/v1 '))).toBe(false);
  });

  it('explains a custom resource once its CRD is created', async () => {
    expect(cluster.api.handle({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: CRONTAB_CRD }).status).toBe(201);
    const out = await kubectl('explain', 'crontabs.spec');
    expect(out).toBe(
      [
        'GROUP:      stable.example.com',
        'KIND:       CronTab',
        'VERSION:    v1',
        '',
        'FIELD: spec <Object>',
        '',
        '',
        'DESCRIPTION:',
        '    The desired schedule.',
        '    ',
        'FIELDS:',
        '  cronSpec\t<string> -required-',
        '    The cron schedule.',
        '',
        '  mode\t<string>',
        '  enum: fast, slow',
        '    <no description>',
        '',
        '  note\t<string>',
        '    <no description>',
        '',
        '  port\t<Object>',
        '    <no description>',
        '',
        '  replicas\t<integer>',
        '    <no description>',
        '',
        '',
        '',
      ].join('\n'),
    );
  });
});
