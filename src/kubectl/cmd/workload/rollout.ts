/** `kubectl rollout` and its subcommands. */
import { DRY_RUN_FLAG, filenameFlags } from '../../cmdutil';
import type { FlagSpec } from '../../flags';
import type { Command } from '../types';
import { rolloutHistory } from './rollout-history';
import { rolloutPause, rolloutRestart, rolloutResume } from './rollout-patch';
import { rolloutStatus } from './rollout-status';
import { rolloutUndo } from './rollout-undo';

const FILENAME = filenameFlags('Filename, directory, or URL to files identifying the resource to get from a server.');
const SELECTOR: FlagSpec = {
  name: 'selector',
  shorthand: 'l',
  type: 'string',
  default: '',
  usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
};
const OUTPUT: FlagSpec = { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' };
const FIELD_MANAGER: FlagSpec = { name: 'field-manager', type: 'string', default: 'kubectl-rollout', usage: 'Name of the manager used to track field ownership.' };
const VALID = `

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets`;

export function rolloutCommand(): Command {
  return {
    name: 'rollout',
    short: 'Manage the rollout of a resource',
    long: `Manage how a workload rolls out its pod template: watch it, pause and resume it, restart it, list its revisions and go back to one.${VALID}`,
    example: `  # Go back to the previous revision of a deployment
  kubectl rollout undo deployment/abc
  
  # Follow a daemon set's rollout
  kubectl rollout status daemonset/foo
  
  # Roll every pod of a deployment again
  kubectl rollout restart deployment/abc
  
  # Restart the deployments labelled app=nginx
  kubectl rollout restart deployment --selector=app=nginx`,
    use: 'rollout SUBCOMMAND',
    flags: [],
    subcommands: [
      {
        name: 'history',
        short: 'View rollout history',
        long: 'List the revisions a workload has rolled out, or show the pod template of one of them.',
        example: `  # List a deployment's revisions
  kubectl rollout history deployment/abc
  
  # Show revision 3 of a daemon set in full
  kubectl rollout history daemonset/abc --revision=3`,
        use: 'rollout history (TYPE NAME | TYPE/NAME) [flags]',
        flags: [...FILENAME, SELECTOR, OUTPUT, { name: 'revision', type: 'int', default: 0, usage: 'See the details, including podTemplate of the revision specified' }],
        run: rolloutHistory,
      },
      {
        name: 'pause',
        short: 'Mark the provided resource as paused',
        long: `Pause a resource: its controller stops rolling out changes to it until it is resumed with "kubectl rollout resume". Only deployments can be paused.`,
        example: `  # Pause the nginx deployment; its pods keep running, template changes wait for the resume
  kubectl rollout pause deployment/nginx`,
        use: 'rollout pause RESOURCE',
        flags: [...FILENAME, SELECTOR, OUTPUT, FIELD_MANAGER],
        run: rolloutPause,
      },
      {
        name: 'restart',
        short: 'Restart a resource',
        long: 'Restart a resource: its pods are replaced by a new rollout.',
        example: `  # Restart every deployment in the test-namespace namespace
  kubectl rollout restart deployment -n test-namespace
  
  # Restart one deployment
  kubectl rollout restart deployment/nginx
  
  # Replace the pods of daemon set abc
  kubectl rollout restart daemonset/abc
  
  # Restart the deployments labelled app=nginx
  kubectl rollout restart deployment --selector=app=nginx`,
        use: 'rollout restart RESOURCE',
        flags: [...FILENAME, SELECTOR, OUTPUT, FIELD_MANAGER],
        run: rolloutRestart,
      },
      {
        name: 'resume',
        short: 'Resume a paused resource',
        long: 'Resume a paused resource so that its controller reconciles it again. Only deployments can be resumed.',
        example: `  # Resume a paused deployment
  kubectl rollout resume deployment/nginx`,
        use: 'rollout resume RESOURCE',
        flags: [...FILENAME, SELECTOR, OUTPUT, FIELD_MANAGER],
        run: rolloutResume,
      },
      {
        name: 'status',
        short: 'Show the status of the rollout',
        long: `Show how the latest rollout is progressing.

 By default it keeps watching until the rollout is done; --watch=false prints the current state once. If another rollout starts meanwhile, the newest one is followed; --revision=N follows revision N and fails once another revision replaces it.`,
        example: `  # Follow a deployment's rollout
  kubectl rollout status deployment/nginx`,
        use: 'rollout status (TYPE NAME | TYPE/NAME) [flags]',
        flags: [
          ...FILENAME,
          SELECTOR,
          { name: 'revision', type: 'int', default: 0, usage: 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).' },
          { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).' },
          { name: 'watch', shorthand: 'w', type: 'bool', default: true, usage: "Watch the status of the rollout until it's done." },
        ],
        run: rolloutStatus,
      },
      {
        name: 'undo',
        short: 'Undo a previous rollout',
        long: 'Go back to an earlier revision of a workload (the previous one unless --to-revision says which).',
        example: `  # Go back to the previous revision
  kubectl rollout undo deployment/abc
  
  # Go back to revision 3 of a daemon set
  kubectl rollout undo daemonset/abc --to-revision=3
  
  # Try it on the server without changing anything
  kubectl rollout undo --dry-run=server deployment/abc`,
        use: 'rollout undo (TYPE NAME | TYPE/NAME) [flags]',
        flags: [...FILENAME, SELECTOR, OUTPUT, DRY_RUN_FLAG, { name: 'to-revision', type: 'int', default: 0, usage: 'The revision to rollback to. Default to 0 (last revision).' }],
        run: rolloutUndo,
      },
    ],
  };
}
