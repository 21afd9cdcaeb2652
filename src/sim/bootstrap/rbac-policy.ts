/**
 * The RBAC objects a fresh kubeadm 1.32 cluster has, as data.
 *
 * kube-apiserver's bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy, the default
 * feature gates of 1.32; its testdata/cluster-roles.yaml, controller-roles.yaml,
 * cluster-role-bindings.yaml, controller-role-bindings.yaml, namespace-roles.yaml and
 * namespace-role-bindings.yaml), which the API server's rbac/bootstrap-roles post-start hook
 * creates with the autoupdate annotation and the rbac-defaults label; then kubeadm's own (its
 * phases bootstraptoken/clusterinfo, bootstraptoken/node, kubelet, uploadconfig, copycerts,
 * addons/proxy, addons/dns, and kubeconfig's kubeadm:cluster-admins binding).
 *
 * A rule is written compactly as "apiGroups|resources|verbs[|resourceNames]" (lists comma-separated,
 * `core` for the "" group), or "url:/a,/b|verbs" for non-resource URLs. Order within a list is upstream's.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RBAC = 'rbac.authorization.k8s.io';
const list = (s: string) => s.split(',').map((x) => (x === 'core' ? '' : x));
const EV = 'core,events.k8s.io|events|create,patch,update';
const RW = 'create,delete,deletecollection,patch,update';
const RWA = 'create,delete,deletecollection,get,list,patch,update,watch';

/** [name, rules, extra labels, aggregate-to label of the aggregationRule]. */
type RoleSpec = [string, string[], Record<string, string>?, string?];

