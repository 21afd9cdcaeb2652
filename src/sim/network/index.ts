export { ClusterNetwork, SERVICE_CIDR } from './fabric';
export { ClusterDns, CLUSTER_DOMAIN } from './dns';
export type { DnsAnswer, DnsRecord, RecordType } from './dns';
export { Resolver, parseHosts, parseResolvConf, UPSTREAM_DNS } from './resolver';
export type { ResolvConf } from './resolver';
export { NetworkTools } from './toolbox';
export type { FileReader, ToolLookup } from './toolbox';
export type { Tool, ToolIO } from './tools/types';
export type { Connection, HttpRequest, HttpResponse, Listening, NetworkDirectory, NodeAtIP, ObjectReader, PodAtIP, Source } from './types';
