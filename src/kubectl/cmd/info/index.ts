/** What the client and server are: version, explain, api-resources, api-versions, cluster-info, completion. */
import type { Command } from '../types';
import { apiResourcesCommand, apiVersionsCommand } from './api-resources';
import { clusterInfoCommand } from './cluster-info';
import { completionCommand } from './completion';
import { explainCommand } from './explain';
import { versionCommand } from './version';

export const commands: Command[] = [versionCommand(), apiResourcesCommand(), apiVersionsCommand(), clusterInfoCommand(), completionCommand(), explainCommand()];
