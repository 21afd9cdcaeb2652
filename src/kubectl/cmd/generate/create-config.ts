/** `kubectl create configmap` and `kubectl create secret generic|docker-registry|tls`. */
import { CommandError, FileAccessError, type KubectlContext } from '../../context';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { base64, encodeHash, sha256Hex, sortedJson } from './encoding';
import { generatorFlags, KINDS, objectMeta, runGenerator, type Obj } from './shared';

const KEY_RE = /^[-._a-zA-Z0-9]+$/;

function keyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!KEY_RE.test(key)) errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function parseLiteral(source: string): [string, string] {
  const at = source.indexOf('=');
  if (at <= 0) throw new CommandError(`error: invalid literal source ${source}, expected key=value`);
  return [source.slice(0, at), source.slice(at + 1)];
}

function parseFileSource(source: string): [string, string] {
  const n = source.split('=').length - 1;
  if (n === 0) return [source.replace(/\/+$/, '').split('/').pop() || '/', source];
  if (n === 1 && source.startsWith('=')) throw new CommandError(`error: key name for file path ${source.slice(1)} missing`);
  if (n === 1 && source.endsWith('=')) throw new CommandError(`error: file path for key name ${source.slice(0, -1)} missing`);
  if (n > 1) throw new CommandError("error: key names or file paths cannot contain '='");
  const [k, p] = source.split('=') as [string, string];
  return [k, p];
}

function readFile(ctx: KubectlContext, path: string): string {
  try {
    return ctx.files!.read(path);
  } catch (err) {
    if (err instanceof FileAccessError) throw new CommandError(`error: error reading ${path}: no such file or directory`);
    throw err;
  }
}

/** --from-file sources as (key, content) pairs: files, key=file, and a directory's regular files. */
function fileSources(ctx: KubectlContext, sources: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const source of sources) {
    const [key, path] = parseFileSource(source);
    const kind = ctx.files?.stat(path);
    if (kind === undefined) throw new CommandError(`error: error reading ${path}: no such file or directory`);
    if (kind === 'dir') {
      if (source.includes('=')) throw new CommandError('error: cannot give a key name for a directory path');
      for (const entry of ctx.files!.list(path)) {
        const p = `${path.replace(/\/$/, '')}/${entry}`;
        if (ctx.files!.stat(p) === 'file') out.push([entry, readFile(ctx, p)]);
      }
    } else out.push([key, readFile(ctx, path)]);
  }
  return out;
}

