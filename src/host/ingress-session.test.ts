import { describe, expect, it } from 'vitest';
import { runScriptInSession } from './script';

/** Runs a script on a cluster with ingress-nginx installed (its NodePorts are 32671 for HTTP and 30325 for HTTPS with seed 1). */
async function run(lines: string[]) {
  let all = '';
  const code = await runScriptInSession(lines.join('\n'), { stdout: (t) => (all += t), stderr: (t) => (all += t) }, { cluster: { ingressNginx: true } });
  return { code, all };
}

const page = (status: string) => `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

describe('ingress-nginx', () => {
  it('is installed as the bare-metal manifest makes it: a NodePort controller, finished admission jobs, IngressClass nginx', async () => {
    const r = await run(['kubectl get pods,svc -n ingress-nginx', 'kubectl get ingressclass', 'kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail=3']);
    expect(r.all).toBe(
      [
        'NAME                                            READY   STATUS      RESTARTS   AGE',
        'pod/ingress-nginx-admission-create-hdxln        0/1     Completed   0          30m',
        'pod/ingress-nginx-admission-patch-pjv2p         0/1     Completed   0          30m',
        'pod/ingress-nginx-controller-5cd4c6b879-v4bh7   1/1     Running     0          30m',
        '',
        'NAME                                         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)                      AGE',
        'service/ingress-nginx-controller             NodePort    10.96.84.178    <none>        80:32671/TCP,443:30325/TCP   30m',
        'service/ingress-nginx-controller-admission   ClusterIP   10.110.78.154   <none>        443/TCP                      30m',
        'NAME    CONTROLLER             PARAMETERS   AGE',
        'nginx   k8s.io/ingress-nginx   <none>       30m',
        'I0602 09:01:14.974000       7 nginx.go:337] "Starting validation webhook" address=":8443" certPath="/usr/local/certificates/cert" keyPath="/usr/local/certificates/key"',
        'I0602 09:01:14.974000       7 leaderelection.go:271] successfully acquired lease ingress-nginx/ingress-nginx-leader',
        'I0602 09:01:14.974000       7 status.go:85] "New leader elected" identity="ingress-nginx-controller-5cd4c6b879-v4bh7"',
        '',
      ].join('\n'),
    );
  });

  it('has its admission jobs create the webhook Secret and put its CA into the webhook configuration', async () => {
    const r = await run([
      'kubectl get secret -n ingress-nginx ingress-nginx-admission -o jsonpath=\'{.data.ca}{"\\n"}\'',
      'kubectl get validatingwebhookconfiguration ingress-nginx-admission -o jsonpath=\'{.webhooks[0].clientConfig.caBundle}{"\\n"}\'',
      'kubectl logs -n ingress-nginx job/ingress-nginx-admission-patch',
    ]);
    const [ca, bundle, log] = r.all.split('\n');
    expect(ca).toMatch(/^LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t/);
    expect(bundle).toBe(ca);
    expect(log).toBe('{"level":"info","msg":"patched hook(s)","source":"k8s/k8s.go:66","time":"2025-06-02T09:01:09Z","failurePolicy":"Fail"}');
  });

  it('routes by host and path type, rewrites, answers 404/503 itself, ignores Ingresses of no class, and logs each request', async () => {
    const r = await run([
      'kubectl create deployment web --image=nginx:1.27 --replicas=2',
      'kubectl expose deployment web --port=80',
      'kubectl create deployment echo --image=ghcr.io/subicura/echo:v1',
      'kubectl expose deployment echo --port=80 --target-port=3000',
      'kubectl create ingress web --class=nginx --rule="web.example.com/*=web:80" --rule="web.example.com/echo=echo:80"',
      'kubectl create ingress rw --class=nginx --rule="rw.example.com/something(/|$)(.*)=echo:80" --annotation="nginx.ingress.kubernetes.io/rewrite-target=/\\$2"',
      'kubectl create ingress noclass --rule="nc.example.com/*=web:80"',
      'kubectl create ingress gone --class=nginx --rule="gone.example.com/*=nothere:80"',
      'kubectl get ingress',
      'sleep 60',
      'kubectl get ingress',
      "curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: web.example.com' http://node01:32671/",
      "curl -s -H 'Host: web.example.com' http://node01:32671/echo",
      "curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: web.example.com' http://node01:32671/echo/x",
      "curl -s -H 'Host: rw.example.com' 'http://node01:32671/something/new/path?q=1'",
      'curl -i http://node01:32671/',
      "curl -s -H 'Host: nc.example.com' http://node01:32671/",
      "curl -s -H 'Host: gone.example.com' http://node01:32671/",
      'kubectl logs -n ingress-nginx deploy/ingress-nginx-controller --tail=2',
      'kubectl describe ingress web',
    ]);
    expect(r.all).toContain(
      [
        // The controller's status sync (every 60 s from its start, here at 09:31:14.974) gave the first two an address; the others wait for the next.
        'NAME      CLASS    HOSTS              ADDRESS      PORTS   AGE',
        'gone      nginx    gone.example.com                80      1s',
        'noclass   <none>   nc.example.com                  80      2s',
        'rw        nginx    rw.example.com     172.30.3.2   80      3s',
        'web       nginx    web.example.com    172.30.3.2   80      4s',
      ].join('\n'),
    );
    // An Ingress of no class is not ingress-nginx's: it never gets an address.
    expect(r.all).toContain('gone      nginx    gone.example.com   172.30.3.2   80      63s\nnoclass   <none>   nc.example.com                  80      64s\n');
    expect(r.all).toContain('\n200\necho-5946fd95f5-8k2pt /echo\n404\necho-5946fd95f5-8k2pt /new/path?q=1\n');
    expect(r.all).toContain(`HTTP/1.1 404 Not Found\r\nDate: Mon, 02 Jun 2025 09:32:22 GMT\r\nContent-Type: text/html\r\nContent-Length: 146\r\nConnection: keep-alive\r\n\r\n${page('404 Not Found')}${page('404 Not Found')}${page('503 Service Temporarily Unavailable')}`);
    expect(r.all).toContain(
      '172.30.2.2 - - [02/Jun/2025:09:32:23 +0000] "GET / HTTP/1.1" 404 146 "-" "curl/7.81.0" 78 0.001 [upstream-default-backend] [] 127.0.0.1:8181 146 0.001 404 ',
    );
    expect(r.all).toContain('172.30.2.2 - - [02/Jun/2025:09:32:24 +0000] "GET / HTTP/1.1" 503 190 "-" "curl/7.81.0" 80 0.001 [default-nothere-80] [] - - - - ');
    // Added, then changed by the controller's own status write: two syncs.
    expect(r.all).toContain('  Normal  Sync    72s (x2 over 75s)  nginx-ingress-controller  Scheduled for sync\n');
    expect(r.all).toContain('                   /echo   echo:80 (10.244.2.4:3000)\n');
  });

  it('redirects HTTP to HTTPS for TLS hosts, serves the fake self-signed certificate, and loses its address when the controller stops', async () => {
    const r = await run([
      'kubectl create deployment web --image=nginx:1.27',
      'kubectl expose deployment web --port=80',
      'kubectl create ingress web --class=nginx --rule="web.example.com/*=web:80,tls=web-tls"',
      'sleep 60',
      "curl -i -H 'Host: web.example.com' http://node01:32671/docs/",
      "curl -sk -I -H 'Host: web.example.com' https://node01:30325/",
      "curl -H 'Host: web.example.com' https://node01:30325/",
      'kubectl get ingress',
      'kubectl scale deploy -n ingress-nginx ingress-nginx-controller --replicas=0',
      'sleep 40',
      'kubectl get ingress',
    ]);
    expect(r.all).toContain(
      `HTTP/1.1 308 Permanent Redirect\r\nDate: Mon, 02 Jun 2025 09:32:11 GMT\r\nContent-Type: text/html\r\nContent-Length: 164\r\nConnection: keep-alive\r\nLocation: https://web.example.com/docs\r\n\r\n${page('308 Permanent Redirect')}`,
    );
    expect(r.all).toContain(
      'HTTP/1.1 200 OK\r\nDate: Mon, 02 Jun 2025 09:32:12 GMT\r\nContent-Type: text/html\r\nContent-Length: 615\r\nLast-Modified: Tue, 26 Nov 2024 15:55:00 GMT\r\nConnection: keep-alive\r\nETag: "6745ef54-267"\r\nAccept-Ranges: bytes\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains\r\n\r\n',
    );
    expect(r.all).toContain('curl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n');
    expect(r.all).toContain('web    nginx   web.example.com   172.30.3.2   80, 443   65s\n');
    expect(r.all).toContain('deployment.apps/ingress-nginx-controller scaled\nNAME   CLASS   HOSTS             ADDRESS   PORTS     AGE\nweb    nginx   web.example.com             80, 443   ');
  });
});
