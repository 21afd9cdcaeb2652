/** `kubectl certificate approve|deny`: adds the Approved or Denied condition through the CSR's approval subresource. */
import { CommandError, type KubectlContext } from '../../context';
import { responseError } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BASE = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

async function modify(args: ParsedArgs, ctx: KubectlContext, condition: 'Approved' | 'Denied'): Promise<number> {
  const names = args.positional;
  if (names.length === 0 && !(args.flags.get('filename') as string[]).length)
    throw new CommandError('error: one or more CSRs must be specified as <name> or -f <filename>');
  const other = condition === 'Approved' ? 'Denied' : 'Approved';
  const force = args.flags.get('force') as boolean;
  const output = args.flags.get('output') as string;
  const errors: string[] = [];
  for (const name of names) {
    const got = await ctx.client.request({ method: 'GET', path: `${BASE}/${encodeURIComponent(name)}` });
    if (got.status >= 400) {
      errors.push(responseError(got));
      continue;
    }
    const csr = got.body as Obj;
    const conditions: Obj[] = csr.status?.conditions ?? [];
    if (conditions.some((c) => c.type === other)) {
      errors.push(`error: certificate signing request ${JSON.stringify(name)} is already ${other}`);
      continue;
    }
    const has = conditions.some((c) => c.type === condition);
    if (!has || force) {
      const verb = condition === 'Approved' ? 'approve' : 'deny';
      const updated = {
        ...csr,
        status: {
          ...(csr.status ?? {}),
          conditions: [
            ...conditions,
            {
              type: condition,
              status: 'True',
              reason: condition === 'Approved' ? 'KubectlApprove' : 'KubectlDeny',
              message: `This CSR was ${condition.toLowerCase()} by kubectl certificate ${verb}.`,
              lastUpdateTime: new Date(ctx.clock?.now() ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            },
          ],
        },
      };
      const res = await ctx.client.request({ method: 'PUT', path: `${BASE}/${encodeURIComponent(name)}/approval`, body: updated });
      if (res.status >= 400) {
        errors.push(responseError(res));
        continue;
      }
    }
    ctx.stdout(output === 'name' ? `certificatesigningrequest.certificates.k8s.io/${name}\n` : `certificatesigningrequest.certificates.k8s.io/${name} ${condition.toLowerCase()}\n`);
  }
  if (errors.length) throw new CommandError(errors.join('\n'));
  return 0;
}

function subcommand(verb: 'approve' | 'deny'): Command {
  const condition = verb === 'approve' ? 'Approved' : 'Denied';
  return {
    name: verb,
    short: `${verb === 'approve' ? 'Approve' : 'Deny'} a certificate signing request`,
    long: `${verb === 'approve' ? 'Approve' : 'Deny'} a certificate signing request (CSR).

 This adds the ${condition} condition to the CSR's status, so that the signer ${verb === 'approve' ? 'may issue' : 'does not issue'} the certificate it asks for.`,
    example: `  # ${verb === 'approve' ? 'Approve' : 'Deny'} the request named csr-sqgzp
  kubectl certificate ${verb} csr-sqgzp`,
    use: `certificate ${verb} (-f FILENAME | NAME)`,
    flags: [
      { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'Filename, directory, or URL to files identifying the resource to update' },
      { name: 'force', type: 'bool', default: false, usage: `Update the CSR even if it is already ${condition.toLowerCase()}.` },
      { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: 'Process the kustomization directory. This flag can\'t be used together with -f or -R.' },
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
      { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
    ],
    run: (args, ctx) => modify(args, ctx, condition),
  };
}

export function certificateCommand(): Command {
  return {
    name: 'certificate',
    short: 'Modify certificate resources',
    long: 'Approve or deny certificate signing requests (CSRs).',
    use: 'certificate SUBCOMMAND',
    flags: [],
    subcommands: [subcommand('approve'), subcommand('deny')],
  };
}
