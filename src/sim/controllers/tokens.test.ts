import { afterEach, describe, expect, it } from 'vitest';
import { base64Decode } from '../bytes';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const SECRETS = '/api/v1/namespaces/default/secrets';
const tokenSecret = (name: string, account: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, annotations: { 'kubernetes.io/service-account.name': account } },
  type: 'kubernetes.io/service-account-token',
});

describe('tokens controller', () => {
  it('fills a long-lived token Secret for its ServiceAccount', () => {
    h = harness();
    const sa = h.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'build-robot' } });
    h.create(tokenSecret('build-robot-secret', 'build-robot'));
    h.advance(0);
    const secret = h.get(`${SECRETS}/build-robot-secret`)!;
    expect(secret.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'build-robot', 'kubernetes.io/service-account.uid': sa.metadata.uid });
    expect(Object.keys(secret.data).sort()).toEqual(['ca.crt', 'namespace', 'token']);
    expect(base64Decode(secret.data.namespace)).toBe('default');
    expect(base64Decode(secret.data['ca.crt'])).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const [header, claims, signature] = base64Decode(secret.data.token).split('.');
    expect(JSON.parse(base64Decode(header!))).toEqual({ alg: 'RS256', kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect(JSON.parse(base64Decode(claims!))).toEqual({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'build-robot-secret',
      'kubernetes.io/serviceaccount/service-account.name': 'build-robot',
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: 'system:serviceaccount:default:build-robot',
    });
    expect(signature).toMatch(/^[\w-]{342}$/);
  });

  it('deletes a token Secret whose ServiceAccount is missing, and the tokens of a deleted ServiceAccount', () => {
    h = harness();
    h.create(tokenSecret('orphan-token', 'nobody'));
    h.advance(0);
    expect(h.get(`${SECRETS}/orphan-token`)).toBeUndefined();
    h.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci' } });
    h.create(tokenSecret('ci-token', 'ci'));
    h.advance(0);
    expect(h.get(`${SECRETS}/ci-token`)!.data.token).toBeDefined();
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/default/serviceaccounts/ci' });
    h.advance(0);
    expect(h.get(`${SECRETS}/ci-token`)).toBeUndefined();
  });

  it('leaves other Secrets alone', () => {
    h = harness();
    h.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain', annotations: { 'kubernetes.io/service-account.name': 'nobody' } }, stringData: { a: 'b' } });
    h.advance(0);
    expect(h.get(`${SECRETS}/plain`)!.data).toEqual({ a: 'Yg==' });
  });
});

describe('TokenRequest (kubectl create token)', () => {
  const request = (spec: Obj = {}) =>
    h.cluster.api.handle({
      method: 'POST',
      path: '/api/v1/namespaces/default/serviceaccounts/default/token',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { creationTimestamp: null }, spec: { audiences: null, boundObjectRef: null, expirationSeconds: null, ...spec } },
    });

  it('issues an hour-long token for the API server audience', () => {
    h = harness();
    const res = request();
    expect(res.status).toBe(201);
    const body = res.body as Obj;
    expect(body).toMatchObject({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'default', namespace: 'default', creationTimestamp: null },
      spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, boundObjectRef: null },
    });
    const claims = JSON.parse(base64Decode(body.status.token.split('.')[1]));
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims).toMatchObject({ aud: ['https://kubernetes.default.svc.cluster.local'], iss: 'https://kubernetes.default.svc.cluster.local', sub: 'system:serviceaccount:default:default', 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default' } } });
    expect(Date.parse(body.status.expirationTimestamp) / 1000).toBe(claims.exp);
  });

  it('refuses durations under ten minutes and unknown service accounts', () => {
    h = harness();
    expect(request({ expirationSeconds: 300 }).body).toMatchObject({
      code: 422,
      message: 'TokenRequest.authentication.k8s.io "default" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes',
    });
    const missing = h.cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/nobody/token', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
    expect(missing.body).toMatchObject({ code: 404, message: 'serviceaccounts "nobody" not found' });
  });
});
