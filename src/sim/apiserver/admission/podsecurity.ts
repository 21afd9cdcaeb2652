/**
 * Pod Security admission: a namespace's pod-security.kubernetes.io/enforce label refuses pods
 * that break the baseline or restricted standard; the warn label adds warnings, for pods and
 * for workload templates alike. Checks report in the order of their IDs, as upstream does.
 */
import { forbidden } from '../errors';
import type { AdmissionAttributes, AdmissionPlugin, Obj } from './types';

type Level = 'privileged' | 'baseline' | 'restricted';

interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** Baseline checks a restricted one replaces. */
  overrides?: string;
  run(spec: Obj, containers: Obj[]): string | undefined;
}

const BASELINE_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

function quoteList(kind: string, names: string[]): string {
  return `${kind}${names.length > 1 ? 's' : ''} ${names.map((n) => JSON.stringify(n)).join(', ')}`;
}

const CHECKS: Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    run: (_s, cs) => {
      const bad = cs.filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
      return bad.length ? `allowPrivilegeEscalation != false (${quoteList('container', bad)} must set securityContext.allowPrivilegeEscalation=false)` : undefined;
    },
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    run: (_s, cs) => {
      const added = new Set<string>();
      const who: string[] = [];
      for (const c of cs) {
        const extra = ((c.securityContext?.capabilities?.add ?? []) as string[]).filter((cap) => !BASELINE_CAPS.includes(cap));
        if (extra.length) who.push(c.name);
        for (const cap of extra) added.add(cap);
      }
      return who.length
        ? `non-default capabilities (${quoteList('container', who)} must not include ${[...added].map((a) => JSON.stringify(a)).join(', ')} in securityContext.capabilities.add)`
        : undefined;
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    overrides: 'capabilities_baseline',
    run: (_s, cs) => {
      const noDrop = cs.filter((c) => !((c.securityContext?.capabilities?.drop ?? []) as string[]).includes('ALL')).map((c) => c.name);
      const adders: string[] = [];
      const added = new Set<string>();
      for (const c of cs) {
        const extra = ((c.securityContext?.capabilities?.add ?? []) as string[]).filter((cap) => cap !== 'NET_BIND_SERVICE');
        if (extra.length) adders.push(c.name);
        for (const cap of extra) added.add(cap);
      }
      const parts: string[] = [];
      if (noDrop.length) parts.push(`${quoteList('container', noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (adders.length) parts.push(`${quoteList('container', adders)} must not include ${[...added].map((a) => JSON.stringify(a)).join(', ')} in securityContext.capabilities.add`);
      return parts.length ? `unrestricted capabilities (${parts.join('; ')})` : undefined;
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    run: (s) => {
      const on = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => s[k]).map((k) => `${k}=true`);
      return on.length ? `host namespaces (${on.join(', ')})` : undefined;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    run: (s) => {
      const vols = ((s.volumes ?? []) as Obj[]).filter((v) => v.hostPath).map((v) => v.name as string);
      return vols.length ? `hostPath volumes (${quoteList('volume', vols)})` : undefined;
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    run: (_s, cs) => {
      const items: string[] = [];
      for (const c of cs) {
        const ports = ((c.ports ?? []) as Obj[]).filter((p) => p.hostPort).map((p) => String(p.hostPort));
        if (ports.length) items.push(`container ${JSON.stringify(c.name)} uses hostPort${ports.length > 1 ? 's' : ''} ${ports.join(', ')}`);
      }
      return items.length ? `hostPort (${items.join('; ')})` : undefined;
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    run: (_s, cs) => {
      const bad = cs.filter((c) => c.securityContext?.privileged === true).map((c) => c.name);
      return bad.length ? `privileged (${quoteList('container', bad)} must not set securityContext.privileged=true)` : undefined;
    },
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    overrides: 'hostPathVolumes',
    run: (s) => {
      const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image'];
      const bad: string[] = [];
      const types = new Set<string>();
      for (const v of (s.volumes ?? []) as Obj[]) {
        const t = Object.keys(v).find((k) => k !== 'name');
        if (t && !allowed.includes(t)) {
          bad.push(v.name);
          types.add(t);
        }
      }
      return bad.length
        ? `restricted volume types (${quoteList('volume', bad)} ${bad.length > 1 ? 'use' : 'uses'} restricted volume type${types.size > 1 ? 's' : ''} ${[...types].map((t) => JSON.stringify(t)).join(', ')})`
        : undefined;
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    run: (s, cs) => {
      const podSet = s.securityContext?.runAsNonRoot === true;
      const bad = cs.filter((c) => (c.securityContext?.runAsNonRoot ?? (podSet ? true : undefined)) !== true).map((c) => c.name);
      if (!bad.length) return undefined;
      if (s.securityContext?.runAsNonRoot === false) return `runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)`;
      return `runAsNonRoot != true (pod or ${quoteList('container', bad)} must set securityContext.runAsNonRoot=true)`;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    run: (s, cs) => {
      const bad = cs.filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
      if (s.securityContext?.runAsUser === 0) return `runAsUser=0 (pod must not set runAsUser=0)`;
      return bad.length ? `runAsUser=0 (${quoteList('container', bad)} must not set runAsUser=0)` : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    run: (s, cs) => {
      const ok = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
      const podOk = ok(s.securityContext?.seccompProfile?.type);
      const bad = cs.filter((c) => !ok(c.securityContext?.seccompProfile?.type ?? (podOk ? 'RuntimeDefault' : undefined))).map((c) => c.name);
      return bad.length ? `seccompProfile (pod or ${quoteList('container', bad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")` : undefined;
    },
  },
];

function violations(level: Level, spec: Obj): string[] {
  if (level === 'privileged') return [];
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Obj[];
  const active = CHECKS.filter((c) => c.level === 'baseline' || level === 'restricted');
  const overridden = new Set(level === 'restricted' ? active.map((c) => c.overrides).filter(Boolean) : []);
  return active
    .filter((c) => !overridden.has(c.id))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((c) => c.run(spec, containers))
    .filter((m): m is string => !!m);
}

const TEMPLATE_KINDS: Record<string, (o: Obj) => Obj | undefined> = {
  Deployment: (o) => o.spec?.template?.spec,
  ReplicaSet: (o) => o.spec?.template?.spec,
  ReplicationController: (o) => o.spec?.template?.spec,
  DaemonSet: (o) => o.spec?.template?.spec,
  StatefulSet: (o) => o.spec?.template?.spec,
  Job: (o) => o.spec?.template?.spec,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template?.spec,
  PodTemplate: (o) => o.template?.spec,
};

function levelOf(labels: Record<string, string>, mode: 'enforce' | 'warn'): { level: Level; version: string } | undefined {
  const level = labels[`pod-security.kubernetes.io/${mode}`] as Level | undefined;
  if (!level || !['privileged', 'baseline', 'restricted'].includes(level)) return undefined;
  return { level, version: labels[`pod-security.kubernetes.io/${mode}-version`] ?? 'latest' };
}

export const podSecurity: AdmissionPlugin = {
  name: 'PodSecurity',
  validate(a: AdmissionAttributes) {
    if (a.operation !== 'CREATE' || !a.namespace || a.subresource) return;
    const isPod = a.type.kind === 'Pod' && a.type.group === '';
    const specOf = isPod ? (o: Obj) => o.spec : TEMPLATE_KINDS[a.type.kind];
    if (!specOf) return;
    const spec = specOf(a.object);
    if (!spec) return;
    const ns = a.get('namespaces', '', undefined, a.namespace);
    const labels: Record<string, string> = ns?.metadata?.labels ?? {};
    const enforce = levelOf(labels, 'enforce');
    if (enforce && isPod) {
      const v = violations(enforce.level, spec);
      if (v.length) throw forbidden(a.type, a.name, `violates PodSecurity "${enforce.level}:${enforce.version}": ${v.join(', ')}`);
    }
    // Workload templates are only warned about at the enforce level (their pods are refused later).
    const warn = levelOf(labels, 'warn') ?? (isPod ? undefined : enforce);
    if (warn) {
      const v = violations(warn.level, spec);
      if (v.length) a.warn(`would violate PodSecurity "${warn.level}:${warn.version}": ${v.join(', ')}`);
    }
  },
};