/** KEY=VALUE lines of an --from-env-file, as kubectl reads them. */
function envFileSources(ctx: KubectlContext, paths: string[], what: 'config' | 'secret'): [string, string][] {
  const out: [string, string][] = [];
  for (const path of paths) {
    const kind = ctx.files?.stat(path);
    if (kind === undefined) throw new CommandError(`error: error reading ${path}: no such file or directory`);
    if (kind === 'dir') throw new CommandError(`error: env ${what} file cannot be a directory`);
    const lines = readFile(ctx, path).split('\n');
    lines.forEach((raw, i) => {
      let line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
      line = line.replace(/\r$/, '').replace(/^\s+/, '');
      if (!line || line.startsWith('#')) return;
      const at = line.indexOf('=');
      const key = at >= 0 ? line.slice(0, at) : line;
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key))
        throw new CommandError(
          `error: "${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
        );
      out.push([key, at >= 0 ? line.slice(at + 1) : (ctx.env?.get(key) ?? '')]);
    });
  }
  return out;
}

function sortKeys(o: Obj): Obj {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

const SOURCE_FLAGS = (what: string) => [
  { name: 'from-file', type: 'stringSlice' as const, default: [], usage: `Key file can be specified using its file path, in which case file basename will be used as ${what} key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid ${what} key.` },
  { name: 'from-literal', type: 'stringArray' as const, default: [], usage: `Specify a key and literal value to insert in ${what} (i.e. mykey=somevalue)` },
  { name: 'from-env-file', type: 'stringSlice' as const, default: [], usage: `Specify the path to a file to read lines of key=val pairs to create a ${what}.` },
  { name: 'append-hash', type: 'bool' as const, default: false, usage: `Append a hash of the ${what} to its name.` },
];

function gatherSources(args: ParsedArgs, ctx: KubectlContext, what: 'config' | 'secret'): { files: [string, string][]; literals: [string, string][]; env: [string, string][] } {
  const files = args.flags.get('from-file') as string[];
  const literals = args.flags.get('from-literal') as string[];
  const envFiles = args.flags.get('from-env-file') as string[];
  if (envFiles.length && (files.length || literals.length)) throw new CommandError('error: from-env-file cannot be combined with from-file or from-literal');
  return { files: fileSources(ctx, files), literals: literals.map(parseLiteral), env: envFileSources(ctx, envFiles, what) };
}

const configmap: Command = {
  name: 'configmap',
  aliases: ['cm'],
  short: 'Create a config map from a local file, directory or literal value',
  long: `Create a config map NAME holding key/value pairs taken from files, directories, literal values or env files.

 --from-file=FILE stores the whole file under its base name; write --from-file=KEY=FILE to choose the key (needed when the file name is not a valid key).

 --from-file=DIRECTORY stores every regular file of the directory whose name is a valid key; subdirectories, links and special files are skipped.

 --from-literal=KEY=VALUE stores one value, and --from-env-file reads KEY=VALUE lines.`,
  example: `  # One key per file of directory bar
  kubectl create configmap my-config --from-file=path/to/bar
  
  # Files stored under keys of your choosing
  kubectl create configmap my-config --from-file=key1=/path/to/bar/file1.txt --from-file=key2=/path/to/bar/file2.txt
  
  # Two literal values
  kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2
  
  # (a single file works too)
  kubectl create configmap my-config --from-file=path/to/bar
  
  # Keys and values from KEY=VALUE lines in env files
  kubectl create configmap my-config --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env`,
  use: 'create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  flags: [...generatorFlags(), ...SOURCE_FLAGS('configmap')],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create configmap', [], ({ name, metaNamespace }) => {
      const { files, literals, env } = gatherSources(args, ctx, 'config');
      const data: Obj = {};
      for (const [key, value] of [...files, ...literals, ...env]) {
        const errs = keyErrors(key);
        if (errs.length) throw new CommandError(`error: "${key}" is not a valid key name for a ConfigMap: ${errs.join(',')}`);
        if (key in data) throw new CommandError(`error: cannot add key "${key}", another key by that name already exists in Data for ConfigMap "${name}"`);
        data[key] = value;
      }
      const sorted = sortKeys(data);
      let finalName = name;
      if (args.flags.get('append-hash')) finalName = `${name}-${encodeHash(sha256Hex(sortedJson({ data: sorted, kind: 'ConfigMap', name })))}`;
      const object: Obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: objectMeta(finalName, metaNamespace) };
      if (Object.keys(sorted).length) object.data = sorted;
      return { kind: KINDS.configmap, errorPrefix: 'failed to create configmap: ', object };
    }),
};

function secretObject(name: string, ns: string, data: Obj, type: string, appendHash: boolean): Obj {
  const sorted = sortKeys(data);
  let finalName = name;
  if (appendHash) finalName = `${name}-${encodeHash(sha256Hex(sortedJson({ data: sorted, kind: 'Secret', name, type })))}`;
  const object: Obj = { kind: 'Secret', apiVersion: 'v1', metadata: objectMeta(finalName, ns) };
  if (Object.keys(sorted).length) object.data = sorted;
  if (type) object.type = type;
  return object;
}

function addSecretKey(data: Obj, key: string, value: string): void {
  const errs = keyErrors(key);
  if (errs.length) throw new CommandError(`error: "${key}" is not valid key name for a Secret ${errs.join(';')}`);
  if (key in data) throw new CommandError(`error: cannot add key ${key}, another key by that name already exists`);
  data[key] = base64(value);
}

const generic: Command = {
  name: 'generic',
  short: 'Create a secret from a local file, directory, or literal value',
  long: `Create a secret NAME (of type Opaque unless --type says otherwise) holding key/value pairs taken from files, directories, literal values or env files.

 --from-file=FILE stores the whole file under its base name; write --from-file=KEY=FILE to choose the key.

 --from-file=DIRECTORY stores every regular file of the directory whose name is a valid key; subdirectories, links and special files are skipped.

 --from-literal=KEY=VALUE stores one value, and --from-env-file reads KEY=VALUE lines. Values are base64-encoded in the object, not encrypted.`,
  example: `  # One key per file of directory bar
  kubectl create secret generic my-secret --from-file=path/to/bar
  
  # Files stored under keys of your choosing
  kubectl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-file=ssh-publickey=path/to/id_rsa.pub
  
  # Two literal values
  kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret
  
  # Keys and values from KEY=VALUE lines in env files
  kubectl create secret generic my-secret --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env`,
  use: 'create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]',
  flags: [...generatorFlags(), ...SOURCE_FLAGS('secret'), { name: 'type', type: 'string', default: '', usage: 'The type of secret to create' }],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create secret generic', [], ({ name, metaNamespace }) => {
      const { files, literals, env } = gatherSources(args, ctx, 'secret');
      const data: Obj = {};
      for (const [key, value] of [...files, ...literals, ...env]) addSecretKey(data, key, value);
      return { kind: KINDS.secret, errorPrefix: 'failed to create secret ', object: secretObject(name, metaNamespace, data, args.flags.get('type') as string, Boolean(args.flags.get('append-hash'))) };
    }),
};

const dockerRegistry: Command = {
  name: 'docker-registry',
  short: 'Create a secret for use with a Docker registry',
  long: `Create a secret of type kubernetes.io/dockerconfigjson, holding the login for a container image registry.

 Nodes need such a login to pull images from a private registry. Name the secret in a pod's imagePullSecrets, or add it to the service account the pods use.

 Give the server, user name, password and (optionally) email as flags, or take an existing Docker client config (~/.docker/config.json, written by "docker login") with --from-file.`,
  example: `  # A registry login from flags
  kubectl create secret docker-registry my-secret --docker-server=DOCKER_REGISTRY_SERVER --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL
  
  # Reuse the logins in a Docker config file
  kubectl create secret docker-registry my-secret --from-file=path/to/.docker/config.json`,
  use: 'create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none]',
  flags: [
    ...generatorFlags(),
    { name: 'docker-username', type: 'string', default: '', usage: 'Username for Docker registry authentication' },
    { name: 'docker-password', type: 'string', default: '', usage: 'Password for Docker registry authentication' },
    { name: 'docker-email', type: 'string', default: '', usage: 'Email for Docker registry' },
    { name: 'docker-server', type: 'string', default: 'https://index.docker.io/v1/', usage: 'Server location for Docker registry' },
    { name: 'append-hash', type: 'bool', default: false, usage: 'Append a hash of the secret to its name.' },
    { name: 'from-file', type: 'stringSlice', default: [], usage: 'Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson.' },
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create secret docker-registry', [], ({ name, metaNamespace }) => {
      const fromFile = (args.flags.get('from-file') as string[]).map((s) => (s.includes('=') ? s : `.dockerconfigjson=${s}`));
      const user = args.flags.get('docker-username') as string;
      const password = args.flags.get('docker-password') as string;
      const server = args.flags.get('docker-server') as string;
      const email = args.flags.get('docker-email') as string;
      if (fromFile.length === 0 && (!user || !password || !server))
        throw new CommandError('error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
      const data: Obj = {};
      if (fromFile.length) for (const [key, value] of fileSources(ctx, fromFile)) addSecretKey(data, key, value);
      else {
        const entry: Obj = { username: user, password };
        if (email) entry.email = email;
        entry.auth = base64(`${user}:${password}`);
        data['.dockerconfigjson'] = base64(JSON.stringify({ auths: { [server]: entry } }).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
      }
      return { kind: KINDS.secret, errorPrefix: 'failed to create secret ', object: secretObject(name, metaNamespace, data, 'kubernetes.io/dockerconfigjson', Boolean(args.flags.get('append-hash'))) };
    }),
};

const tls: Command = {
  name: 'tls',
  short: 'Create a TLS secret',
  long: `Create a secret of type kubernetes.io/tls from a certificate and its private key.

 Both must already exist as PEM files, and the key must belong to the certificate.`,
  example: `  # Secret tls-secret from tls.crt and tls.key
  kubectl create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key`,
  use: 'create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none]',
  flags: [
    ...generatorFlags(),
    { name: 'cert', type: 'string', default: '', usage: 'Path to PEM encoded public key certificate.' },
    { name: 'key', type: 'string', default: '', usage: 'Path to private key associated with given certificate.' },
    { name: 'append-hash', type: 'bool', default: false, usage: 'Append a hash of the secret to its name.' },
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create secret tls', [], ({ name, metaNamespace }) => {
      const certPath = args.flags.get('cert') as string;
      const keyPath = args.flags.get('key') as string;
      if (!certPath || !keyPath) throw new CommandError('error: key and cert must be specified');
      const read = (p: string) => {
        try {
          return ctx.files!.read(p);
        } catch {
          throw new CommandError(`error: Cannot read file ${p}, open ${p}: no such file or directory`);
        }
      };
      const cert = read(certPath);
      const key = read(keyPath);
      if (!/-----BEGIN CERTIFICATE-----/.test(cert)) throw new CommandError('error: tls: failed to find any PEM data in certificate input');
      if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new CommandError('error: tls: failed to find any PEM data in key input');
      return {
        kind: KINDS.secret,
        errorPrefix: 'failed to create secret ',
        object: secretObject(name, metaNamespace, { 'tls.crt': base64(cert), 'tls.key': base64(key) }, 'kubernetes.io/tls', Boolean(args.flags.get('append-hash'))),
      };
    }),
};

const secret: Command = {
  name: 'secret',
  short: 'Create a secret using a specified subcommand',
  long: 'Create a secret. The subcommand chooses the kind:\n\n docker-registry: a login for pulling images from a private registry.\n\n generic: any keys and values (type Opaque unless you say otherwise).\n\n tls: a certificate and its private key.',
  use: 'create secret (docker-registry | generic | tls) [options]',
  flags: [],
  subcommands: [dockerRegistry, generic, tls],
};

export const configGenerators: Command[] = [configmap, secret];
