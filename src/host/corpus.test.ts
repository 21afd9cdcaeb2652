/**
 * Every manifest of the kubernetes/examples corpus goes through create with server dry run and
 * strict field validation, as `kubectl create --dry-run=server -f` sends it. The outcomes (created,
 * or the server's message) are kept in a snapshot that was reviewed against a real 1.32 server's
 * behaviour; a change in any outcome fails the test.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { apiVersionOf, createCluster, type KubeObject } from '../sim';

const CORPUS = join(__dirname, '../../../shared/corpus/kubernetes-examples');

function manifests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...manifests(full));
    else if (/\.(ya?ml|json)$/.test(entry)) out.push(full);
  }
  return out;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!existsSync(CORPUS))('kubernetes/examples corpus', () => {
  it('is accepted, or refused with the real messages, by create --dry-run=server', () => {
    const cluster = createCluster({ seed: 1 });
    const { api } = cluster;
    const docs: { file: string; index: number; obj: Obj | undefined; error?: string }[] = [];
    for (const file of manifests(CORPUS)) {
      const rel = relative(CORPUS, file);
      const text = readFileSync(file, 'utf8');
      parseAllDocuments(text).forEach((doc, index) => {
        // kubectl refuses these before sending anything (for example duplicate keys: "already set in map").
        if (doc.errors.length) docs.push({ file: rel, index, obj: undefined, error: `YAML error (${doc.errors[0]!.code})` });
        else {
          const obj = doc.toJS() as Obj | null;
          if (obj && typeof obj === 'object') docs.push({ file: rel, index, obj });
        }
      });
    }
    // Namespaces the corpus uses exist, so each object is judged on its own merits; those the
    // corpus defines itself are left for it to create.
    const defined = new Set(docs.filter((d) => d.obj?.kind === 'Namespace').map((d) => d.obj!.metadata?.name));
    const namespaces = new Set(docs.map((d) => d.obj?.metadata?.namespace).filter((n): n is string => typeof n === 'string' && !defined.has(n)));
    for (const ns of namespaces) api.handle({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
    cluster.clock.advance(1);

    const outcomes: string[] = [];
    for (const d of docs) {
      const label = `${d.file}#${d.index}`;
      if (d.error) {
        outcomes.push(`${label}: ${d.error}`);
        continue;
      }
      const obj = d.obj!;
      const kind = String(obj.kind ?? '');
      const version = String(obj.apiVersion ?? '');
      if (!kind || !version) {
        outcomes.push(`${label}: ${!version ? 'apiVersion not set' : 'kind not set'}`);
        continue;
      }
      // kubectl maps the kind through discovery first, as its RESTMapper does.
      const type = api.registry.byKind(version, kind);
      if (!type) {
        outcomes.push(`${label}: no matches for kind "${kind}" in version "${version}"`);
        continue;
      }
      const ns = type.namespaced ? `/namespaces/${obj.metadata?.namespace ?? 'default'}` : '';
      const base = type.group ? `/apis/${apiVersionOf(type)}` : `/api/${type.version}`;
      const res = api.handle({
        method: 'POST',
        path: `${base}${ns}/${type.name}`,
        body: obj as KubeObject,
        // Namespaces are created for real so the objects that follow them have somewhere to go.
        query: kind === 'Namespace' ? { fieldValidation: 'Strict' } : { dryRun: 'All', fieldValidation: 'Strict' },
      });
      if (kind === 'Namespace') cluster.clock.advance(1);
      const how = kind === 'Namespace' ? 'created' : 'created (server dry run)';
      outcomes.push(res.status === 201 ? `${label}: ${kind.toLowerCase()}/${(res.body as Obj).metadata.name} ${how}` : `${label}: ${(res.body as Obj).message}`);
    }
    expect(outcomes.length).toBeGreaterThan(200);
    expect(outcomes.join('\n')).toMatchSnapshot();
  });
});
