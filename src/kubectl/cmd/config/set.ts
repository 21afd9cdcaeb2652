/**
 * `kubectl config set` and `unset`: a dot-separated path through the kubeconfig's fields and
 * map keys (names may contain dots when such an entry exists), as kubectl's navigation steps.
 */
import { CommandError } from '../../context';
import type { Command } from '../types';
import { goList, modifyConfig } from './common';
import { base64, type ConfigModel } from './model';

type FieldKind = 'string' | 'bool' | 'bytes' | 'strings' | 'object';
const CLUSTER: Record<string, FieldKind> = {
  server: 'string', 'tls-server-name': 'string', 'insecure-skip-tls-verify': 'bool', 'certificate-authority': 'string',
  'certificate-authority-data': 'bytes', 'proxy-url': 'string', 'disable-compression': 'bool', extensions: 'object',
};
const USER: Record<string, FieldKind> = {
  'client-certificate': 'string', 'client-certificate-data': 'bytes', 'client-key': 'string', 'client-key-data': 'bytes', token: 'string',
  tokenFile: 'string', as: 'string', 'as-uid': 'string', 'as-groups': 'strings', 'as-user-extra': 'object', username: 'string', password: 'string',
  'auth-provider': 'object', exec: 'object', extensions: 'object',
};
const CONTEXT: Record<string, FieldKind> = { cluster: 'string', user: 'string', namespace: 'string', extensions: 'object' };
const MAPS = { clusters: ['api.Cluster', CLUSTER], users: ['api.AuthInfo', USER], contexts: ['api.Context', CONTEXT] } as const;

interface Target {
  apply(value: string | undefined, rawBytes: boolean): void;
}

function resolve(config: ConfigModel, property: string, unset: boolean): Target {
  const parts = property.split('.');
  const head = parts[0]!;
  if (head === 'current-context' && parts.length === 1)
    return { apply: (v) => void (config.currentContext = v ?? '') };
  if (head in MAPS && parts.length >= 2) {
    const key = head as keyof typeof MAPS;
    const map = config[key];
    const rest = parts.slice(1);
    // The longest existing name that the remaining path starts with, else the next segment.
    let nameLen = 1;
    for (let i = rest.length; i >= 1; i--) if (map.has(rest.slice(0, i).join('.'))) { nameLen = i; break; }
    const name = rest.slice(0, nameLen).join('.');
    const fields = rest.slice(nameLen);
    if (fields.length === 0) {
      if (!unset) throw new CommandError(`error: can't set a map to a value: map[]`);
      return { apply: () => void map.delete(name) };
    }
    const [typeName, table] = MAPS[key];
    const field = fields[0]!;
    const kind = (table as Record<string, FieldKind>)[field];
    if (!kind || (fields.length > 1 && kind !== 'object'))
      throw new CommandError(`error: unable to parse ${fields.join('.')} after [${head} ${name}] at ${typeName}`);
    return {
      apply(value, rawBytes) {
        const entry = { ...(map.get(name) ?? {}) };
        if (value === undefined) delete entry[field];
        else if (kind === 'bool') {
          if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False', 'T', 'F'].includes(value))
            throw new CommandError(`error: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
          entry[field] = ['true', '1', 't', 'TRUE', 'True', 'T'].includes(value);
        } else if (kind === 'bytes') entry[field] = rawBytes ? base64(value) : value;
        else if (kind === 'strings') entry[field] = value.split(',');
        else if (kind === 'object') throw new CommandError(`error: can't set a map to a value: map[]`);
        else entry[field] = value;
        map.set(name, entry);
      },
    };
  }
  if (head === 'preferences' && parts.length === 2 && parts[1] === 'colors')
    return {
      apply(value) {
        if (value === undefined) delete config.preferences.colors;
        else config.preferences.colors = value === 'true';
      },
    };
  throw new CommandError(`error: unable to parse ${property} after [] at api.Config`);
}

export function setCommand(): Command {
  return {
    name: 'set',
    short: 'Set an individual value in a kubeconfig file',
    long: `Change one value in the kubeconfig.

 PROPERTY_NAME is a path of field names and map keys joined by dots, such as clusters.NAME.server; a key therefore cannot contain a dot.

 PROPERTY_VALUE is the value to store. Fields holding bytes (certificate-authority-data and the like) take base64 text, or the bytes themselves with --set-raw-bytes.

 Setting a field that is a map adds to what is there instead of replacing it.`,
    example: `  # Give cluster my-cluster the server address https://1.2.3.4
  kubectl config set clusters.my-cluster.server https://1.2.3.4
  
  # Make context my-context use cluster my-cluster
  kubectl config set contexts.my-context.cluster my-cluster`,
    use: 'config set PROPERTY_NAME PROPERTY_VALUE',
    flags: [{ name: 'set-raw-bytes', type: 'string', default: 'false', noOptDefault: 'true', usage: 'When writing a []byte PROPERTY_VALUE, write the given string directly without base64 decoding.' }],
    async run(args, ctx) {
      if (args.positional.length !== 2) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const [property, value] = args.positional as [string, string];
      if (!property) throw new CommandError('error: you must specify a property');
      const raw = String(args.flags.get('set-raw-bytes')) === 'true';
      modifyConfig(args, ctx, (config) => resolve(config, property, false).apply(value, raw));
      ctx.stdout(`Property ${JSON.stringify(property)} set.\n`);
      return 0;
    },
  };
}

export function unsetCommand(): Command {
  return {
    name: 'unset',
    short: 'Unset an individual value in a kubeconfig file',
    long: `Remove one value from the kubeconfig.

 PROPERTY_NAME is a path of field names and map keys joined by dots, such as contexts.NAME.namespace; a key therefore cannot contain a dot.`,
    example: `  # Forget which context is current
  kubectl config unset current-context
  
  # Remove the namespace of context foo
  kubectl config unset contexts.foo.namespace`,
    use: 'config unset PROPERTY_NAME',
    flags: [],
    async run(args, ctx) {
      if (args.positional.length !== 1) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const property = args.positional[0]!;
      if (!property) throw new CommandError('error: you must specify a property');
      modifyConfig(args, ctx, (config) => resolve(config, property, true).apply(undefined, false));
      ctx.stdout(`Property ${JSON.stringify(property)} unset.\n`);
      return 0;
    },
  };
}
