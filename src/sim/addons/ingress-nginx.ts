/**
 * ingress-nginx v1.12.0 as its bare-metal install creates it (deploy/static/provider/baremetal):
 * the ingress-nginx namespace, service accounts and RBAC, the controller Deployment behind a
 * NodePort Service, the admission webhook's Service, Jobs and configuration, and IngressClass
 * `nginx`. The objects are what the upstream manifest holds; the controller's behaviour comes
 * from its image (node/behavior) and the status controller below.
 */
import type { KubeObject } from '../apiserver';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
export const INGRESS_NGINX_IMAGES = {
  controller: 'registry.k8s.io/ingress-nginx/controller:v1.12.0@sha256:e6b8de175acda6ca913891f0f727bca4527e797d52688cbe9fec9040d6f6b6fa',
  certgen: 'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.5.0@sha256:aaafd456bda110628b2d4ca6296f38731a3aaf0bf7581efae824a41c770a8fc4',
};

const NS = INGRESS_NGINX_NAMESPACE;
const BASE = { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' };
const labels = (component?: 'controller' | 'admission-webhook') => ({
  ...(component ? { 'app.kubernetes.io/component': component } : {}),
  ...BASE,
  'app.kubernetes.io/part-of': 'ingress-nginx',
  'app.kubernetes.io/version': '1.12.0',
});
const SELECTOR = { 'app.kubernetes.io/component': 'controller', ...BASE };
const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({ apiGroups, ...(resourceNames ? { resourceNames } : {}), resources, verbs });
const READ = ['get', 'list', 'watch'];
const podNamespaceEnv = { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } };
const restricted = (extra: Obj) => ({ allowPrivilegeEscalation: false, ...extra, seccompProfile: { type: 'RuntimeDefault' } });

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, component?: 'admission-webhook' | 'controller'): Obj {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { labels: labels(component), name, ...(kind === 'RoleBinding' ? { namespace: NS } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: kind === 'RoleBinding' ? 'Role' : 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: NS }],
  };
}

function certgenJob(verb: 'create' | 'patch', args: string[]): Obj {
  const name = `ingress-nginx-admission-${verb}`;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { labels: labels('admission-webhook'), name, namespace: NS },
    spec: {
      template: {
        metadata: { labels: labels('admission-webhook'), name },
        spec: {
          containers: [
            {
              args: [verb, ...args],
              env: [podNamespaceEnv],
              image: INGRESS_NGINX_IMAGES.certgen,
              imagePullPolicy: 'IfNotPresent',
              name: verb,
              securityContext: restricted({ capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532 }),
            },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          restartPolicy: 'OnFailure',
          serviceAccountName: 'ingress-nginx-admission',
        },
      },
    },
  };
}

