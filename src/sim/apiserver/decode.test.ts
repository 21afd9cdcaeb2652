import { describe, expect, it } from 'vitest';
import { decodeObject, findDuplicateFields, QUANTITY_ERROR } from './decode';

const POD = 'io.k8s.api.core.v1.Pod';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

describe('decodeObject', () => {
  it('lists unknown fields with their JSON paths, as strict decoding reports them', () => {
    const r = decodeObject(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labelz: { a: 'b' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }, { name: 'd', imagee: 'busybox' }] },
      },
      POD,
    );
    expect(r.typeError).toBeUndefined();
    expect(r.unknownFields).toEqual(['metadata.labelz', 'spec.containers[1].imagee']);
    expect(r.pruned).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }, { name: 'd' }] } });
  });

  it("reports the first type mismatch in Go's words", () => {
    expect(decodeObject({ spec: { replicas: '3' } }, DEPLOYMENT).typeError).toBe(
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(decodeObject({ spec: { containers: { name: 'x' } } }, POD).typeError).toBe(
      'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
    );
    expect(decodeObject({ spec: { containers: [{ ports: [{ containerPort: '80' }] }] } }, POD).typeError).toBe(
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    expect(decodeObject({ metadata: { labels: { app: 1 } } }, POD).typeError).toBe(
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    );
    expect(decodeObject({ spec: { replicas: 1.5 } }, DEPLOYMENT).typeError).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  it('accepts int-or-string and checks quantities', () => {
    const svc = 'io.k8s.api.core.v1.Service';
    expect(decodeObject({ spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] } }, svc).typeError).toBeUndefined();
    expect(decodeObject({ spec: { containers: [{ name: 'a', resources: { limits: { cpu: '500m', memory: 128 } } }] } }, POD).typeError).toBeUndefined();
    expect(decodeObject({ spec: { containers: [{ name: 'a', resources: { limits: { memory: '1 Gi' } } }] } }, POD).typeError).toBe(QUANTITY_ERROR);
  });

  it('finds duplicate keys in the raw body', () => {
    expect(findDuplicateFields('{"a":1,"b":{"c":1,"c":2},"l":[{"x":1,"x":2}],"a":3}')).toEqual(['b.c', 'l[0].x', 'a']);
  });

  it('returns a fresh copy, as a JSON round trip of the known fields would', () => {
    const annotations = { a: 'b' };
    const raw = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: undefined, annotations, managedFields: [{ manager: 'm', fieldsV1: { 'f:data': {} } }] }, data: { k: 'v' } };
    const pruned = decodeObject(raw, 'io.k8s.api.core.v1.ConfigMap').pruned as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(pruned).toEqual(JSON.parse(JSON.stringify(raw)));
    expect(Object.keys(pruned.metadata)).toEqual(['name', 'annotations', 'managedFields']);
    expect(pruned.metadata.annotations).not.toBe(annotations);
    expect(pruned.metadata.managedFields[0].fieldsV1).not.toBe(raw.metadata.managedFields[0]!.fieldsV1);
  });

  it('checks the whole body but copies only the status for a status update', () => {
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labelz: 1, resourceVersion: '5' },
      spec: { containers: [{ name: 'c', imagee: 'x' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', extra: 1 }] },
    };
    const full = decodeObject(body, POD);
    const only = decodeObject(body, POD, undefined, 'status');
    expect(only.unknownFields).toEqual(full.unknownFields);
    expect(only.unknownFields).toEqual(['metadata.labelz', 'spec.containers[0].imagee', 'status.conditions[0].extra']);
    expect(only.pruned).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labelz: 1, resourceVersion: '5' }, status: (full.pruned as Record<string, unknown>).status });
    expect(decodeObject({ ...body, spec: { containers: 'x' } }, POD, undefined, 'status').typeError).toBe(decodeObject({ ...body, spec: { containers: 'x' } }, POD).typeError);
  });

  it('decodes a frozen part checked before the same way again', () => {
    const spec = Object.freeze({ containers: Object.freeze([Object.freeze({ name: 'c', image: 'nginx', ports: Object.freeze([Object.freeze({ containerPort: 80 })]) })]) });
    const first = decodeObject({ spec }, POD);
    const second = decodeObject({ spec, metadata: { name: 'x' } }, POD);
    expect((second.pruned as Record<string, unknown>).spec).toEqual((first.pruned as Record<string, unknown>).spec);
    expect((second.pruned as Record<string, unknown>).spec).not.toBe(spec);
    const bad = Object.freeze({ containers: Object.freeze([Object.freeze({ name: 'c', imagee: 'nginx' })]) });
    expect(decodeObject({ spec: bad }, POD).unknownFields).toEqual(['spec.containers[0].imagee']);
    expect(decodeObject({ spec: bad }, POD).unknownFields).toEqual(['spec.containers[0].imagee']);
  });
});
