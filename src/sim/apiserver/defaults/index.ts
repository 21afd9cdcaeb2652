/**
 * Defaulting per kind, as the scheme's SetDefaults_* functions apply when an object is decoded.
 * Mutates the object it is given.
 */
import { defaultPod, defaultPodSpec, defaultPodTemplate } from './pod';
import { base64Encode } from '../../bytes';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setIfUnset(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/**
 * The status part of the defaulters that have one: each depends on the status alone, so a
 * status update (which keeps nothing but the status) needs only this part.
 */
const STATUS_DEFAULTERS: Record<string, (o: Obj) => void> = {
  Service: (o) => {
    o.status = o.status ?? {};
    setIfUnset(o.status, 'loadBalancer', {});
  },
  Namespace: (o) => {
    o.status = o.status ?? {};
    setIfUnset(o.status, 'phase', 'Active');
  },
  PersistentVolume: (o) => {
    o.status = o.status ?? {};
    setIfUnset(o.status, 'phase', 'Pending');
  },
  PersistentVolumeClaim: (o) => {
    o.status = o.status ?? {};
    setIfUnset(o.status, 'phase', 'Pending');
  },
};

const DEFAULTERS: Record<string, (o: Obj) => void> = {
  Pod: defaultPod,
  PodTemplate: (o) => defaultPodTemplate(o.template),
  ReplicationController: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'replicas', 1);
    // An RC without a selector selects its template's labels.
    const labels = o.spec.template?.metadata?.labels;
    if (labels && !o.spec.selector) o.spec.selector = { ...labels };
    if (labels && !o.metadata.labels) o.metadata.labels = { ...labels };
    defaultPodTemplate(o.spec.template);
  },
  Deployment: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'replicas', 1);
    setIfUnset(o.spec, 'strategy', {});
    setIfUnset(o.spec.strategy, 'type', 'RollingUpdate');
    if (o.spec.strategy.type === 'RollingUpdate') {
      setIfUnset(o.spec.strategy, 'rollingUpdate', {});
      setIfUnset(o.spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
      setIfUnset(o.spec.strategy.rollingUpdate, 'maxSurge', '25%');
    }
    setIfUnset(o.spec, 'revisionHistoryLimit', 10);
    setIfUnset(o.spec, 'progressDeadlineSeconds', 600);
    defaultPodTemplate(o.spec.template);
  },
  ReplicaSet: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'replicas', 1);
    defaultPodTemplate(o.spec.template);
  },
  DaemonSet: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'updateStrategy', {});
    setIfUnset(o.spec.updateStrategy, 'type', 'RollingUpdate');
    if (o.spec.updateStrategy.type === 'RollingUpdate') {
      setIfUnset(o.spec.updateStrategy, 'rollingUpdate', {});
      setIfUnset(o.spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1);
      setIfUnset(o.spec.updateStrategy.rollingUpdate, 'maxSurge', 0);
    }
    setIfUnset(o.spec, 'revisionHistoryLimit', 10);
    defaultPodTemplate(o.spec.template);
  },
  StatefulSet: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'replicas', 1);
    setIfUnset(o.spec, 'podManagementPolicy', 'OrderedReady');
    setIfUnset(o.spec, 'updateStrategy', {});
    setIfUnset(o.spec.updateStrategy, 'type', 'RollingUpdate');
    if (o.spec.updateStrategy.type === 'RollingUpdate') {
      setIfUnset(o.spec.updateStrategy, 'rollingUpdate', {});
      setIfUnset(o.spec.updateStrategy.rollingUpdate, 'partition', 0);
    }
    setIfUnset(o.spec, 'revisionHistoryLimit', 10);
    setIfUnset(o.spec, 'persistentVolumeClaimRetentionPolicy', {});
    setIfUnset(o.spec.persistentVolumeClaimRetentionPolicy, 'whenDeleted', 'Retain');
    setIfUnset(o.spec.persistentVolumeClaimRetentionPolicy, 'whenScaled', 'Retain');
    for (const pvc of o.spec.volumeClaimTemplates ?? []) {
      pvc.spec = pvc.spec ?? {};
      setIfUnset(pvc.spec, 'volumeMode', 'Filesystem');
      pvc.status = pvc.status ?? { phase: 'Pending' };
      pvc.metadata = pvc.metadata ?? {};
      if (pvc.metadata.creationTimestamp === undefined) pvc.metadata.creationTimestamp = null;
      setIfUnset(pvc, 'apiVersion', 'v1');
      setIfUnset(pvc, 'kind', 'PersistentVolumeClaim');
    }
    defaultPodTemplate(o.spec.template);
  },
  Job: (o) => {
    o.spec = o.spec ?? {};
    if (o.spec.completions == null && o.spec.parallelism == null) {
      o.spec.completions = 1;
      o.spec.parallelism = 1;
    }
    setIfUnset(o.spec, 'parallelism', 1);
    setIfUnset(o.spec, 'backoffLimit', o.spec.backoffLimitPerIndex != null ? 2147483647 : 6);
    setIfUnset(o.spec, 'completionMode', 'NonIndexed');
    setIfUnset(o.spec, 'suspend', false);
    setIfUnset(o.spec, 'podReplacementPolicy', o.spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
    defaultPodTemplate(o.spec.template);
  },
  CronJob: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'concurrencyPolicy', 'Allow');
    setIfUnset(o.spec, 'suspend', false);
    setIfUnset(o.spec, 'successfulJobsHistoryLimit', 3);
    setIfUnset(o.spec, 'failedJobsHistoryLimit', 1);
    const jobTemplate = (o.spec.jobTemplate = o.spec.jobTemplate ?? {});
    jobTemplate.metadata = jobTemplate.metadata ?? {};
    if (jobTemplate.metadata.creationTimestamp === undefined) jobTemplate.metadata.creationTimestamp = null;
    if (jobTemplate.spec) {
      const js = jobTemplate.spec;
      if (js.completions == null && js.parallelism == null) {
        js.completions = 1;
        js.parallelism = 1;
      }
      setIfUnset(js, 'parallelism', 1);
      setIfUnset(js, 'backoffLimit', 6);
      setIfUnset(js, 'completionMode', 'NonIndexed');
      setIfUnset(js, 'suspend', false);
      setIfUnset(js, 'podReplacementPolicy', js.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
      defaultPodTemplate(js.template);
    }
  },
  Service: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'type', 'ClusterIP');
    setIfUnset(o.spec, 'sessionAffinity', 'None');
    if (o.spec.sessionAffinity === 'ClientIP') {
      setIfUnset(o.spec, 'sessionAffinityConfig', {});
      setIfUnset(o.spec.sessionAffinityConfig, 'clientIP', {});
      setIfUnset(o.spec.sessionAffinityConfig.clientIP, 'timeoutSeconds', 10800);
    }
    for (const p of o.spec.ports ?? []) {
      setIfUnset(p, 'protocol', 'TCP');
      if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
    if (o.spec.type === 'NodePort' || o.spec.type === 'LoadBalancer') setIfUnset(o.spec, 'externalTrafficPolicy', 'Cluster');
    if (o.spec.type !== 'ExternalName') setIfUnset(o.spec, 'internalTrafficPolicy', 'Cluster');
    if (o.spec.type === 'LoadBalancer') setIfUnset(o.spec, 'allocateLoadBalancerNodePorts', true);
    STATUS_DEFAULTERS.Service!(o);
  },
  Namespace: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'finalizers', ['kubernetes']);
    STATUS_DEFAULTERS.Namespace!(o);
  },
  PersistentVolume: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setIfUnset(o.spec, 'volumeMode', 'Filesystem');
    STATUS_DEFAULTERS.PersistentVolume!(o);
  },
  PersistentVolumeClaim: (o) => {
    o.spec = o.spec ?? {};
    setIfUnset(o.spec, 'volumeMode', 'Filesystem');
    STATUS_DEFAULTERS.PersistentVolumeClaim!(o);
  },
  Endpoints: (o) => {
    for (const ss of o.subsets ?? []) for (const p of ss.ports ?? []) setIfUnset(p, 'protocol', 'TCP');
  },
  EndpointSlice: (o) => {
    for (const p of o.ports ?? []) {
      setIfUnset(p, 'protocol', 'TCP');
      setIfUnset(p, 'name', '');
    }
  },
  LimitRange: (o) => {
    for (const item of o.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      // Container limits: a max (or default) fills the default limit, and requests default to limits.
      if (item.max) {
        item.default = item.default ?? {};
        for (const [k, v] of Object.entries(item.max)) if (item.default[k] === undefined) item.default[k] = v;
      }
      if (item.default) {
        item.defaultRequest = item.defaultRequest ?? {};
        for (const [k, v] of Object.entries(item.default)) if (item.defaultRequest[k] === undefined) item.defaultRequest[k] = v;
      }
      if (item.min) {
        item.defaultRequest = item.defaultRequest ?? {};
        for (const [k, v] of Object.entries(item.min)) if (item.defaultRequest[k] === undefined) item.defaultRequest[k] = v;
      }
    }
  },
  NetworkPolicy: (o) => {
    o.spec = o.spec ?? {};
    if (!o.spec.policyTypes || o.spec.policyTypes.length === 0) {
      o.spec.policyTypes = o.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
    }
    for (const rule of [...(o.spec.ingress ?? []), ...(o.spec.egress ?? [])]) for (const p of rule.ports ?? []) setIfUnset(p, 'protocol', 'TCP');
  },
  HorizontalPodAutoscaler: (o) => {
    o.spec = o.spec ?? {};
    if (o.apiVersion === 'autoscaling/v2') {
      setIfUnset(o.spec, 'minReplicas', 1);
      if (!o.spec.metrics) o.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      // A behavior given in part is completed field by field with the controller's defaults.
      if (o.spec.behavior) {
        const rules = (given: Obj | undefined, defaults: Obj): Obj => ({ ...defaults, ...Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined && v !== null)) });
        o.spec.behavior = {
          ...o.spec.behavior,
          scaleUp: rules(o.spec.behavior.scaleUp, {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: 100, periodSeconds: 15 },
            ],
          }),
          scaleDown: rules(o.spec.behavior.scaleDown, { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] }),
        };
      }
    } else {
      setIfUnset(o.spec, 'minReplicas', 1);
    }
  },
  StorageClass: (o) => {
    setIfUnset(o, 'reclaimPolicy', 'Delete');
    setIfUnset(o, 'volumeBindingMode', 'Immediate');
  },
  PriorityClass: (o) => setIfUnset(o, 'preemptionPolicy', 'PreemptLowerPriority'),
  ServiceAccount: () => {},
  ConfigMap: () => {},
  Secret: (o) => {
    setIfUnset(o, 'type', 'Opaque');
    // stringData is write-only: the v1 conversion merges it into data (it wins) and drops it.
    if (o.stringData && typeof o.stringData === 'object') {
      o.data = { ...(o.data ?? {}) };
      for (const [k, v] of Object.entries(o.stringData)) o.data[k] = base64Encode(String(v));
    }
    delete o.stringData;
  },
};

export function applyDefaults(kind: string, obj: Obj): void {
  DEFAULTERS[kind]?.(obj);
}

/** Defaults of a kind's status only (what a status update keeps of applyDefaults). */
export function applyStatusDefaults(kind: string, obj: Obj): void {
  STATUS_DEFAULTERS[kind]?.(obj);
}

export { defaultPodSpec, defaultPullPolicy } from './pod';
