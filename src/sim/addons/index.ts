/** Cluster add-ons that kubeadm does not install but courses use. */
export { MetricsServer, METRIC_RESOLUTION_MS } from './metrics-server';
export type { StatsSource } from './metrics-server';
export { DEFAULT_LOAD_BALANCER_POOL, parsePool, startLoadBalancerPool } from './load-balancer';
export { ingressNginxObjects, INGRESS_NGINX_IMAGES, INGRESS_NGINX_NAMESPACE } from './ingress-nginx';
export { ingressNginxStatusController, STATUS_SYNC_MS } from './ingress-nginx-status';
