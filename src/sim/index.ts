/** Public surface of the simulated cluster. */
export { VirtualClock } from './clock';
export type { TimerId } from './clock';
export { SeededRandom, KUBE_NAME_ALPHABET } from './random';
export { Store } from './store';
export type { KeyValue, WatchEvent } from './store';
export {
  ApiServer,
  ApiError,
  humanDuration,
  rfc3339,
  ResourceRegistry,
  GROUP_ORDER,
  apiVersionOf,
  parseLabelSelector,
  matchesLabels,
  schemaDefinition,
} from './apiserver';
export type * from './apiserver';
export { InProcessClient, isWatchHandle, isStreamHandle, isExecSession } from './client';
export type { ApiClient, WatchHandle, StreamHandle, ExecRequest, ExecOutput, ExecSession, StreamStatus } from './client';
export { SessionEnd, ShellSession, needsMore, locateStream, followLog, openStream, openExec, openAttach, containerStatus, SUCCESS, exitStatus, internalStatus, startFailure, MISSING_EXECUTABLE, crlf, isBareShell, readsStdin } from './streams';
export { utf8Advance, utf8Length } from './bytes';
export { createCluster, createAs, DEFAULT_EPOCH, DEFAULT_NODES, KUBERNETES_VERSION } from './cluster';
export type { Cluster, ClusterOptions, NodeSpec } from './cluster';
export { EventRecorder, referenceTo } from './events';
export type { EventSource, EventType, InvolvedObject } from './events';
export { podTemplateHash, safeEncodeString, fnv32a } from './names';
export { Scheduler, SCHEDULER_NAME } from './scheduler/index';
export type { Explanation, NodeExplanation } from './scheduler/index';
export { Kubelet, ImageCatalog, normalizeReference, piDigits } from './node/index';
export { base32, sha256, sha256Hex } from './hash';