/** The objects of the bare-metal install, in the manifest's order. */
export function ingressNginxObjects(): KubeObject[] {
  const probe = (failureThreshold: number) => ({ failureThreshold, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 });
  const objects: Obj[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { ...BASE }, name: NS } },
    { apiVersion: 'v1', automountServiceAccountToken: true, kind: 'ServiceAccount', metadata: { labels: labels('controller'), name: 'ingress-nginx', namespace: NS } },
    { apiVersion: 'v1', automountServiceAccountToken: true, kind: 'ServiceAccount', metadata: { labels: labels('admission-webhook'), name: 'ingress-nginx-admission', namespace: NS } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { labels: labels('controller'), name: 'ingress-nginx', namespace: NS },
      rules: [
        rule([''], ['namespaces'], ['get']),
        rule([''], ['configmaps', 'pods', 'secrets', 'endpoints'], READ),
        rule([''], ['services'], READ),
        rule(['networking.k8s.io'], ['ingresses'], READ),
        rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
        rule(['networking.k8s.io'], ['ingressclasses'], READ),
        rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['ingress-nginx-leader']),
        rule(['coordination.k8s.io'], ['leases'], ['create']),
        rule([''], ['events'], ['create', 'patch']),
        rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch', 'get']),
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { labels: labels('admission-webhook'), name: 'ingress-nginx-admission', namespace: NS }, rules: [rule([''], ['secrets'], ['get', 'create'])] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { labels: labels(), name: 'ingress-nginx' },
      rules: [
        rule([''], ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], ['list', 'watch']),
        rule(['coordination.k8s.io'], ['leases'], ['list', 'watch']),
        rule([''], ['nodes'], ['get']),
        rule([''], ['services'], READ),
        rule(['networking.k8s.io'], ['ingresses'], READ),
        rule([''], ['events'], ['create', 'patch']),
        rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
        rule(['networking.k8s.io'], ['ingressclasses'], READ),
        rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch', 'get']),
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { labels: labels('admission-webhook'), name: 'ingress-nginx-admission' }, rules: [rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['get', 'update'])] },
    binding('RoleBinding', 'ingress-nginx', 'controller'),
    binding('RoleBinding', 'ingress-nginx-admission', 'admission-webhook'),
    binding('ClusterRoleBinding', 'ingress-nginx'),
    binding('ClusterRoleBinding', 'ingress-nginx-admission', 'admission-webhook'),
    { apiVersion: 'v1', data: null, kind: 'ConfigMap', metadata: { labels: labels('controller'), name: 'ingress-nginx-controller', namespace: NS } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: labels('controller'), name: 'ingress-nginx-controller', namespace: NS },
      spec: {
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
          { appProtocol: 'https', name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
        ],
        selector: SELECTOR,
        type: 'NodePort',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: labels('controller'), name: 'ingress-nginx-controller-admission', namespace: NS },
      spec: { ports: [{ appProtocol: 'https', name: 'https-webhook', port: 443, targetPort: 'webhook' }], selector: SELECTOR, type: 'ClusterIP' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels: labels('controller'), name: 'ingress-nginx-controller', namespace: NS },
      spec: {
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        selector: { matchLabels: SELECTOR },
        strategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: labels('controller') },
          spec: {
            containers: [
              {
                args: [
                  '/nginx-ingress-controller',
                  '--election-id=ingress-nginx-leader',
                  '--controller-class=k8s.io/ingress-nginx',
                  '--ingress-class=nginx',
                  '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
                  '--validating-webhook=:8443',
                  '--validating-webhook-certificate=/usr/local/certificates/cert',
                  '--validating-webhook-key=/usr/local/certificates/key',
                ],
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, podNamespaceEnv, { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' }],
                image: INGRESS_NGINX_IMAGES.controller,
                imagePullPolicy: 'IfNotPresent',
                lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
                livenessProbe: probe(5),
                name: 'controller',
                ports: [
                  { containerPort: 80, name: 'http', protocol: 'TCP' },
                  { containerPort: 443, name: 'https', protocol: 'TCP' },
                  { containerPort: 8443, name: 'webhook', protocol: 'TCP' },
                ],
                readinessProbe: probe(3),
                resources: { requests: { cpu: '100m', memory: '90Mi' } },
                securityContext: restricted({ capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsGroup: 82, runAsNonRoot: true, runAsUser: 101 }),
                volumeMounts: [{ mountPath: '/usr/local/certificates/', name: 'webhook-cert', readOnly: true }],
              },
            ],
            dnsPolicy: 'ClusterFirst',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            serviceAccountName: 'ingress-nginx',
            terminationGracePeriodSeconds: 300,
            volumes: [{ name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission' } }],
          },
        },
      },
    },
    certgenJob('create', ['--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc', '--namespace=$(POD_NAMESPACE)', '--secret-name=ingress-nginx-admission']),
    certgenJob('patch', ['--webhook-name=ingress-nginx-admission', '--namespace=$(POD_NAMESPACE)', '--patch-mutating=false', '--secret-name=ingress-nginx-admission', '--patch-failure-policy=Fail']),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { labels: labels('controller'), name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { labels: labels('admission-webhook'), name: 'ingress-nginx-admission' },
      webhooks: [
        {
          admissionReviewVersions: ['v1'],
          clientConfig: { service: { name: 'ingress-nginx-controller-admission', namespace: NS, path: '/networking/v1/ingresses', port: 443 } },
          failurePolicy: 'Fail',
          matchPolicy: 'Equivalent',
          name: 'validate.nginx.ingress.kubernetes.io',
          rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
          sideEffects: 'None',
        },
      ],
    },
  ];
  return objects as KubeObject[];
}
