/**
 * `kubectl wait`: for each object, watch it until a condition holds (condition=Name[=value],
 * jsonpath=expr[=value], delete), or the shared --timeout passes; --for=create first waits for
 * the objects to exist. Prints `pod/x condition met` per object.
 */
import type { KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import { filenameFlags } from '../../cmdutil';
import type { Command } from '../types';
import { compileJsonPath, goValue, JsonPathError, type JsonPathProgram } from '../../printers';
import { aggregateError, collectInfos, nameLine, waitFor, watchObject, type Info } from './targets';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

type Check = (obj: Obj) => boolean;

/** The values a JSONPath finds in an object, with the printers' client-go dialect (as kubectl's wait). */
function jsonPathResults(program: JsonPathProgram, root: unknown): unknown[] {
  return program.find(root, { allowMissingKeys: true }).flat();
}

function splitJsonPathInput(input: string): string[] {
  const out: string[] = [];
  let element = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=') {
      if (input[i + 1] === '=') {
        element += '==';
        i++;
        continue;
      }
      out.push(element);
      element = '';
      continue;
    }
    element += input[i];
  }
  return [...out, element];
}

interface Condition {
  kind: 'delete' | 'create' | 'check';
  check?: (obj: Obj) => boolean | string;
}

function conditionFor(cond: string): Condition {
  const lower = cond.toLowerCase();
  if (lower === 'delete') return { kind: 'delete' };
  if (lower === 'create') return { kind: 'create' };
  if (cond.startsWith('condition=')) {
    let name = cond.slice('condition='.length);
    let value = 'true';
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    return {
      kind: 'check',
      check: (obj) => {
        for (const c of (obj.status?.conditions ?? []) as Obj[]) {
          if (typeof c.type !== 'string' || c.type.toLowerCase() !== name.toLowerCase() || typeof c.status !== 'string') continue;
          const generation = obj.metadata?.generation;
          const observed = c.observedGeneration ?? obj.status?.observedGeneration;
          if (generation !== undefined && observed !== undefined && observed < generation) return false;
          return c.status.toLowerCase() === value.toLowerCase();
        }
        return false;
      },
    };
  }
  if (cond.startsWith('jsonpath=')) {
    const parts = splitJsonPathInput(cond.slice('jsonpath='.length));
    if (parts.length < 1 || parts.length > 2)
      throw new CommandError("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'");
    let expr = parts[0]!.trim().replace(/^'|'$/g, '');
    if (!expr) throw new CommandError('error: jsonpath expression cannot be empty');
    if (!expr.startsWith('{')) expr = `{${expr.startsWith('.') ? '' : '.'}${expr}}`;
    const value = parts.length === 2 ? parts[1]!.replace(/^['"]+|['"]+$/g, '') : undefined;
    if (value === '') throw new CommandError("error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3");
    let program: JsonPathProgram;
    try {
      program = compileJsonPath(expr);
    } catch (err) {
      if (err instanceof JsonPathError) throw new CommandError(`error: ${err.message}`);
      throw err;
    }
    return {
      kind: 'check',
      check: (obj) => {
        const results = jsonPathResults(program, obj);
        if (results.length === 0) return false;
        if (results.length > 1) return 'given jsonpath expression matches more than one value';
        if (value === undefined) return true;
        return goValue(results[0]) === value;
      },
    };
  }
  throw new CommandError(`error: unrecognized condition: ${JSON.stringify(cond)}`);
}

async function runWait(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const forValue = args.flags.get('for') as string;
  const timeoutText = args.flags.get('timeout') as string;
  let timeoutMs = parseGoDuration(timeoutText) ?? 30_000;
  if (timeoutMs < 0) timeoutMs = 168 * 3_600_000;
  if (!forValue) throw new CommandError('error: unrecognized condition: []');
  const condition = conditionFor(forValue);
  const started = ctx.clock?.now() ?? 0;
  const remaining = () => Math.max(0, timeoutMs - ((ctx.clock?.now() ?? 0) - started));
  const options = {
    selector: args.flags.get('selector') as string,
    all: args.flags.get('all') as boolean,
    allNamespaces: args.flags.get('all-namespaces') as boolean,
    allowEmptySelector: false,
    continueOnError: condition.kind === 'delete',
  };
  if (condition.kind === 'create') {
    // Poll every 500 ms until the objects exist.
    for (;;) {
      const found = await collectInfos(args, ctx, args.positional, { ...options, continueOnError: true });
      if (found.infos.length > 0 && found.errors.length === 0) break;
      if (found.errors.some((e) => !e.includes('(NotFound)'))) throw new CommandError(found.errors.find((e) => !e.includes('(NotFound)'))!);
      if (remaining() <= 0) throw new CommandError('error: timed out waiting for the condition');
      await waitFor(ctx, () => false, Math.min(500, remaining()));
    }
    const { infos } = await collectInfos(args, ctx, args.positional, options);
    for (const info of infos) ctx.stdout(nameLine(info, 'condition met'));
    return 0;
  }
  const { infos } = await collectInfos(args, ctx, args.positional, options);
  if (infos.length === 0) {
    if (condition.kind === 'delete') return 0;
    throw new CommandError('error: no matching resources found');
  }
  // Every object is waited for (the time left is shared); failures are reported together.
  const errors: string[] = [];
  for (const info of infos) {
    try {
      await waitOne(ctx, info, condition, timeoutMs, remaining);
    } catch (err) {
      if (!(err instanceof CommandError) || err.exitCode !== 1) throw err;
      errors.push(err.message.replace(/^error: /, ''));
    }
  }
  if (errors.length > 0) throw aggregateError(errors);
  return 0;
}

async function waitOne(ctx: KubectlContext, info: Info, condition: Condition, timeoutMs: number, remaining: () => number): Promise<void> {
  const objectName = `${info.resource.name}/${info.name}`;
  const timedOut = () => new CommandError(`error: timed out waiting for the condition on ${objectName}`);
  const uid = info.object.metadata.uid;
  let met = false;
  let failure: string | undefined;
  let latest: Obj = info.object as Obj;
  const check: Check =
    condition.kind === 'delete'
      ? () => false
      : (obj) => {
          const r = condition.check!(obj);
          if (typeof r === 'string') {
            failure = r;
            return false;
          }
          return r;
        };
  if (timeoutMs === 0) {
    if (condition.kind === 'delete') throw new CommandError(`error: condition not met for ${objectName}`);
    if (check(info.object as Obj)) return void ctx.stdout(nameLine(info, 'condition met'));
    if (failure) throw new CommandError(`error: ${failure}`);
    throw new CommandError(`error: condition not met for ${objectName}`);
  }
  if (remaining() <= 0) throw timedOut();
  let sawObject = false;
  const stop = await watchObject(ctx, info.resource, info.namespace, info.name, (e) => {
    const obj = e.object as KubeObject;
    if (e.type === 'ADDED') sawObject = true;
    if (condition.kind === 'delete') {
      if (e.type === 'DELETED' || (obj?.metadata?.uid && obj.metadata.uid !== uid)) met = true;
      return;
    }
    if (e.type === 'ADDED' || e.type === 'MODIFIED') {
      latest = obj as Obj;
      if (check(latest)) met = true;
    }
  });
  if (condition.kind === 'delete' && !sawObject) met = true;
  try {
    const result = await waitFor(ctx, () => met || failure !== undefined, remaining());
    if (result === 'interrupted') throw new CommandError('', 130);
    if (failure) throw new CommandError(`error: ${failure}`);
    if (!met) throw timedOut();
  } finally {
    stop();
  }
  ctx.stdout(nameLine(info, 'condition met'));
}

export function waitCommand(): Command {
  return {
    name: 'wait',
    short: 'Experimental: Wait for a specific condition on one or many resources',
    long: `Experimental: wait until one or many resources reach a condition.

 The command takes several resources and waits until the condition given by --for holds on each (its status.conditions entry, or a JSONPath value), prints "condition met" for each, and fails when --timeout passes first; --for=delete waits for the objects to go, --for=create for them to exist.

 A negative --timeout waits up to a week; --timeout=0 checks once without waiting.`,
    example: `  # Until pod busybox1 has condition Ready=True
  kubectl wait --for=condition=Ready pod/busybox1
  
  # The same, naming the condition's value (compared without regard to case)
  kubectl wait --for=condition=Ready=false pod/busybox1
  
  # Wait until a pod's phase is Running
  kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1
  
  # Wait until a deployment's pods are ready
  kubectl wait --for=condition=Available deployment/web
  
  # Wait for the pod to be deleted, for up to 60 seconds
  kubectl delete pod/busybox1
  kubectl wait --for=delete pod/busybox1 --timeout=60s`,
    use: 'wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath=\'{}\'[=value]]',
    flags: [
      { name: 'all', type: 'bool', default: false, usage: 'Select all resources in the namespace of the specified resource types' },
      { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
      { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.' },
      { name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
      ...filenameFlags('identifying the resource.').filter((f) => f.name !== 'kustomize'),
      { name: 'for', type: 'string', default: '', usage: "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity." },
      { name: 'local', type: 'bool', default: false, usage: 'If true, annotation will NOT contact api-server but run locally.' },
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
      { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
      { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
      { name: 'template', type: 'string', default: '', usage: 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].' },
      { name: 'timeout', type: 'duration', default: '30s', usage: "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week." },
    ],
    run: runWait,
  };
}
