/** Service validation (ValidateService) for the fields a course uses. */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../field-errors';
import { dns1123SubdomainErrors, validateLabels } from './names';
import { portNameDetail } from './pod';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function portNumberErrors(value: unknown, field: string): FieldError[] {
  if (typeof value !== 'number' || value < 1 || value > 65535) return [invalid(field, value as number, 'must be between 1 and 65535, inclusive')];
  return [];
}

export function validateService(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  const type = spec.type;
  if (!TYPES.includes(type)) errs.push(notSupported('spec.type', type ?? '', TYPES));
  const headless = spec.clusterIP === 'None';
  const ports: Obj[] = spec.ports ?? [];
  if (type === 'ExternalName') {
    if (!spec.externalName) errs.push(required('spec.externalName'));
    else for (const m of dns1123SubdomainErrors(spec.externalName.replace(/\.$/, ''))) errs.push(invalid('spec.externalName', spec.externalName, m));
    if (spec.clusterIP && spec.clusterIP !== '') errs.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
  } else if (ports.length === 0 && !headless) {
    errs.push(required('spec.ports'));
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer'))
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(required(`${f}.name`));
    else if (p.name) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) || p.name.length > 63)
        errs.push(
          invalid(
            `${f}.name`,
            p.name,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
          ),
        );
      if (names.has(p.name)) errs.push(duplicate(`${f}.name`, p.name));
      names.add(p.name);
    }
    errs.push(...portNumberErrors(p.port, `${f}.port`));
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(notSupported(`${f}.protocol`, p.protocol ?? '', ['SCTP', 'TCP', 'UDP']));
    if (typeof p.targetPort === 'number') errs.push(...portNumberErrors(p.targetPort, `${f}.targetPort`));
    else if (typeof p.targetPort === 'string') {
      const t = p.targetPort;
      if (t.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(t) || !/[a-z]/.test(t) || t.includes('--'))
        errs.push(invalid(`${f}.targetPort`, t, portNameDetail(t)));
    }
    if (p.nodePort !== undefined && p.nodePort !== 0 && type !== 'NodePort' && type !== 'LoadBalancer')
      errs.push(forbidden(`${f}.nodePort`, `may not be used when \`type\` is '${type}'`));
  });
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (spec.sessionAffinity && !['ClientIP', 'None'].includes(spec.sessionAffinity))
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  if (spec.externalTrafficPolicy && !['Cluster', 'Local'].includes(spec.externalTrafficPolicy))
    errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  if (spec.externalTrafficPolicy && type !== 'NodePort' && type !== 'LoadBalancer')
    errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
  if (spec.internalTrafficPolicy && !['Cluster', 'Local'].includes(spec.internalTrafficPolicy))
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  (spec.externalIPs ?? []).forEach((ip: string, i: number) => {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) errs.push(invalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  return errs;
}