const AGG = (to: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' });

export const CLUSTER_ROLES: RoleSpec[] = [
  ['admin', [], undefined, 'admin'],
  ['cluster-admin', ['*|*|*', 'url:*|*']],
  ['edit', [], AGG('admin'), 'edit'],
  ['system:aggregate-to-admin', ['authorization.k8s.io|localsubjectaccessreviews|create', `rbac.authorization.k8s.io|rolebindings,roles|${RWA}`], AGG('admin')],
  [
    'system:aggregate-to-edit',
    [
      'core|pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy|get,list,watch',
      'core|serviceaccounts|impersonate',
      `core|pods,pods/attach,pods/exec,pods/portforward,pods/proxy|${RW}`,
      'core|pods/eviction|create',
      `core|configmaps,events,persistentvolumeclaims,replicationcontrollers,replicationcontrollers/scale,secrets,serviceaccounts,services,services/proxy|${RW}`,
      'core|serviceaccounts/token|create',
      `apps|daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,replicasets/scale,statefulsets,statefulsets/scale|${RW}`,
      `autoscaling|horizontalpodautoscalers|${RW}`,
      `batch|cronjobs,jobs|${RW}`,
      `extensions|daemonsets,deployments,deployments/rollback,deployments/scale,ingresses,networkpolicies,replicasets,replicasets/scale,replicationcontrollers/scale|${RW}`,
      `policy|poddisruptionbudgets|${RW}`,
      `networking.k8s.io|ingresses,networkpolicies|${RW}`,
      `coordination.k8s.io|leases|${RWA}`,
    ],
    AGG('edit'),
  ],
  [
    'system:aggregate-to-view',
    [
      'core|configmaps,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,pods,replicationcontrollers,replicationcontrollers/scale,serviceaccounts,services,services/status|get,list,watch',
      'core|bindings,events,limitranges,namespaces/status,pods/log,pods/status,replicationcontrollers/status,resourcequotas,resourcequotas/status|get,list,watch',
      'core|namespaces|get,list,watch',
      'discovery.k8s.io|endpointslices|get,list,watch',
      'apps|controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,replicasets,replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status|get,list,watch',
      'autoscaling|horizontalpodautoscalers,horizontalpodautoscalers/status|get,list,watch',
      'batch|cronjobs,cronjobs/status,jobs,jobs/status|get,list,watch',
      'extensions|daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,ingresses,ingresses/status,networkpolicies,replicasets,replicasets/scale,replicasets/status,replicationcontrollers/scale|get,list,watch',
      'policy|poddisruptionbudgets,poddisruptionbudgets/status|get,list,watch',
      'networking.k8s.io|ingresses,ingresses/status,networkpolicies|get,list,watch',
    ],
    AGG('view'),
  ],
  ['system:auth-delegator', ['authentication.k8s.io|tokenreviews|create', 'authorization.k8s.io|subjectaccessreviews|create']],
  ['system:basic-user', ['authorization.k8s.io|selfsubjectaccessreviews,selfsubjectrulesreviews|create', 'authentication.k8s.io|selfsubjectreviews|create']],
  ['system:certificates.k8s.io:certificatesigningrequests:nodeclient', ['certificates.k8s.io|certificatesigningrequests/nodeclient|create']],
  ['system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', ['certificates.k8s.io|certificatesigningrequests/selfnodeclient|create']],
  ['system:certificates.k8s.io:kube-apiserver-client-approver', ['certificates.k8s.io|signers|approve|kubernetes.io/kube-apiserver-client']],
  ['system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', ['certificates.k8s.io|signers|approve|kubernetes.io/kube-apiserver-client-kubelet']],
  ['system:certificates.k8s.io:kubelet-serving-approver', ['certificates.k8s.io|signers|approve|kubernetes.io/kubelet-serving']],
  ['system:certificates.k8s.io:legacy-unknown-approver', ['certificates.k8s.io|signers|approve|kubernetes.io/legacy-unknown']],
  ['system:discovery', ['url:/api,/api/*,/apis,/apis/*,/healthz,/livez,/openapi,/openapi/*,/readyz,/version,/version/|get']],
  ['system:heapster', ['core|events,namespaces,nodes,pods|get,list,watch', 'extensions|deployments|get,list,watch']],
  ['system:kube-aggregator', ['core|endpoints,services|get,list,watch']],
  [
    'system:kube-controller-manager',
    [
      EV,
      'coordination.k8s.io|leases|create',
      'coordination.k8s.io|leases|get,update|kube-controller-manager',
      'core|secrets,serviceaccounts|create',
      'core|secrets|delete',
      'core|configmaps,namespaces,secrets,serviceaccounts|get',
      'core|secrets,serviceaccounts|update',
      'authentication.k8s.io|tokenreviews|create',
      'authorization.k8s.io|subjectaccessreviews|create',
      '*|*|list,watch',
      'core|serviceaccounts/token|create',
    ],
  ],
  ['system:kube-dns', ['core|endpoints,services|list,watch']],
  [
    'system:kube-scheduler',
    [
      EV,
      'coordination.k8s.io|leases|create',
      'coordination.k8s.io|leases|get,update|kube-scheduler',
      'core|nodes|get,list,watch',
      'core|pods|delete,get,list,watch',
      'core|bindings,pods/binding|create',
      'core|pods/status|patch,update',
      'core|replicationcontrollers,services|get,list,watch',
      'apps,extensions|replicasets|get,list,watch',
      'apps|statefulsets|get,list,watch',
      'policy|poddisruptionbudgets|get,list,watch',
      'core|persistentvolumeclaims,persistentvolumes|get,list,watch',
      'authentication.k8s.io|tokenreviews|create',
      'authorization.k8s.io|subjectaccessreviews|create',
      'storage.k8s.io|csinodes|get,list,watch',
      'core|namespaces|get,list,watch',
      'storage.k8s.io|csidrivers|get,list,watch',
      'storage.k8s.io|csistoragecapacities|get,list,watch',
    ],
  ],
  ['system:kubelet-api-admin', ['core|nodes|get,list,watch', 'core|nodes|proxy', 'core|nodes/log,nodes/metrics,nodes/proxy,nodes/stats|*']],
  ['system:monitoring', ['url:/healthz,/healthz/*,/livez,/livez/*,/metrics,/metrics/slis,/readyz,/readyz/*|get']],
  [
    'system:node',
    [
      'authentication.k8s.io|tokenreviews|create',
      'authorization.k8s.io|localsubjectaccessreviews,subjectaccessreviews|create',
      'core|services|get,list,watch',
      'core|nodes|create,get,list,watch',
      'core|nodes/status|patch,update',
      'core|nodes|patch,update',
      'core|events|create,patch,update',
      'core|pods|get,list,watch',
      'core|pods|create,delete',
      'core|pods/status|patch,update',
      'core|pods/eviction|create',
      'core|configmaps,secrets|get,list,watch',
      'core|persistentvolumeclaims,persistentvolumes|get',
      'core|endpoints|get',
      'certificates.k8s.io|certificatesigningrequests|create,get,list,watch',
      'coordination.k8s.io|leases|create,delete,get,patch,update',
      'storage.k8s.io|volumeattachments|get',
      'core|serviceaccounts/token|create',
      'core|persistentvolumeclaims/status|get,patch,update',
      'storage.k8s.io|csidrivers|get,list,watch',
      'storage.k8s.io|csinodes|create,delete,get,patch,update',
      'node.k8s.io|runtimeclasses|get,list,watch',
    ],
  ],
  ['system:node-bootstrapper', ['certificates.k8s.io|certificatesigningrequests|create,get,list,watch']],
  ['system:node-problem-detector', ['core|nodes|get', 'core|nodes/status|patch', EV]],
  ['system:node-proxier', ['core|endpoints,services|list,watch', 'core|nodes|get,list,watch', EV, 'discovery.k8s.io|endpointslices|list,watch']],
  [
    'system:persistent-volume-provisioner',
    ['core|persistentvolumes|create,delete,get,list,watch', 'core|persistentvolumeclaims|get,list,update,watch', 'storage.k8s.io|storageclasses|get,list,watch', 'core|events|watch', EV],
  ],
  ['system:public-info-viewer', ['url:/healthz,/livez,/readyz,/version,/version/|get']],
  ['system:service-account-issuer-discovery', ['url:/.well-known/openid-configuration,/openid/v1/jwks|get']],
  ['system:volume-scheduler', ['core|persistentvolumes|get,list,patch,update,watch', 'storage.k8s.io|storageclasses|get,list,watch', 'core|persistentvolumeclaims|get,list,patch,update,watch']],
  ['view', [], AGG('edit'), 'view'],
];

/** kube-controller-manager's per-controller roles (system:controller:NAME), bound to kube-system's NAME ServiceAccount. */
export const CONTROLLER_ROLES: RoleSpec[] = [
  [
    'attachdetach-controller',
    [
      'core|persistentvolumeclaims,persistentvolumes|list,watch',
      'core|nodes|get,list,watch',
      'core|nodes/status|patch,update',
      'core|pods|list,watch',
      EV,
      'storage.k8s.io|volumeattachments|create,delete,get,list,watch',
      'storage.k8s.io|csidrivers|get,list,watch',
      'storage.k8s.io|csinodes|get,list,watch',
    ],
  ],
  [
    'certificate-controller',
    [
      'certificates.k8s.io|certificatesigningrequests|delete,get,list,watch',
      'certificates.k8s.io|certificatesigningrequests/approval,certificatesigningrequests/status|update',
      'certificates.k8s.io|signers|approve|kubernetes.io/kube-apiserver-client-kubelet',
      'certificates.k8s.io|signers|sign|kubernetes.io/kube-apiserver-client,kubernetes.io/kube-apiserver-client-kubelet,kubernetes.io/kubelet-serving,kubernetes.io/legacy-unknown',
      'authorization.k8s.io|subjectaccessreviews|create',
      EV,
    ],
  ],
  ['clusterrole-aggregation-controller', ['rbac.authorization.k8s.io|clusterroles|escalate,get,list,patch,update,watch']],
  [
    'cronjob-controller',
    ['batch|cronjobs|get,list,update,watch', 'batch|jobs|create,delete,get,list,patch,update,watch', 'batch|cronjobs/status|update', 'batch|cronjobs/finalizers|update', 'core|pods|delete,list,watch', EV],
  ],
  [
    'daemon-set-controller',
    [
      'apps,extensions|daemonsets|get,list,watch',
      'apps,extensions|daemonsets/status|update',
      'apps,extensions|daemonsets/finalizers|update',
      'core|nodes|list,watch',
      'core|pods|create,delete,list,patch,watch',
      'core|pods/binding|create',
      'apps|controllerrevisions|create,delete,get,list,patch,update,watch',
      EV,
    ],
  ],
  [
    'deployment-controller',
    [
      'apps,extensions|deployments|get,list,update,watch',
      'apps,extensions|deployments/status|update',
      'apps,extensions|deployments/finalizers|update',
      'apps,extensions|replicasets|create,delete,get,list,patch,update,watch',
      'core|pods|get,list,update,watch',
      EV,
    ],
  ],
  [
    'disruption-controller',
    [
      'apps,extensions|deployments|get,list,watch',
      'apps,extensions|replicasets|get,list,watch',
      'core|replicationcontrollers|get,list,watch',
      'policy|poddisruptionbudgets|get,list,watch',
      'apps|statefulsets|get,list,watch',
      'policy|poddisruptionbudgets/status|update',
      'core|pods/status|patch,update',
      '*|*/scale|get',
      EV,
    ],
  ],
  ['endpoint-controller', ['core|pods,services|get,list,watch', 'core|endpoints|create,delete,get,list,update,watch', 'core|endpoints/restricted|create', EV]],
  ['endpointslice-controller', ['core|nodes,pods,services|get,list,watch', 'core|services/finalizers|update', 'discovery.k8s.io|endpointslices|create,delete,get,list,update,watch', EV]],
  [
    'endpointslicemirroring-controller',
    ['core|endpoints,services|get,list,watch', 'core|services/finalizers|update', 'core|endpoints/finalizers|update', 'discovery.k8s.io|endpointslices|create,delete,get,list,update,watch', EV],
  ],
  ['ephemeral-volume-controller', ['core|pods|get,list,watch', 'core|pods/finalizers|update', 'core|persistentvolumeclaims|create,get,list,watch', EV]],
  ['expand-controller', ['core|persistentvolumes|get,list,patch,update,watch', 'core|persistentvolumeclaims/status|patch,update', 'core|persistentvolumeclaims|get,list,watch', EV]],
  ['generic-garbage-collector', ['*|*|delete,get,list,patch,update,watch', EV]],
  [
    'horizontal-pod-autoscaler',
    [
      'autoscaling|horizontalpodautoscalers|get,list,watch',
      'autoscaling|horizontalpodautoscalers/status|update',
      '*|*/scale|get,update',
      'core|pods|list,watch',
      'metrics.k8s.io|pods|list,watch',
      'custom.metrics.k8s.io|*|get,list,watch',
      'external.metrics.k8s.io|*|get,list,watch',
      EV,
    ],
  ],
  ['job-controller', ['batch|jobs|get,list,patch,update,watch', 'batch|jobs/status|update', 'batch|jobs/finalizers|update', 'core|pods|create,delete,list,patch,watch', EV]],
  ['legacy-service-account-token-cleaner', ['core|configmaps|get|kube-apiserver-legacy-service-account-token-tracking', 'core|secrets|delete,patch']],
  ['namespace-controller', ['core|namespaces|delete,get,list,watch', 'core|namespaces/finalize,namespaces/status|update', '*|*|delete,deletecollection,get,list,watch']],
  ['node-controller', ['core|nodes|delete,get,list,patch,update,watch', 'core|nodes/status|patch,update', 'core|pods/status|patch,update', 'core|pods|delete,get,list,watch', EV]],
  [
    'persistent-volume-binder',
    [
      'core|persistentvolumes|create,delete,get,list,update,watch',
      'core|persistentvolumes/status|update',
      'core|persistentvolumeclaims|get,list,update,watch',
      'core|persistentvolumeclaims/status|update',
      'core|pods|create,delete,get,list,watch',
      'storage.k8s.io|storageclasses|get,list,watch',
      'core|nodes|list,watch',
      EV,
      'core|events|watch',
    ],
  ],
  ['pod-garbage-collector', ['core|pods|delete,list,watch', 'core|nodes|get,list,watch', 'core|pods/status|patch']],
  ['pv-protection-controller', ['core|persistentvolumes|get,list,update,watch', EV]],
  ['pvc-protection-controller', ['core|persistentvolumeclaims|get,list,update,watch', 'core|pods|get,list,watch', EV]],
  [
    'replicaset-controller',
    ['apps,extensions|replicasets|get,list,update,watch', 'apps,extensions|replicasets/status|update', 'apps,extensions|replicasets/finalizers|update', 'core|pods|create,delete,list,patch,watch', EV],
  ],
  [
    'replication-controller',
    ['core|replicationcontrollers|get,list,update,watch', 'core|replicationcontrollers/status|update', 'core|replicationcontrollers/finalizers|update', 'core|pods|create,delete,list,patch,watch', EV],
  ],
  ['resourcequota-controller', ['*|*|list,watch', 'core|resourcequotas/status|update', EV]],
  ['root-ca-cert-publisher', ['core|configmaps|create,update', EV]],
  ['route-controller', ['core|nodes|list,watch', 'core|nodes/status|patch', EV]],
  ['service-account-controller', ['core|serviceaccounts|create', EV]],
  ['service-controller', ['core|services|get,list,watch', 'core|services/status|patch,update', 'core|nodes|list,watch', EV]],
  [
    'statefulset-controller',
    [
      'core|pods|list,watch',
      'apps|statefulsets|get,list,watch',
      'apps|statefulsets/status|update',
      'apps|statefulsets/finalizers|update',
      'core|pods|create,delete,get,patch,update',
      'apps|controllerrevisions|create,delete,get,list,patch,update,watch',
      'core|persistentvolumeclaims|create,get,list,watch',
      'core|persistentvolumeclaims|delete,update',
      'core|pods/finalizers|update',
      EV,
    ],
  ],
  ['ttl-after-finished-controller', ['batch|jobs|delete,get,list,watch', EV]],
  ['ttl-controller', ['core|nodes|list,patch,update,watch', EV]],
  [
    'validatingadmissionpolicy-status-controller',
    ['admissionregistration.k8s.io|validatingadmissionpolicies|get,list,watch', 'admissionregistration.k8s.io|validatingadmissionpolicies/status|get,patch,update', EV],
  ],
];

/** Subjects: "User:name", "Group:name", "SA:namespace/name". */
export const CLUSTER_ROLE_BINDINGS: [string, string, string[]][] = [
  ['cluster-admin', 'cluster-admin', ['Group:system:masters']],
  ['system:basic-user', 'system:basic-user', ['Group:system:authenticated']],
  ['system:discovery', 'system:discovery', ['Group:system:authenticated']],
  ['system:kube-controller-manager', 'system:kube-controller-manager', ['User:system:kube-controller-manager']],
  ['system:kube-dns', 'system:kube-dns', ['SA:kube-system/kube-dns']],
  ['system:kube-scheduler', 'system:kube-scheduler', ['User:system:kube-scheduler']],
  ['system:monitoring', 'system:monitoring', ['Group:system:monitoring']],
  ['system:node', 'system:node', []],
  ['system:node-proxier', 'system:node-proxier', ['User:system:kube-proxy']],
  ['system:public-info-viewer', 'system:public-info-viewer', ['Group:system:authenticated', 'Group:system:unauthenticated']],
  ['system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', ['Group:system:serviceaccounts']],
  ['system:volume-scheduler', 'system:volume-scheduler', ['User:system:kube-scheduler']],
];

/** [namespace, name, rules]. */
export const NAMESPACE_ROLES: [string, string, string[]][] = [
  ['kube-public', 'system:controller:bootstrap-signer', ['core|configmaps|get,list,watch', 'core|configmaps|update|cluster-info', EV]],
  ['kube-system', 'extension-apiserver-authentication-reader', ['core|configmaps|get,list,watch|extension-apiserver-authentication']],
  ['kube-system', 'system::leader-locking-kube-controller-manager', ['core|configmaps|watch', 'core|configmaps|get,update|kube-controller-manager']],
  ['kube-system', 'system::leader-locking-kube-scheduler', ['core|configmaps|watch', 'core|configmaps|get,update|kube-scheduler']],
  ['kube-system', 'system:controller:bootstrap-signer', ['core|secrets|get,list,watch']],
  ['kube-system', 'system:controller:cloud-provider', ['core|configmaps|create,get,list,watch']],
  ['kube-system', 'system:controller:token-cleaner', ['core|secrets|delete,get,list,watch', EV]],
];

/** [namespace, name, Role name, subjects]. */
export const NAMESPACE_ROLE_BINDINGS: [string, string, string, string[]][] = [
  ['kube-public', 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', ['SA:kube-system/bootstrap-signer']],
  ['kube-system', 'system::extension-apiserver-authentication-reader', 'extension-apiserver-authentication-reader', ['User:system:kube-controller-manager', 'User:system:kube-scheduler']],
  ['kube-system', 'system::leader-locking-kube-controller-manager', 'system::leader-locking-kube-controller-manager', ['User:system:kube-controller-manager', 'SA:kube-system/kube-controller-manager']],
  ['kube-system', 'system::leader-locking-kube-scheduler', 'system::leader-locking-kube-scheduler', ['User:system:kube-scheduler', 'SA:kube-system/kube-scheduler']],
  ['kube-system', 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', ['SA:kube-system/bootstrap-signer']],
  ['kube-system', 'system:controller:cloud-provider', 'system:controller:cloud-provider', ['SA:kube-system/cloud-provider']],
  ['kube-system', 'system:controller:token-cleaner', 'system:controller:token-cleaner', ['SA:kube-system/token-cleaner']],
];

const BOOTSTRAP_TOKENS = 'Group:system:bootstrappers:kubeadm:default-node-token';

/** kubeadm init's own, in the order its phases create them. */
export const KUBEADM_RBAC = (): Obj[] => [
  // kubeconfig phase: the admin.conf identity's group.
  clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', ['Group:kubeadm:cluster-admins']),
  // upload-config: kubeadm-config and kubelet-config readers.
  role('kube-system', 'kubeadm:nodes-kubeadm-config', ['core|configmaps|get|kubeadm-config']),
  roleBinding('kube-system', 'kubeadm:nodes-kubeadm-config', 'kubeadm:nodes-kubeadm-config', [BOOTSTRAP_TOKENS, 'Group:system:nodes']),
  role('kube-system', 'kubeadm:kubelet-config', ['core|configmaps|get|kubelet-config']),
  roleBinding('kube-system', 'kubeadm:kubelet-config', 'kubeadm:kubelet-config', ['Group:system:nodes', BOOTSTRAP_TOKENS]),
  // upload-certs.
  role('kube-system', 'kubeadm:kubeadm-certs', ['core|secrets|get|kubeadm-certs']),
  roleBinding('kube-system', 'kubeadm:kubeadm-certs', 'kubeadm:kubeadm-certs', [BOOTSTRAP_TOKENS]),
  // bootstrap-token: nodes may join with a token.
  clusterRole('kubeadm:get-nodes', ['core|nodes|get']),
  clusterRoleBinding('kubeadm:get-nodes', 'kubeadm:get-nodes', [BOOTSTRAP_TOKENS]),
  clusterRoleBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [BOOTSTRAP_TOKENS]),
  clusterRoleBinding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [BOOTSTRAP_TOKENS]),
  clusterRoleBinding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', ['Group:system:nodes']),
  role('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', ['core|configmaps|get|cluster-info']),
  roleBinding('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', 'kubeadm:bootstrap-signer-clusterinfo', ['User:system:anonymous']),
];

/** The CoreDNS addon's (kubeadm's addons/dns phase). */
export const COREDNS_RBAC = (): Obj[] => [
  clusterRole('system:coredns', ['core|endpoints,services,pods,namespaces|list,watch', 'discovery.k8s.io|endpointslices|list,watch']),
  clusterRoleBinding('system:coredns', 'system:coredns', ['SA:kube-system/coredns']),
];

/** The kube-proxy addon's (kubeadm's addons/proxy phase). */
export const KUBE_PROXY_RBAC = (): Obj[] => [
  clusterRoleBinding('kubeadm:node-proxier', 'system:node-proxier', ['SA:kube-system/kube-proxy']),
  role('kube-system', 'kube-proxy', ['core|configmaps|get|kube-proxy']),
  roleBinding('kube-system', 'kube-proxy', 'kube-proxy', [BOOTSTRAP_TOKENS]),
];


/** Expands a compact rule into a PolicyRule as the API server stores it. */
export function rule(spec: string): Obj {
  const [a, b, c, d] = spec.split('|') as [string, string, string?, string?];
  if (a.startsWith('url:')) return { nonResourceURLs: a.slice(4).split(','), verbs: b.split(',') };
  return { apiGroups: list(a), ...(d ? { resourceNames: d.split(',') } : {}), resources: b.split(','), verbs: c!.split(',') };
}

function subject(s: string): Obj {
  if (s.startsWith('SA:')) {
    const [namespace, name] = s.slice(3).split('/') as [string, string];
    return { kind: 'ServiceAccount', name, namespace };
  }
  const i = s.indexOf(':');
  return { apiGroup: RBAC, kind: s.slice(0, i), name: s.slice(i + 1) };
}

function clusterRole(name: string, rules: string[], meta: Obj = {}): Obj {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, ...meta }, rules: rules.map(rule) };
}
function clusterRoleBinding(name: string, roleName: string, subjects: string[], meta: Obj = {}): Obj {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name, ...meta }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: roleName }, ...(subjects.length ? { subjects: subjects.map(subject) } : {}) };
}
function role(namespace: string, name: string, rules: string[], meta: Obj = {}): Obj {
  return { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, namespace, ...meta }, rules: rules.map(rule) };
}
function roleBinding(namespace: string, name: string, roleName: string, subjects: string[], meta: Obj = {}): Obj {
  return { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace, ...meta }, roleRef: { apiGroup: RBAC, kind: 'Role', name: roleName }, subjects: subjects.map(subject) };
}

