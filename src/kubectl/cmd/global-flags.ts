import type { FlagSpec } from '../flags';

/** kubectl's persistent flags that every verb accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', shorthand: 'n', type: 'string', default: '', usage: 'If present, the namespace scope for this CLI request' },
  { name: 'kubeconfig', type: 'string', default: '', usage: 'Path to the kubeconfig file to use for CLI requests.' },
  { name: 'context', type: 'string', default: '', usage: 'The name of the kubeconfig context to use' },
  { name: 'request-timeout', type: 'string', default: '0', usage: 'The length of time to wait before giving up on a single server request.' },
  { name: 'v', shorthand: 'v', type: 'int', default: 0, usage: 'number for the log level verbosity' },
];
