/**
 * Reading `-f` sources as kubectl's resource builder does: files, directories (only .json, .yaml
 * and .yml files inside; -R to descend), `-` for standard input; multi-document YAML, JSON, and
 * List objects flattened into their items.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../sim';
import { CommandError, FileAccessError, type KubectlContext } from '../context';

export interface Manifest {
  object: KubeObject;
  /** The file it came from as the user named it (`STDIN` for `-`). */
  source: string;
}

const EXTENSIONS = ['.json', '.yaml', '.yml'];

/** Every object in the named sources, in order. */
export function readManifests(ctx: KubectlContext, filenames: readonly string[], recursive: boolean): Manifest[] {
  const out: Manifest[] = [];
  for (const name of filenames) {
    if (name === '-') {
      out.push(...parseManifests(ctx.stdin ?? '', 'STDIN'));
      continue;
    }
    if (/^https?:\/\//.test(name)) throw new CommandError(`error: unable to read URL "${name}", server reported 0 , status code=0 (Kubelab is offline)`);
    const files = ctx.files;
    const kind = files?.stat(name);
    if (!files || kind === undefined) throw new CommandError(`error: the path "${name}" does not exist`);
    if (kind === 'file') {
      out.push(...parseManifests(readText(ctx, name), name));
      continue;
    }
    const found = listManifestFiles(ctx, name, recursive);
    if (found.length === 0) throw new CommandError(`error: error reading [${name}]: recognized file extensions are [${EXTENSIONS.join(' ')}]`);
    for (const f of found) out.push(...parseManifests(readText(ctx, f), f));
  }
  return out;
}

function readText(ctx: KubectlContext, path: string): string {
  try {
    return ctx.files!.read(path);
  } catch (err) {
    if (err instanceof FileAccessError) throw new CommandError(`error: the path "${path}" does not exist`);
    throw err;
  }
}

function listManifestFiles(ctx: KubectlContext, dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const entry of ctx.files!.list(dir)) {
    const path = `${dir.replace(/\/$/, '')}/${entry}`;
    const kind = ctx.files!.stat(path);
    if (kind === 'dir') {
      if (recursive) out.push(...listManifestFiles(ctx, path, recursive));
    } else if (EXTENSIONS.some((e) => entry.endsWith(e))) out.push(path);
  }
  return out;
}

/** Objects in one YAML or JSON stream; empty documents are skipped, Lists are flattened. */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new CommandError(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${reason.charAt(0).toLowerCase()}${reason.slice(1)}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      throw new CommandError(`error: error parsing ${source}: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'number'} into Go value of type map[string]interface {}`);
    out.push(...flatten(value as KubeObject, source));
  }
  return out;
}

function flatten(object: KubeObject, source: string): Manifest[] {
  const missing = [!object.apiVersion ? 'apiVersion not set' : '', !object.kind ? 'kind not set' : ''].filter(Boolean);
  if (missing.length)
    throw new CommandError(
      `error: error validating "${source}": error validating data: ${missing.length > 1 ? `[${missing.join(', ')}]` : missing[0]}; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
  if (object.kind === 'List' || (object.kind.endsWith('List') && Array.isArray(object.items)))
    return ((object.items as KubeObject[] | undefined) ?? []).flatMap((item) => flatten(item, source));
  return [{ object, source }];
}