const defaults = (labels: Record<string, string> = {}) => ({
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
});

/**
 * What kube-apiserver's rbac/bootstrap-roles hook creates, in its order: cluster roles (the
 * controllers' after the others), cluster role bindings, then each namespace's roles and bindings.
 */
export function bootstrapPolicy(): Obj[] {
  const out: Obj[] = [];
  for (const [name, rules, labels, aggregateTo] of CLUSTER_ROLES) {
    const r = clusterRole(name, rules, defaults(labels));
    if (aggregateTo) {
      r.aggregationRule = { clusterRoleSelectors: [{ matchLabels: AGG(aggregateTo) }] };
      delete r.rules;
    }
    out.push(r);
  }
  for (const [name, rules] of CONTROLLER_ROLES) out.push(clusterRole(`system:controller:${name}`, rules, defaults()));
  for (const [name, roleName, subjects] of CLUSTER_ROLE_BINDINGS) out.push(clusterRoleBinding(name, roleName, subjects, defaults()));
  for (const [name] of CONTROLLER_ROLES) out.push(clusterRoleBinding(`system:controller:${name}`, `system:controller:${name}`, [`SA:kube-system/${name}`], defaults()));
  for (const [ns, name, rules] of NAMESPACE_ROLES) out.push(role(ns, name, rules, defaults()));
  for (const [ns, name, roleName, subjects] of NAMESPACE_ROLE_BINDINGS) out.push(roleBinding(ns, name, roleName, subjects, defaults()));
  return out;
}
