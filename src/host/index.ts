/** Node-side host: sessions, clock pacing, and the renderer contract's server side. */
export { Session } from './session';
export type { SessionOptions } from './session';
export { ClockPacer } from './pacer';
export type { Speed } from './pacer';
export { handleCall, handleNotification, UnknownMethodError } from './dispatch';
export type { EventSink } from './dispatch';
export { runScriptInSession } from './script';
export { runBenchmarks, runDeploymentBenchmark, runScaleBenchmark } from './bench';
export type { Figure, BenchOptions } from './bench';
export type { RunScriptOptions } from './script';
export { startApiServer, MAX_REQUEST_BYTES, HttpApiClient, readKubeconfig } from './api/index';
// The CLI runs our kubectl against a kubeconfig's cluster.
export { runKubectl } from '../kubectl';
export { hostEnv, hostFiles, wallClock } from './kubectl-host';
export { runKubectlBenchmark } from './bench-kubectl';
export type { ApiClient } from '../sim';
export type { ApiExtensions, ApiServerOptions, RunningApiServer } from './api/index';
