/**
 * Fidelity of `kubectl describe`: the real kubectl 1.32 and ours against one simulated cluster
 * holding objects of every described kind. Describe formats times and ages itself (no server
 * Table), and both kubectls compute ages from the wall clock, so the cluster's virtual clock is
 * placed about 21 hours before the wall clock: every age then prints in whole hours ("21h",
 * "21h (x4 over 21h)"), which cannot change between the two runs of one comparison. (Ages at
 * finer grain are covered by the unit tests on the virtual clock.)
 */
import { describe, it } from 'vitest';
import type { Cluster } from '../../sim';
import { useFidelity } from './fidelity-kit';

type Body = Record<string, unknown>;

function post(cluster: Cluster, path: string, body: Body): void {
  const res = cluster.api.handle({ method: 'POST', path, userAgent: 'kubectl', body });
  if ((res as { status: number }).status >= 400) throw new Error(`${path}: ${JSON.stringify((res as { body: unknown }).body)}`);
}

const HOUR = 3_600_000;

function setup(cluster: Cluster): void {
  const ns = (n: string) => `/api/v1/namespaces/${n}`;
  post(cluster, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { team: 'a' } } });
  post(cluster, `${ns('default')}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { MODE: 'production' } });
  post(cluster, `${ns('default')}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-secret' }, stringData: { password: 's3cret!' } });
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          env: [
            { name: 'GREETING', value: 'hello' },
            { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'MODE' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          envFrom: [{ configMapRef: { name: 'web-config' } }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
          volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
    },
  };
  post(cluster, '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
  });
  post(cluster, `${ns('default')}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } });
  post(cluster, `${ns('default')}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web-np' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 80, nodePort: 30080 }] },
  });
  post(cluster, `${ns('default')}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'broken', labels: { run: 'broken' } }, spec: { containers: [{ name: 'app', image: 'nginx:no-such-tag' }] } });
  post(cluster, '/apis/batch/v1/namespaces/default/jobs', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'hello' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'hello', image: 'busybox', command: ['sh', '-c', 'echo hello'] }] } } },
  });
  post(cluster, '/apis/batch/v1/namespaces/default/cronjobs', {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick' },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'tick', image: 'busybox', args: ['date'] }] } } } } },
  });
  post(cluster, '/apis/networking.k8s.io/v1/ingressclasses', { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
  post(cluster, '/apis/networking.k8s.io/v1/namespaces/default/ingresses', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
    },
  });
  post(cluster, `${ns('default')}/persistentvolumeclaims`, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  post(cluster, `${ns('default')}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db' },
    spec: { containers: [{ name: 'db', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
  });
  post(cluster, `${ns('team')}/resourcequotas`, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '2Gi' } } });
  post(cluster, `${ns('team')}/limitranges`, {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'defaults' },
    spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }] },
  });
  post(cluster, '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'pod-reader' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get'] },
    ],
  });
  post(cluster, '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'read-pods' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'default' },
    ],
  });
  post(cluster, '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'node-reader' },
    rules: [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
      { nonResourceURLs: ['/healthz', '/version'], verbs: ['get'] },
    ],
  });
  post(cluster, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'read-nodes' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' },
    subjects: [{ kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }],
  });
  post(cluster, '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-allow' },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80 }] }],
      egress: [],
    },
  });
  post(cluster, '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web-pdb' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  });
  post(cluster, '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, description: 'Important work' });
  post(cluster, '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  post(cluster, '/apis/apps/v1/namespaces/default/statefulsets', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'store' },
    spec: {
      serviceName: 'store',
      replicas: 1,
      selector: { matchLabels: { app: 'store' } },
      template: { metadata: { labels: { app: 'store' } }, spec: { containers: [{ name: 'redis', image: 'redis:7' }] } },
    },
  });
  post(cluster, '/apis/apps/v1/namespaces/default/daemonsets', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], containers: [{ name: 'agent', image: 'busybox', command: ['sleep', '999999'] }] } },
    },
  });
  post(cluster, `${ns('default')}/replicationcontrollers`, {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy' },
    spec: { replicas: 1, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  });
  post(cluster, `${ns('default')}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'crasher' },
    spec: { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo starting; exit 1'] }] },
  });
  post(cluster, `${ns('default')}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'rich', labels: { app: 'rich', tier: 'backend' }, annotations: { note: 'a pod with many parts' } },
    spec: {
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }],
      initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'echo init'] }],
      containers: [
        {
          name: 'main',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https' }],
          args: ['--flag', 'two\nlines'],
          env: [
            { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          ],
          resources: { requests: { cpu: '200m', memory: '100Mi' }, limits: { cpu: '200m', memory: '100Mi' } },
          livenessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5 },
          readinessProbe: { exec: { command: ['cat', '/etc/hostname'] } },
          startupProbe: { tcpSocket: { port: 80 } },
          volumeMounts: [
            { name: 'scratch', mountPath: '/scratch' },
            { name: 'host', mountPath: '/host', readOnly: true },
            { name: 'secret', mountPath: '/secret', subPath: 'password' },
            { name: 'info', mountPath: '/info' },
          ],
        },
      ],
      volumes: [
        { name: 'scratch', emptyDir: { sizeLimit: '500Mi' } },
        { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'secret', secret: { secretName: 'web-secret' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ],
    },
  });
  post(cluster, `${ns('default')}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] } });
  post(cluster, `${ns('default')}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  post(cluster, `${ns('default')}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'store' }, spec: { clusterIP: 'None', selector: { app: 'store' }, ports: [{ port: 6379 }] } });
  cluster.clock.advance(5 * 60_000);
  const patched = cluster.api.handle({
    method: 'PATCH',
    path: '/apis/apps/v1/namespaces/default/deployments/web',
    userAgent: 'kubectl',
    contentType: 'application/strategic-merge-patch+json',
    body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } },
  });
  if ((patched as { status: number }).status >= 400) throw new Error(JSON.stringify((patched as { body: unknown }).body));
  cluster.clock.advance(3 * 60_000);
}

describe('fidelity: kubectl describe', () => {
  const kit = useFidelity(setup, { seed: 7, epoch: Date.now() - 21 * HOUR - 30 * 60_000 });

  const scenarios: string[][] = [
    ['describe', 'deployment', 'web'],
    ['describe', 'deploy/web'],
    ['describe', 'rs'],
    ['describe', 'pods', '-l', 'app=web'],
    ['describe', 'pod', 'broken'],
    ['describe', 'pod', 'db'],
    ['describe', 'pods', 'web-'],
    ['describe', 'pod', 'broken', '--show-events=false'],
    ['describe', 'job', 'hello'],
    ['describe', 'cronjob', 'tick'],
    ['describe', 'svc', 'web'],
    ['describe', 'svc', 'web-np'],
    ['describe', 'endpoints', 'web'],
    ['describe', 'endpointslices', '-l', 'kubernetes.io/service-name=web'],
    ['describe', 'ingress', 'web'],
    ['describe', 'ingressclass', 'nginx'],
    ['describe', 'node', 'node01'],
    ['describe', 'node', 'controlplane'],
    ['describe', 'ns', 'team'],
    ['describe', 'ns', 'default'],
    ['describe', 'configmap', 'web-config'],
    ['describe', 'secret', 'web-secret'],
    ['describe', 'sa', 'default'],
    ['describe', 'pvc', 'data'],
    ['describe', 'pv'],
    ['describe', 'storageclass'],
    ['describe', 'quota', '-n', 'team'],
    ['describe', 'limits', '-n', 'team'],
    ['describe', 'role', 'pod-reader'],
    ['describe', 'rolebinding', 'read-pods'],
    ['describe', 'clusterrole', 'node-reader'],
    ['describe', 'clusterrolebinding', 'read-nodes'],
    ['describe', 'netpol', 'web-allow'],
    ['describe', 'pdb', 'web-pdb'],
    ['describe', 'priorityclass', 'high'],
    ['describe', 'hpa', 'web'],
    ['describe', 'sts', 'store'],
    ['describe', 'ds', 'agent'],
    ['describe', 'rc', 'legacy'],
    ['describe', 'lease', '-n', 'kube-node-lease', 'node01'],
    ['describe', 'pods', '-n', 'kube-system', '--chunk-size=2', '-l', 'component=etcd'],
    ['describe', 'pod', 'nope'],
    ['describe', 'pods/nope'],
    ['describe', 'pods', 'broken', 'nope'],
    ['describe'],
    ['describe', 'nothings'],
    ['describe', 'pods', '-n', 'team'],
    ['describe', 'deploy', '-A'],
    ['describe', 'pod', 'crasher'],
    ['describe', 'pod', 'rich'],
    ['describe', 'svc', 'lb'],
    ['describe', 'svc', 'ext'],
    ['describe', 'svc', 'store'],
    ['describe', 'nodes'],
    ['describe', 'secrets', '-n', 'kube-system'],
    ['describe', 'ns'],
  ];

  it.each(scenarios.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });

  it('kubectl describe -f FILE', async () => {
    kit.file('web.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
    await kit.compare(['describe', '-f', 'web.yaml']);
  });
});
