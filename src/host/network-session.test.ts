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

describe('iptables on a node lists the rules kube-proxy keeps', () => {
  it('renders KUBE-SERVICES, a service chain with its probabilities, -S, -v, and the REJECT for a Service without endpoints', async () => {
    const r = await run(
      [
        'kubectl create deployment web --image=nginx:1.27 --replicas=3',
        'kubectl expose deployment web --port=80 --type=NodePort',
        'sleep 60',
        'iptables -t nat -L KUBE-SERVICES -n',
        'iptables -t nat -L KUBE-SVC-LOLE4ISW44XBNF3G -n',
        'iptables -t nat -S KUBE-SVC-LOLE4ISW44XBNF3G',
        'iptables -t nat -L KUBE-SVC-TCOU7JCQXEZGVUNU -n',
        'iptables -t nat -L KUBE-SEP-D23ODROEH5R4FSGE',
        'iptables -t nat -nvL POSTROUTING --line-numbers',
        'kubectl scale deploy web --replicas=0',
        'sleep 30',
        'iptables -L KUBE-SERVICES -n',
        'iptables -t nat -L NOPE',
      ].join('\n'),
    );
    const header = 'target     prot opt source               destination         \n';
    expect(r.all).toBe(
      [
        'deployment.apps/web created\nservice/web exposed\n',
        `Chain KUBE-SERVICES (2 references)\n${header}`,
        'KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443\n',
        'KUBE-SVC-LOLE4ISW44XBNF3G  tcp  --  0.0.0.0/0            10.98.92.103         /* default/web cluster IP */ tcp dpt:80\n',
        'KUBE-SVC-TCOU7JCQXEZGVUNU  udp  --  0.0.0.0/0            10.96.0.10           /* kube-system/kube-dns:dns cluster IP */ udp dpt:53\n',
        'KUBE-SVC-ERIFXISQEP7F7OF4  tcp  --  0.0.0.0/0            10.96.0.10           /* kube-system/kube-dns:dns-tcp cluster IP */ tcp dpt:53\n',
        'KUBE-SVC-JD5MR3NA4I4DYORP  tcp  --  0.0.0.0/0            10.96.0.10           /* kube-system/kube-dns:metrics cluster IP */ tcp dpt:9153\n',
        'KUBE-NODEPORTS  all  --  0.0.0.0/0            0.0.0.0/0            /* kubernetes service nodeports; NOTE: this must be the last rule in this chain */ ADDRTYPE match dst-type LOCAL\n',
        `Chain KUBE-SVC-LOLE4ISW44XBNF3G (2 references)\n${header}`,
        'KUBE-MARK-MASQ  tcp  -- !10.244.0.0/16        10.98.92.103         /* default/web cluster IP */ tcp dpt:80\n',
        'KUBE-SEP-MQ4W7Q2CV67URU6Q  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web -> 10.244.1.2:80 */ statistic mode random probability 0.33333333349\n',
        'KUBE-SEP-QHWUG6SOC7OJ2BZK  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web -> 10.244.2.2:80 */ statistic mode random probability 0.50000000000\n',
        'KUBE-SEP-7QE66YRUUVCO6FRM  all  --  0.0.0.0/0            0.0.0.0/0            /* default/web -> 10.244.2.3:80 */\n',
        '-N KUBE-SVC-LOLE4ISW44XBNF3G\n',
        '-A KUBE-SVC-LOLE4ISW44XBNF3G ! -s 10.244.0.0/16 -d 10.98.92.103/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ\n',
        '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.1.2:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-MQ4W7Q2CV67URU6Q\n',
        '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.2.2:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-QHWUG6SOC7OJ2BZK\n',
        '-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.2.3:80" -j KUBE-SEP-7QE66YRUUVCO6FRM\n',
        // The endpoint chain names match real clusters' (sha256 + base32 of the port name, protocol and endpoint).
        `Chain KUBE-SVC-TCOU7JCQXEZGVUNU (1 references)\n${header}`,
        'KUBE-MARK-MASQ  udp  -- !10.244.0.0/16        10.96.0.10           /* kube-system/kube-dns:dns cluster IP */ udp dpt:53\n',
        'KUBE-SEP-YIL6JZP7A3QYXJU2  all  --  0.0.0.0/0            0.0.0.0/0            /* kube-system/kube-dns:dns -> 10.244.0.2:53 */ statistic mode random probability 0.50000000000\n',
        'KUBE-SEP-6E7XQMQ4RAYOWTTM  all  --  0.0.0.0/0            0.0.0.0/0            /* kube-system/kube-dns:dns -> 10.244.0.3:53 */\n',
        // Without -n, addresses in /etc/hosts print as names.
        `Chain KUBE-SEP-D23ODROEH5R4FSGE (1 references)\n${header}`,
        'KUBE-MARK-MASQ  all  --  controlplane         anywhere             /* default/kubernetes:https */\n',
        'DNAT       tcp  --  anywhere             anywhere             /* default/kubernetes:https */ tcp to:172.30.1.2:6443\n',
        'Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n',
        'num   pkts bytes target     prot opt in     out     source               destination         \n',
        '1        0     0 KUBE-POSTROUTING  all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes postrouting rules */\n',
        'deployment.apps/web scaled\n',
        `Chain KUBE-SERVICES (2 references)\n${header}`,
        'REJECT     tcp  --  0.0.0.0/0            10.98.92.103         /* default/web has no endpoints */ tcp dpt:80 reject-with icmp-port-unreachable\n',
        'iptables: No chain/target/match by that name.\n',
      ].join(''),
    );
  });
});
