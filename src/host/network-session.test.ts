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
