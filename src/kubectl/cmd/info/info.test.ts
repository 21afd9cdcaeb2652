import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';
import { wrap } from './explain';

describe('information verbs', () => {
  it('lists API resources and versions from discovery', async () => {
    const s = kubectlTestSession();
    const wide = await s.kubectl('api-resources --api-group=apps -o wide');
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND +VERBS +CATEGORIES$/);
    expect(wide.stdout).toMatch(/\ndeployments +deploy +apps\/v1 +true +Deployment +create,delete,deletecollection,get,list,patch,update,watch +all\n/);
    expect((await s.kubectl('api-resources -o name --namespaced=false')).stdout.split('\n')).toContain('nodes');
    expect((await s.kubectl('api-versions')).stdout.split('\n')).toContain('apps/v1');
    expect(await s.kubectl('api-resources --sort-by=x')).toEqual({ code: 1, stdout: '', stderr: 'error: --sort-by accepts only name or kind\n' });
  });

  it('answers can-i through the RBAC authorizer', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('auth can-i create pods')).toEqual({ code: 0, stdout: 'yes\n', stderr: '' });
    expect(await s.kubectl('auth can-i create pods --as=system:serviceaccount:default:default')).toEqual({ code: 1, stdout: 'no\n', stderr: '' });
    await s.kubectl('create role reader --verb=get,list --resource=pods');
    await s.kubectl('create rolebinding reader --role=reader --serviceaccount=default:default');
    expect((await s.kubectl('auth can-i list pods --as=system:serviceaccount:default:default')).stdout).toBe('yes\n');
    expect((await s.kubectl('auth can-i delete pods --as=system:serviceaccount:default:default')).stdout).toBe('no\n');
    const forbidden = await s.kubectl('get pods -n kube-system --as=system:serviceaccount:default:default');
    expect(forbidden.stderr).toBe(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "kube-system"\n',
    );
  });

  it('wraps descriptions as sprig does, line by line, without breaking long words', () => {
    expect(wrap('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(wrap('short\nhttps://a-very-long-url/that/does/not/break more', 10)).toBe('short\nhttps://a-very-long-url/that/does/not/break\nmore');
  });

  it('refuses unknown completion shells as kubectl does', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('completion tcsh')).toEqual({ code: 1, stdout: '', stderr: 'error: Unsupported shell type "tcsh".\nSee \'kubectl completion -h\' for help and examples\n' });
    expect((await s.kubectl('completion bash')).stdout).toContain('complete -o default -F __kubectl_complete kubectl');
  });
});
