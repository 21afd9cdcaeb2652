import { describe, expect, it } from 'vitest';
import { runScriptInSession } from './script';

async function run(src: string) {
  let all = '';
  const code = await runScriptInSession(src, { stdout: (t) => (all += t), stderr: (t) => (all += t) }, {});
  return { code, all };
}

describe('network tools on the controlplane host', () => {
  it('curl reaches a NodePort on node01 and a ClusterIP; cluster names do not resolve on the host', async () => {
    const r = await run(
      [
        'kubectl create deployment web --image=nginx:1.27 --replicas=2',
        'kubectl expose deployment web --port=80 --type=NodePort',
        'sleep 60',
        'kubectl get svc web -o jsonpath=\'{.spec.clusterIP} {.spec.ports[0].nodePort}{"\\n"}\'',
        'curl -s -o /dev/null -w \'%{http_code}\\n\' http://node01:30495',
        'curl -s -o /dev/null -w \'%{http_code}\\n\' 10.106.47.251',
        'curl web',
        'nc -zv 10.106.47.251 80',
        'ping -c 1 10.106.47.251',
        'notatool',
      ].join('\n'),
    );
    expect(r.all).toBe(
      [
        'deployment.apps/web created',
        'service/web exposed',
        '10.106.47.251 30495',
        '200',
        '200',
        'curl: (6) Could not resolve host: web',
        'Connection to 10.106.47.251 80 port [tcp/http] succeeded!',
        'PING 10.106.47.251 (10.106.47.251) 56(84) bytes of data.',
        '',
        '--- 10.106.47.251 ping statistics ---',
        '1 packets transmitted, 0 received, 100% packet loss, time 0ms',
        'bash: notatool: command not found',
        '',
      ].join('\n'),
    );
  });
});

describe('LoadBalancer Services', () => {
  const steps = [
    'kubectl create deployment web --image=nginx:1.27 --replicas=2',
    'kubectl expose deployment web --port=80 --type=LoadBalancer',
    'sleep 30',
    'kubectl get svc web',
  ];

  it('stay <pending> on a bare kubeadm cluster', async () => {
    const r = await run(steps.join('\n'));
    expect(r.all).toContain('NAME   TYPE           CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE\nweb    LoadBalancer   10.106.47.251   <pending>     80:30495/TCP   32s\n');
  });

  it('get an EXTERNAL-IP from a lab pool that answers curl, and give it back when deleted', async () => {
    let all = '';
    const src = [
      ...steps,
      'curl -s -o /dev/null -w \'%{http_code}\\n\' http://172.30.255.200',
      'kubectl describe svc web',
      'kubectl create service loadbalancer other --tcp=8080:80',
      'kubectl patch svc other -p \'{"spec":{"loadBalancerIP":"10.0.0.9"}}\'',
      'kubectl get svc other',
      'kubectl get events --field-selector involvedObject.name=other',
      'kubectl delete svc web',
      'kubectl patch svc other -p \'{"spec":{"loadBalancerIP":null}}\'',
      'kubectl get svc other',
    ].join('\n');
    await runScriptInSession(src, { stdout: (t) => (all += t), stderr: (t) => (all += t) }, { cluster: { loadBalancerPool: true } });
    expect(all).toContain('NAME   TYPE           CLUSTER-IP      EXTERNAL-IP      PORT(S)        AGE\nweb    LoadBalancer   10.106.47.251   172.30.255.200   80:30495/TCP   32s\n');
    expect(all).toContain('\n200\n');
    expect(all).toMatch(/LoadBalancer Ingress:\s+172\.30\.255\.200 \(VIP\)\n/);
    expect(all).toContain(
      '  Normal  IPAllocated   34s   metallb-controller  Assigned IP ["172.30.255.200"]\n  Normal  nodeAssigned  34s   metallb-speaker     announcing from node "node02" with protocol "layer2"\n',
    );
    // Asking for an address outside the pool gives the old one back and leaves it pending.
    expect(all).toContain('other   LoadBalancer   10.98.244.252   <pending>     8080:32692/TCP   2s\n');
    expect(all).toContain('2s          Warning   AllocationFailed   service/other   Failed to allocate IP for "default/other": ["10.0.0.9"] is not allowed in config\n');
    // Deleting web returned 172.30.255.200 to the pool: the lowest free address again.
    expect(all).toContain('other   LoadBalancer   10.98.244.252   172.30.255.200   8080:32692/TCP   6s\n');
  });
});
