import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

async function withBox() {
  const s = kubectlTestSession();
  await s.kubectl(['run', 'box', '--image=busybox', '--', 'sleep', '3600']);
  s.cluster.clock.advance(60_000);
  return s;
}

describe('kubectl cp', () => {
  it('copies a local file into a container and back', async () => {
    const s = await withBox();
    s.files.set('/root/notes.txt', 'hello\nwörld\n');
    expect(await s.kubectl(['cp', 'notes.txt', 'box:/tmp/notes.txt'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await s.kubectl(['exec', 'box', '--', 'cat', '/tmp/notes.txt'])).toEqual({ code: 0, stdout: 'hello\nwörld\n', stderr: '' });
    // Into an existing directory: the file keeps its name.
    expect((await s.kubectl(['cp', 'notes.txt', 'box:/tmp'])).code).toBe(0);
    expect(await s.kubectl(['cp', 'box:/tmp/notes.txt', 'back.txt'])).toEqual({ code: 0, stdout: "tar: removing leading '/' from member names\n", stderr: '' });
    expect(s.files.get('/root/back.txt')).toBe('hello\nwörld\n');
  });

  it('--retries reads the archive through tail -c+N in a shell', async () => {
    const s = await withBox();
    s.files.set('/root/a.txt', 'A\n');
    expect((await s.kubectl(['cp', 'a.txt', 'box:/tmp/a.txt'])).code).toBe(0);
    expect(await s.kubectl(['cp', '--retries=3', 'box:/tmp/a.txt', 'b.txt'])).toEqual({ code: 0, stdout: "tar: removing leading '/' from member names\n", stderr: '' });
    expect(s.files.get('/root/b.txt')).toBe('A\n');
    expect((await s.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo one; echo two | tail -n 1'])).stdout).toBe('one\ntwo\n');
  });

  it("the container's tar round-trips through a pipe and lists archives", async () => {
    const s = await withBox();
    const script = 'mkdir -p /a/b; echo x > /a/b/f; cd /; tar cf - a | tar xf - -C /tmp; cat /tmp/a/b/f; tar cf - a | tar tf -';
    expect(await s.kubectl(['exec', 'box', '--', 'sh', '-c', script])).toEqual({ code: 0, stdout: 'x\na/\na/b/\na/b/f\n', stderr: '' });
    expect(await s.kubectl(['exec', 'box', '--', 'tar', 'xf', '-', '-C', '/nope'])).toEqual({ code: 1, stdout: '', stderr: "tar: can't change directory to '/nope': No such file or directory\ncommand terminated with exit code 1\n" });
  });

  it('copies directories both ways', async () => {
    const s = await withBox();
    s.files.set('/root/site/index.html', '<h1>hi</h1>\n');
    s.files.set('/root/site/css/main.css', 'body {}\n');
    expect((await s.kubectl(['cp', 'site', 'box:/tmp/site'])).code).toBe(0);
    expect((await s.kubectl(['exec', 'box', '--', 'cat', '/tmp/site/css/main.css'])).stdout).toBe('body {}\n');
    expect((await s.kubectl(['cp', 'box:/tmp/site', 'copy'])).code).toBe(0);
    expect(s.files.get('/root/copy/index.html')).toBe('<h1>hi</h1>\n');
    expect(s.files.get('/root/copy/css/main.css')).toBe('body {}\n');
  });

  it("fails as kubectl does", async () => {
    const s = await withBox();
    expect(await s.kubectl(['cp', 'box:/a', 'box:/b'])).toEqual({ code: 1, stdout: '', stderr: 'error: one of src or dest must be a local file specification\n' });
    expect(await s.kubectl(['cp', 'a', 'b'])).toEqual({ code: 1, stdout: '', stderr: 'error: one of src or dest must be a remote file specification\n' });
    expect(await s.kubectl(['cp', 'nope.txt', 'box:/tmp/x'])).toEqual({ code: 1, stdout: '', stderr: "error: nope.txt doesn't exist in local filesystem\n" });
    expect(await s.kubectl(['cp', 'a'])).toEqual({ code: 1, stdout: '', stderr: 'error: source and destination are required\n' });
    expect(await s.kubectl(['cp', ':a', 'b'])).toEqual({ code: 1, stdout: '', stderr: 'error: filespec must match the canonical format: [[namespace/]pod:]file/path\n' });
    expect(await s.kubectl(['cp', 'box:/tmp/nope', 'x'])).toEqual({
      code: 1,
      stdout: 'tar: /tmp/nope: No such file or directory\ntar: error exit delayed from previous errors\n',
      stderr: 'command terminated with exit code 1\n',
    });
    expect(await s.kubectl(['cp', 'ghost:/tmp/a', 'x'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "ghost" not found\n' });
  });
});
