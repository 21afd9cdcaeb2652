import { CommandError } from '../../context';
import { isStatus, serverErrorMessage } from '../../errors';
import { toJson, toYaml } from '../../printers';
import type { Command } from '../types';

/** The kubectl release this emulator reproduces. */
export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:04:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};
const KUSTOMIZE_VERSION = 'v5.5.0';

export function versionCommand(): Command {
  return {
    name: 'version',
    short: 'Print the client and server version information',
    long: 'Show the version of kubectl and, unless --client is given, the version of the API server of the current context.',
    use: 'version [flags]',
    flags: [
      { name: 'client', type: 'bool', default: false, usage: 'If true, shows client version only (no server required).' },
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: "One of 'yaml' or 'json'." },
    ],
    async run(args, ctx) {
      const output = args.flags.get('output') as string;
      if (output && output !== 'json' && output !== 'yaml') throw new CommandError('error: --output must be \'yaml\' or \'json\'');
      const clientOnly = args.flags.get('client') as boolean;
      let server: Record<string, string> | undefined;
      let failure: string | undefined;
      if (!clientOnly) {
        const res = await ctx.client.request({ method: 'GET', path: '/version' });
        if (res.status === 200) server = res.body as Record<string, string>;
        else failure = isStatus(res.body) ? serverErrorMessage(res.body) : `error: ${JSON.stringify(res.body)}`;
      }
      if (output) {
        const doc = { clientVersion: CLIENT_VERSION, kustomizeVersion: KUSTOMIZE_VERSION, ...(server ? { serverVersion: server } : {}) };
        ctx.stdout(output === 'json' ? toJson(doc).replace(/^/, '') : toYaml(doc));
      } else {
        ctx.stdout(`Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
        if (server) ctx.stdout(`Server Version: ${server.gitVersion}\n`);
      }
      if (failure) {
        ctx.stderr(`${failure}\n`);
        return 1;
      }
      return 0;
    },
  };
}
