/**
 * Images' root file systems: the directories and the few files course exercises look at. One
 * read-only tree per image, shared by every container of it (each container writes to its own
 * layer above it).
 */
import { FileTree } from './fs';

/** When the images were built: file times in `ls -l` inside a container. */
const IMAGE_BUILD_TIME = Date.UTC(2024, 10, 26, 18, 42, 0);

const BUSYBOX_DIRS = ['/bin', '/dev', '/etc', '/home', '/lib', '/lib64', '/proc', '/root', '/sys', '/tmp', '/usr', '/usr/sbin', '/var', '/var/spool', '/var/www'];
const DEBIAN_DIRS = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/lib',
  '/usr/local',
  '/usr/local/bin',
  '/usr/share',
  '/var',
  '/var/lib',
  '/var/log',
];
const ALPINE_DIRS = ['/bin', '/dev', '/etc', '/home', '/lib', '/media', '/mnt', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/local', '/var', '/var/log'];

const OS_RELEASE: Record<string, string> = {
  debian:
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
  alpine:
    'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.0\nPRETTY_NAME="Alpine Linux v3.21"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
  ubuntu:
    'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=noble\nLOGO=ubuntu-logo\n',
};

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

const NGINX_DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

interface ImageLayout {
  base: 'busybox' | 'debian' | 'alpine' | 'ubuntu';
  dirs?: string[];
  files?: Record<string, string>;
}

const LAYOUTS: Record<string, ImageLayout> = {
  'docker.io/library/busybox': { base: 'busybox' },
  'docker.io/library/alpine': { base: 'alpine' },
  'docker.io/library/ubuntu': { base: 'ubuntu' },
  'docker.io/library/nginx': {
    base: 'debian',
    dirs: ['/docker-entrypoint.d', '/etc/nginx', '/etc/nginx/conf.d', '/usr/share/nginx', '/usr/share/nginx/html', '/var/log/nginx', '/var/cache/nginx'],
    files: {
      '/usr/share/nginx/html/index.html': NGINX_WELCOME,
      '/usr/share/nginx/html/50x.html': NGINX_50X,
      '/etc/nginx/conf.d/default.conf': NGINX_DEFAULT_CONF,
      '/docker-entrypoint.sh': '#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n',
    },
  },
  'docker.io/library/httpd': {
    base: 'debian',
    dirs: ['/usr/local/apache2', '/usr/local/apache2/htdocs', '/usr/local/apache2/conf', '/usr/local/apache2/logs'],
    files: { '/usr/local/apache2/htdocs/index.html': '<html><body><h1>It works!</h1></body></html>\n' },
  },
};

function baseOf(repository: string): ImageLayout {
  if (LAYOUTS[repository]) return LAYOUTS[repository]!;
  // Official images are mostly Debian-based; the rest (small Go servers) look like busybox.
  return { base: repository.startsWith('docker.io/library/') ? 'debian' : 'busybox' };
}

const cache = new Map<string, FileTree>();

/** The read-only root file system of an image (shared; never write to it). */
export function imageRootfs(repository: string): FileTree {
  let tree = cache.get(repository);
  if (tree) return tree;
  const layout = baseOf(repository);
  tree = new FileTree(() => IMAGE_BUILD_TIME);
  const dirs = layout.base === 'busybox' ? BUSYBOX_DIRS : layout.base === 'alpine' ? ALPINE_DIRS : DEBIAN_DIRS;
  for (const d of [...dirs, ...(layout.dirs ?? [])]) tree.mkdir(d, { parents: true, mode: d === '/tmp' ? 0o1777 : d === '/root' ? 0o700 : 0o755 });
  tree.write('/etc/passwd', layout.base === 'busybox' ? 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n' : 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n');
  if (layout.base !== 'busybox') tree.write('/etc/os-release', OS_RELEASE[layout.base === 'ubuntu' ? 'ubuntu' : layout.base === 'alpine' ? 'alpine' : 'debian']!);
  for (const [path, content] of Object.entries(layout.files ?? {})) tree.write(path, content);
  cache.set(repository, tree);
  return tree;
}
