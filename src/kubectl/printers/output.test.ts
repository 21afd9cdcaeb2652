import { describe, expect, it } from 'vitest';
import type { KubectlContext } from '../context';
import { makePrinter, printObjects, type OutputOptions } from './output';

function ctx(): KubectlContext & { out: string } {
  const c = { out: '' } as KubectlContext & { out: string };
  Object.assign(c, { client: undefined, namespace: 'default', stdout: (t: string) => (c.out += t), stderr: () => {} });
  return c;
}

const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', managedFields: [{ manager: 'x' }] }, spec: { replicas: 2 } };
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
const opts = (format: string, more: Partial<OutputOptions> = {}): OutputOptions => ({
  format,
  template: '',
  showManagedFields: false,
  allowMissingTemplateKeys: true,
  formatGiven: format !== '',
  ...more,
});

describe('printObjects', () => {
  it('prints one object as itself and several as a List, without managedFields', () => {
    const c = ctx();
    printObjects(c, [deploy], opts('json'));
    expect(JSON.parse(c.out)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } });
    const d = ctx();
    printObjects(d, [deploy, pod], opts('yaml'));
    expect(d.out).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: apps\/v1\n/);
    expect(d.out).toMatch(/kind: List\nmetadata:\n  resourceVersion: ""\n$/);
  });

  it('separates YAML documents when objects print one by one', () => {
    const c = ctx();
    printObjects(c, [pod, pod], opts('yaml'), { list: 'never' });
    expect(c.out).toBe('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n');
  });

  it('names objects kind.group/name', () => {
    const c = ctx();
    printObjects(c, [deploy, pod], opts('name'));
    expect(c.out).toBe('deployment.apps/web\npod/p\n');
  });

  it('fails on formats the verb does not allow as kubectl does', () => {
    expect(() => makePrinter(ctx(), opts('xml'))).toThrow(
      'error: unable to match a printer suitable for the output format "xml", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml',
    );
    expect(() => makePrinter(ctx(), opts('jsonpath'))).toThrow('error: template format specified but no template given');
  });
});
