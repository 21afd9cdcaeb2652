/**
 * The static pod manifests kubeadm writes to /etc/kubernetes/manifests on the control-plane
 * node (etcd, kube-apiserver, kube-controller-manager, kube-scheduler), for Kubernetes 1.32.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function hostPathVolume(name: string, path: string, type: string): Obj {
  return { name, hostPath: { path, type } };
}

/** kubeadm's liveness and startup probes (staticpodutil.LivenessProbe, StartupProbe). */
function probe(path: string, port: number, host: string, failureThreshold: number, scheme = 'HTTPS'): Obj {
  return { failureThreshold, httpGet: { host, path, port, scheme }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 };
}

/** kubeadm's readiness probe (staticpodutil.ReadinessProbe): every second, no initial delay. */
function readinessProbe(path: string, port: number, host: string, scheme = 'HTTPS'): Obj {
  return { failureThreshold: 3, httpGet: { host, path, port, scheme }, periodSeconds: 1, timeoutSeconds: 15 };
}

function staticPod(name: string, component: string, image: string, command: string[], cpu: string, extra: Obj, volumes: Obj[], mounts: Obj[], annotations: Record<string, string> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component, tier: 'control-plane' }, annotations },
    spec: {
      containers: [{ name, image, imagePullPolicy: 'IfNotPresent', command, resources: { requests: { cpu, ...(name === 'etcd' ? { memory: '100Mi' } : {}) } }, volumeMounts: mounts, ...extra }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes,
    },
  };
}

export function staticPodManifests(kubernetesVersion: string, ip: string): Obj[] {
  const pki = [hostPathVolume('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'), hostPathVolume('etc-ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate'), hostPathVolume('k8s-certs', '/etc/kubernetes/pki', 'DirectoryOrCreate')];
  const pkiMounts = [
    { mountPath: '/etc/ssl/certs', name: 'ca-certs', readOnly: true },
    { mountPath: '/etc/ca-certificates', name: 'etc-ca-certificates', readOnly: true },
    { mountPath: '/etc/kubernetes/pki', name: 'k8s-certs', readOnly: true },
  ];
  return [
    staticPod(
      'etcd',
      'etcd',
      'registry.k8s.io/etcd:3.5.16-0',
      [
        'etcd',
        `--advertise-client-urls=https://${ip}:2379`,
        '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s',
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=controlplane=https://${ip}:2380`,
        '--key-file=/etc/kubernetes/pki/etcd/server.key',
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=https://${ip}:2380`,
        '--name=controlplane',
        '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
        '--peer-client-cert-auth=true',
        '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
        '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
        '--snapshot-count=10000',
        '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      ],
      '100m',
      // kubeadm 1.31+ probes etcd 3.5.11+'s /livez and /readyz on the plain-HTTP metrics listener.
      {
        livenessProbe: probe('/livez', 2381, '127.0.0.1', 8, 'HTTP'),
        readinessProbe: readinessProbe('/readyz', 2381, '127.0.0.1', 'HTTP'),
        startupProbe: probe('/readyz', 2381, '127.0.0.1', 24, 'HTTP'),
      },
      [hostPathVolume('etcd-certs', '/etc/kubernetes/pki/etcd', 'DirectoryOrCreate'), hostPathVolume('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate')],
      [
        { mountPath: '/var/lib/etcd', name: 'etcd-data' },
        { mountPath: '/etc/kubernetes/pki/etcd', name: 'etcd-certs' },
      ],
      { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    ),
    staticPod(
      'kube-apiserver',
      'kube-apiserver',
      `registry.k8s.io/kube-apiserver:${kubernetesVersion}`,
      [
        'kube-apiserver',
        `--advertise-address=${ip}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        '--client-ca-file=/etc/kubernetes/pki/ca.crt',
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
        '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
        '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
        '--etcd-servers=https://127.0.0.1:2379',
        '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
        '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
        '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        '--secure-port=6443',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
        '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
        '--service-cluster-ip-range=10.96.0.0/12',
        '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
        '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
      ],
      '250m',
      { livenessProbe: probe('/livez', 6443, ip, 8), readinessProbe: readinessProbe('/readyz', 6443, ip), startupProbe: probe('/livez', 6443, ip, 24) },
      pki,
      pkiMounts,
      { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
    ),
    staticPod(
      'kube-controller-manager',
      'kube-controller-manager',
      `registry.k8s.io/kube-controller-manager:${kubernetesVersion}`,
      [
        'kube-controller-manager',
        '--allocate-node-cidrs=true',
        '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--bind-address=127.0.0.1',
        '--client-ca-file=/etc/kubernetes/pki/ca.crt',
        '--cluster-cidr=10.244.0.0/16',
        '--cluster-name=kubernetes',
        '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
        '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
        '--controllers=*,bootstrapsigner,tokencleaner',
        '--kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--leader-elect=true',
        '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
        '--root-ca-file=/etc/kubernetes/pki/ca.crt',
        '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
        '--service-cluster-ip-range=10.96.0.0/12',
        '--use-service-account-credentials=true',
      ],
      '200m',
      { livenessProbe: probe('/healthz', 10257, '127.0.0.1', 8), startupProbe: probe('/healthz', 10257, '127.0.0.1', 24) },
      [...pki, hostPathVolume('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', 'DirectoryOrCreate'), hostPathVolume('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate')],
      [...pkiMounts, { mountPath: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', name: 'flexvolume-dir' }, { mountPath: '/etc/kubernetes/controller-manager.conf', name: 'kubeconfig', readOnly: true }],
    ),
    staticPod(
      'kube-scheduler',
      'kube-scheduler',
      `registry.k8s.io/kube-scheduler:${kubernetesVersion}`,
      ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
      '100m',
      { livenessProbe: probe('/healthz', 10259, '127.0.0.1', 8), startupProbe: probe('/healthz', 10259, '127.0.0.1', 24) },
      [hostPathVolume('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')],
      [{ mountPath: '/etc/kubernetes/scheduler.conf', name: 'kubeconfig', readOnly: true }],
    ),
  ];
}
