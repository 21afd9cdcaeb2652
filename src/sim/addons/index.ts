/** Cluster add-ons that kubeadm does not install but courses use. */
export { MetricsServer, METRIC_RESOLUTION_MS } from './metrics-server';
export type { StatsSource } from './metrics-server';
