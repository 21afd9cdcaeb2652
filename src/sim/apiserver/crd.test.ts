import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import type { Table } from './types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CRONTAB_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                  image: { type: 'string' },
                  replicas: { type: 'integer', minimum: 1, maximum: 10 },
                },
              },
            },
          },
        },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
        ],
      },
    ],
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] },
  },
};

const CT = '/apis/stable.example.com/v1/namespaces/default/crontabs';
const crontab = (name: string, spec: object) => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name }, spec });

function setup() {
  const cluster = createCluster();
  const call = cluster.api.handle.bind(cluster.api);
  const created = call({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: CRONTAB_CRD });
  return { cluster, call, created };
}

describe('CustomResourceDefinitions', () => {
  it('establishes a CRD and serves its resource in discovery', () => {
    const { call, created } = setup();
    expect(created.status).toBe(201);
    expect((created.body as Obj).status.conditions.map((c: Obj) => `${c.type}=${c.status}`)).toEqual(['NamesAccepted=True', 'Established=True']);
    const groups = (call({ method: 'GET', path: '/apis' }).body as Obj).groups.map((g: Obj) => g.name);
    expect(groups).toContain('stable.example.com');
    const resources = (call({ method: 'GET', path: '/apis/stable.example.com/v1' }).body as Obj).resources;
    expect(resources).toEqual([
      { name: 'crontabs', singularName: 'crontab', namespaced: true, kind: 'CronTab', verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], shortNames: ['ct'] },
    ]);
  });

  it('validates custom resources against the schema with apiextensions messages', () => {
    const { call } = setup();
    expect(call({ method: 'POST', path: CT, body: crontab('ok', { cronSpec: '* * * * */5', image: 'my-cron-image', replicas: 2 }) }).status).toBe(201);
    const bad = call({ method: 'POST', path: CT, body: crontab('bad', { cronSpec: '* * * *', image: 1, replicas: 15 }) });
    expect(bad.status).toBe(422);
    expect((bad.body as Obj).message).toBe(
      'CronTab.stable.example.com "bad" is invalid: [spec.cronSpec: Invalid value: "* * * *": spec.cronSpec in body should match \'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$\', spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer", spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10]',
    );
  });

  it('prunes unknown fields, or rejects them in strict mode', () => {
    const { call } = setup();
    const lenient = call({ method: 'POST', path: CT, body: crontab('a', { image: 'x', colour: 'red' }) });
    expect((lenient.body as Obj).spec).toEqual({ image: 'x' });
    const strict = call({ method: 'POST', path: CT, body: crontab('b', { image: 'x', colour: 'red' }), query: { fieldValidation: 'Strict' } });
    expect((strict.body as Obj).message).toBe('CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.colour"');
  });

  it('prints the additional printer columns and AGE', () => {
    const { call } = setup();
    call({ method: 'POST', path: CT, body: crontab('ok', { cronSpec: '*/1 * * * *', replicas: 3 }) });
    const table = call({ method: 'GET', path: CT, as: 'Table' }).body as Table;
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Spec', 'Replicas', 'Age']);
    expect(table.rows[0]!.cells).toEqual(['ok', '*/1 * * * *', 3, '0s']);
  });

  it('removes the resources with their CRD', () => {
    const { call } = setup();
    call({ method: 'POST', path: CT, body: crontab('ok', { image: 'x' }) });
    expect(call({ method: 'DELETE', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com' }).status).toBe(200);
    expect(call({ method: 'GET', path: CT }).status).toBe(404);
  });

  it('refuses a CRD whose name does not match its names and group', () => {
    const { call } = setup();
    const res = call({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: { ...CRONTAB_CRD, metadata: { name: 'crontab.stable.example.com' } } });
    expect((res.body as Obj).message).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "crontab.stable.example.com" is invalid: metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group',
    );
  });
});
