import { describe, expect, it } from 'vitest';
import type { KubectlContext } from '../context';
import { makePrinter } from './output';
import { GET_FORMATS } from './output';

const list = {
  apiVersion: 'v1',
  kind: 'List',
  metadata: { resourceVersion: '' },
  items: [
    { kind: 'Pod', metadata: { name: 'a', labels: { app: 'web' } }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    { kind: 'Pod', metadata: { name: 'b' }, spec: { nodeName: 'node02', containers: [{ name: 'c', image: 'busybox' }, { name: 'd', image: 'redis' }] } },
  ],
};

const ctx = { stdout: () => {}, stderr: () => {}, namespace: 'default' } as unknown as KubectlContext;
const print = (format: string, allowMissing = true) =>
  makePrinter(ctx, { format, template: '', showManagedFields: false, allowMissingTemplateKeys: allowMissing, formatGiven: true }, GET_FORMATS)!.print([list], { list: 'never' });

describe('jsonpath (kubectl dialect)', () => {
  it('walks fields, wildcards, indexes, slices, filters and ranges', () => {
    expect(print('jsonpath={.items[*].spec.nodeName}')).toBe('node01 node02');
    expect(print('jsonpath={.items[-1:].metadata.name}')).toBe('b');
    expect(print('jsonpath={..image}')).toBe('nginx busybox redis');
    expect(print('jsonpath={.items[?(@.spec.nodeName=="node02")].metadata.name}')).toBe('b');
    expect(print('jsonpath={.items[?(@.metadata.labels.app)].metadata.name}')).toBe('a');
    expect(print('jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.nodeName}{"\\n"}{end}')).toBe('a\tnode01\nb\tnode02\n');
    expect(print('jsonpath={.items[0].metadata.labels}')).toBe('{"app":"web"}');
    expect(print("jsonpath={.items[*]['metadata.name']}")).toBe('a b');
    expect(print('jsonpath-as-json={.items[*].metadata.name}')).toBe('[\n    "a",\n    "b"\n]\n');
  });

  it('reports kubectl errors', () => {
    expect(() => print('jsonpath={.items')).toThrow('error: error parsing jsonpath {.items, unclosed action');
    expect(() => print('jsonpath={.items[5]}')).toThrow('array index out of bounds: index 5, length 2');
    expect(() => print('jsonpath={.nope}', false)).toThrow('Error executing template: nope is not found.');
  });
});

describe('custom-columns', () => {
  it('joins several values with commas and shows <none> for nothing', () => {
    expect(print('custom-columns=NAME:.metadata.name,APP:.metadata.labels.app,IMAGES:.spec.containers[*].image')).toBe(
      'NAME   APP      IMAGES\na      web      nginx\nb      <none>   busybox,redis\n',
    );
    expect(() => print('custom-columns=NAME')).toThrow('error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>');
  });
});

describe('go-template', () => {
  it('ranges, conditions, index, len and printf', () => {
    expect(print('go-template={{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}')).toBe('a\nb\n');
    expect(print('go-template={{len .items}}')).toBe('2');
    expect(print('go-template={{range $i, $p := .items}}{{$i}}={{$p.metadata.name}} {{end}}')).toBe('0=a 1=b ');
    expect(print('go-template={{range .items}}{{if eq .spec.nodeName "node01"}}one{{else if eq .spec.nodeName "node02"}}two{{end}}{{end}}')).toBe('onetwo');
    expect(print('go-template={{index (index .items 0).metadata.labels "app"}}')).toBe('web');
    expect(print('go-template={{.missing}}')).toBe('<no value>');
    expect(print('go-template={{range .items}}{{printf "%-3s|" .metadata.name}}{{end}}')).toBe('a  |b  |');
    expect(print('go-template={{(index .items 0).spec.containers}}')).toBe('[map[image:nginx name:c ports:[map[containerPort:80]]]]');
  });
});
