/** `kubectl config`: reads and edits kubeconfig files. */
import type { Command } from '../types';
import { deleteClusterCommand, deleteUserCommand, getClustersCommand, getUsersCommand, setClusterCommand, setCredentialsCommand } from './clusters-users';
import { currentContextCommand, deleteContextCommand, getContextsCommand, renameContextCommand, setContextCommand, useContextCommand } from './contexts';
import { setCommand, unsetCommand } from './set';
import { viewCommand } from './view';

export function configCommand(): Command {
  return {
    name: 'config',
    short: 'Modify kubeconfig files',
    long: `Read and change kubeconfig files: the clusters, users and contexts kubectl can use, and which context is current. Each subcommand does one job, for example "kubectl config use-context my-context".

 Which file is used:

  1.  --kubeconfig names exactly one file (give it once); only that file is read and written.
  2.  Otherwise, if $KUBECONFIG is set, it is a list of files separated as paths are on your system, and their contents are merged. A changed entry is written back to the file it came from; a new entry goes into the first file that exists, or, if none exists, into the last file of the list.
  3.  Otherwise, the single file \${HOME}/.kube/config is used.`,
    use: 'config SUBCOMMAND',
    flags: [],
    subcommands: [
      currentContextCommand(),
      deleteClusterCommand(),
      deleteContextCommand(),
      deleteUserCommand(),
      getClustersCommand(),
      getContextsCommand(),
      getUsersCommand(),
      renameContextCommand(),
      setCommand(),
      setClusterCommand(),
      setContextCommand(),
      setCredentialsCommand(),
      unsetCommand(),
      useContextCommand(),
      viewCommand(),
    ],
  };
}
