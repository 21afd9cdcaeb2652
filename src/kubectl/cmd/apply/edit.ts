/**
 * `kubectl edit`: the objects as YAML (or JSON) in a temporary file under kubectl's comment
 * header, opened in the editor the context provides; the saved result is sent as a patch from
 * the original. Invalid edits reopen the file with the errors on top, as kubectl does.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath } from '../../discovery';
import type { ParsedArgs } from '../../flags';
import { toJson, toYaml } from '../../printers';
import type { Target } from '../../resource';
import type { Command } from '../types';
import { collectTargets, requestError, targetFlags, targetOptions, withoutManagedFields } from './common';
import { goJson, twoWayPatch } from './threeway';

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}

function parseEdited(text: string): KubeObject {
  const docs = parseAllDocuments(text, { version: '1.1' });
  const doc = Array.isArray(docs) ? docs[0] : docs;
  const error = doc?.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new Error(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${reason.charAt(0).toLowerCase()}${reason.slice(1)}`);
  }
  return (doc?.toJS() ?? {}) as KubeObject;
}

async function editOne(ctx: KubectlContext, t: Target, object: KubeObject, format: string, fieldManager: string, subresource: string): Promise<void> {
  const edit = ctx.edit!;
  const path = `/tmp/kubectl-edit-${(ctx.clock?.now() ?? 0) % 10_000_000_000}.${format === 'json' ? 'json' : 'yaml'}`;
  const shown = withoutManagedFields(object);
  const body = format === 'json' ? toJson(shown) : toYaml(shown);
  let text = `${HEADER}${body}`;
  let previous = body;
  let failed = false;
  for (;;) {
    const saved = await edit(path, text);
    if (saved === undefined) {
      ctx.stderr('Edit cancelled, no changes made.\n');
      return;
    }
    const content = stripComments(saved);
    if (content.trim() === '') {
      ctx.stderr('Edit cancelled, saved file was empty.\n');
      return;
    }
    if (content.trim() === previous.trim()) {
      if (failed) {
        ctx.files?.write(path, saved);
        throw new CommandError(`error: Edit cancelled, no valid changes were saved.\nA copy of your changes has been stored to "${path}"`);
      }
      ctx.stderr('Edit cancelled, no changes made.\n');
      return;
    }
    previous = content;
    let edited: KubeObject;
    try {
      edited = parseEdited(content);
    } catch (err) {
      failed = true;
      text = `${HEADER.replace(/#\n$/, '')}#\n# The edited file had a syntax error: ${(err as Error).message}\n#\n${content}`;
      continue;
    }
    if (edited.apiVersion !== object.apiVersion || edited.kind !== object.kind || edited.metadata?.name !== object.metadata.name) {
      failed = true;
      const which = edited.metadata?.name !== object.metadata.name ? 'name' : edited.kind !== object.kind ? 'kind' : 'apiVersion';
      text = `${HEADER.replace(/#\n$/, '')}#\n# ${qualifiedKind(t.resource)}s "${t.name}" was not valid:\n# * <nil>: Invalid value: "The edited file failed validation": at least one of apiVersion, kind and name was changed\n#\n${content}`;
      void which;
      continue;
    }
    const { patch, type } = twoWayPatch(shown as never, edited as never, object.apiVersion, object.kind);
    if (goJson(patch) === '{}') {
      ctx.stderr('Edit cancelled, no changes made.\n');
      return;
    }
    const res = await ctx.client.request({
      method: 'PATCH',
      path: resourcePath(t.resource, t.namespace, t.name, subresource || undefined),
      query: { fieldManager, fieldValidation: 'Strict' },
      body: patch,
      contentType: type,
    });
    if (res.status >= 400) {
      failed = true;
      const b = res.body as { details?: { causes?: { field?: string; message?: string }[] } };
      const causes = (b.details?.causes ?? []).map((c) => `# * ${c.field}: ${c.message}\n`).join('');
      const header = causes ? `# ${t.resource.group ? `${t.resource.name}.${t.resource.group}` : t.resource.name} "${t.name}" was not valid:\n${causes}` : `# ${requestError(res).replace(/\n/g, '\n# ')}\n`;
      text = `${HEADER.replace(/#\n$/, '')}#\n${header}#\n${content}`;
      continue;
    }
    ctx.stdout(`${qualifiedKind(t.resource)}/${t.name} edited\n`);
    return;
  }
}

async function runEdit(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const format = (args.flags.get('output') as string) || 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new CommandError(`error: the flag 'output' must be one of yaml|json`);
  if (!ctx.edit) {
    const editor = ctx.env?.get('KUBE_EDITOR') || ctx.env?.get('EDITOR') || 'vi';
    throw new CommandError(`error: unable to launch the editor "${editor}": Kubelab cannot open it here yet; set KUBE_EDITOR to a command that edits the file, or use kubectl patch or kubectl apply instead`);
  }
  const { targets } = await collectTargets(ctx, args, args.positional, targetOptions(args), () => 'error: resource(s) were provided, but no name was specified');
  if (targets.length === 0) throw new CommandError('error: edit cancelled, no objects found');
  const subresource = args.flags.get('subresource') as string;
  for (const t of targets) {
    const got = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name, subresource || undefined) });
    if (got.status >= 400) throw new CommandError(requestError(got));
    await editOne(ctx, t, got.body as KubeObject, format, args.flags.get('field-manager') as string, subresource);
  }
  return 0;
}

export function editCommand(): Command {
  return {
    name: 'edit',
    short: 'Edit a resource on the server',
    long: `Open objects in a text editor and save your changes back to the cluster.

 Any object you can get, you can edit. The editor is taken from KUBE_EDITOR, else EDITOR, else vi (notepad on Windows), and started through the shell in SHELL (else /bin/bash, or cmd on Windows).

 Several objects can be edited at once; they are saved one after another. Besides TYPE NAME you may give -f with files, but these must be copies of objects that exist on the server.

 The object is shown in the API version it was read with; name the group and version (e.g. job.v1.batch) to pick another. It is shown as YAML, or as JSON with -o json. --windows-line-endings forces CRLF line ends.

 If saving fails, your edited copy is kept in a temporary file. Most often the cause is that someone else changed the object meanwhile: edit it again, or update the resourceVersion in your copy and replace it.`,
    example: `  # Edit service registry
  kubectl edit svc/registry
  
  # Edit it with nano
  KUBE_EDITOR="nano" kubectl edit svc/registry
  
  # Edit job myjob as JSON, as batch/v1 shows it
  kubectl edit job.v1.batch/myjob -o json
  
  # Edit deployment mydeployment, and record the result for later "kubectl apply"
  kubectl edit deployment/mydeployment -o yaml --save-config
  
  # Edit the status of deployment mydeployment
  kubectl edit deployment mydeployment --subresource='status'`,
    use: 'edit (RESOURCE/NAME | -f FILENAME)',
    flags: [
      ...targetFlags('Filename, directory, or URL to files to use to edit the resource').filter((f) => f.name !== 'selector'),
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
      { name: 'output-patch', type: 'bool', default: false, usage: 'Output the patch if the resource is edited.' },
      { name: 'save-config', type: 'bool', default: false, usage: "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future." },
      { name: 'subresource', type: 'string', default: '', usage: 'If specified, edit will operate on the subresource of the requested object. Must be one of [status]. This flag is beta and may change in the future.' },
      { name: 'field-manager', type: 'string', default: 'kubectl-edit', usage: 'Name of the manager used to track field ownership.' },
      { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
      { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict', usage: 'Must be one of: strict (or true), warn, ignore (or false).' },
      { name: 'windows-line-endings', type: 'bool', default: false, usage: 'Defaults to the line ending native to your platform.' },
    ],
    run: runEdit,
  };
}
