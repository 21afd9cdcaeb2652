/** Validation of workload kinds: selectors against template labels, replicas, strategies, schedules. */
import { goMapString, invalid, notSupported, required, type FieldError } from '../field-errors';
import { matchesLabels, type LabelSelector } from '../selector';
import { validateLabels } from './names';
import { validatePodTemplate } from './pod';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Converts a metav1.LabelSelector to our selector form. */
export function toSelector(sel: Obj | undefined): LabelSelector {
  const reqs: LabelSelector = [];
  for (const [k, v] of Object.entries<string>(sel?.matchLabels ?? {})) reqs.push({ key: k, op: 'in', values: [v] });
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === 'In') reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (e.operator === 'NotIn') reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (e.operator === 'Exists') reqs.push({ key: e.key, op: 'exists' });
    else if (e.operator === 'DoesNotExist') reqs.push({ key: e.key, op: 'doesnotexist' });
  }
  return reqs;
}


function validateLabelSelector(sel: Obj | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  (sel.matchExpressions ?? []).forEach((e: Obj, i: number) => {
    const f = `${field}.matchExpressions[${i}]`;
    const ops = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
    if (!ops.includes(e.operator)) errs.push(invalid(`${f}.operator`, e.operator ?? '', 'not a valid selector operator'));
    else if ((e.operator === 'In' || e.operator === 'NotIn') && !(e.values ?? []).length)
      errs.push(required(`${f}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && (e.values ?? []).length)
      errs.push({ type: 'FieldValueForbidden', field: `${f}.values`, detail: 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'' });
  });
  return errs;
}

function isEmptySelector(sel: Obj | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** Selector present, non-empty and matching the template's labels; template valid with allowed restart policies. */
function validateSelectorAndTemplate(spec: Obj, field: string, restartPolicies: string[] | undefined, selectorRequired = true): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  if (isEmptySelector(sel)) {
    if (selectorRequired) errs.push(required(`${field}.selector`));
    if (sel) errs.push(invalid(`${field}.selector`, { goString: 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}' }, 'empty selector is invalid for deployment'));
  } else {
    errs.push(...validateLabelSelector(sel, `${field}.selector`));
  }
  const labels = spec.template?.metadata?.labels;
  if (!isEmptySelector(sel) && !matchesLabels(toSelector(sel), labels))
    errs.push(invalid(`${field}.template.metadata.labels`, { goString: goMapString(labels) }, '`selector` does not match template `labels`'));
  errs.push(...validatePodTemplate(spec.template, `${field}.template`));
  const rp = spec.template?.spec?.restartPolicy;
  if (restartPolicies && rp && !restartPolicies.includes(rp)) errs.push(notSupported(`${field}.template.spec.restartPolicy`, rp, restartPolicies));
  return errs;
}

function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

function intOrPercent(value: unknown, field: string): FieldError[] {
  if (typeof value === 'number') return nonNegative(value, field);
  if (typeof value === 'string') {
    if (!/^\d+%$/.test(value)) return [invalid(field, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    if (Number(value.slice(0, -1)) > 100) return [invalid(field, value, 'must not be greater than 100%')];
  }
  return [];
}

export function validateDeployment(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs = [...nonNegative(spec.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(spec, 'spec', ['Always'])];
  const strategy = spec.strategy ?? {};
  if (!['RollingUpdate', 'Recreate'].includes(strategy.type)) errs.push(notSupported('spec.strategy.type', strategy.type ?? '', ['Recreate', 'RollingUpdate']));
  if (strategy.type === 'Recreate' && strategy.rollingUpdate)
    errs.push({ type: 'FieldValueForbidden', field: 'spec.strategy.rollingUpdate', detail: 'may not be specified when strategy `type` is \'Recreate\'' });
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) {
    const ru = strategy.rollingUpdate;
    errs.push(...intOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
    errs.push(...intOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
    const zero = (v: unknown) => v === 0 || v === '0%';
    if (zero(ru.maxUnavailable) && zero(ru.maxSurge))
      errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (typeof spec.progressDeadlineSeconds === 'number' && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0))
    errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  return errs;
}

export function validateReplicaSet(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  return [...nonNegative(spec.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(spec, 'spec', ['Always'])];
}

export function validateReplicationController(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs = [...nonNegative(spec.replicas, 'spec.replicas')];
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  const labels = spec.template?.metadata?.labels;
  if (Object.keys(selector).length && !Object.entries<string>(selector).every(([k, v]) => labels?.[k] === v))
    errs.push(invalid('spec.template.metadata.labels', { goString: goMapString(labels) }, '`selector` does not match template `labels`'));
  if (!spec.template) errs.push(required('spec.template'));
  else errs.push(...validatePodTemplate(spec.template, 'spec.template'));
  const rp = spec.template?.spec?.restartPolicy;
  if (rp && rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  return errs;
}

export function validateDaemonSet(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs = validateSelectorAndTemplate(spec, 'spec', ['Always']);
  const type = spec.updateStrategy?.type;
  if (!['RollingUpdate', 'OnDelete'].includes(type)) errs.push(notSupported('spec.updateStrategy.type', type ?? '', ['OnDelete', 'RollingUpdate']));
  return errs;
}

/**
 * StatefulSets are the exception upstream: their pod template's spec is not validated at all
 * (ValidatePodTemplateSpecForStatefulSet checks labels and annotations only), so a broken
 * template is accepted and its pods fail to be created later.
 */
export function validateStatefulSet(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs = [...nonNegative(spec.replicas, 'spec.replicas')];
  const sel = spec.selector;
  if (isEmptySelector(sel)) errs.push(required('spec.selector'));
  else errs.push(...validateLabelSelector(sel, 'spec.selector'));
  const labels = spec.template?.metadata?.labels;
  if (!spec.template) errs.push(required('spec.template'));
  else {
    if (!isEmptySelector(sel) && !matchesLabels(toSelector(sel), labels))
      errs.push(invalid('spec.template.metadata.labels', { goString: goMapString(labels) }, '`selector` does not match template `labels`'));
    errs.push(...validateLabels(labels, 'spec.template.labels'));
  }
  if (!['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy))
    errs.push(notSupported('spec.podManagementPolicy', spec.podManagementPolicy ?? '', ['OrderedReady', 'Parallel']));
  const type = spec.updateStrategy?.type;
  if (!['RollingUpdate', 'OnDelete'].includes(type)) errs.push(notSupported('spec.updateStrategy.type', type ?? '', ['OnDelete', 'RollingUpdate']));
  const rp = spec.template?.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
  return errs;
}

export function validateJob(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.parallelism, 'spec.parallelism'));
  errs.push(...nonNegative(spec.completions, 'spec.completions'));
  errs.push(...nonNegative(spec.backoffLimit, 'spec.backoffLimit'));
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds <= 0)
    errs.push(invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be greater than or equal to 1'));
  if (!['NonIndexed', 'Indexed'].includes(spec.completionMode)) errs.push(notSupported('spec.completionMode', spec.completionMode ?? '', ['NonIndexed', 'Indexed']));
  if (spec.completionMode === 'Indexed' && spec.completions == null) errs.push(required('spec.completions', 'when completion mode is Indexed'));
  errs.push(...validateSelectorAndTemplate(spec, 'spec', undefined));
  const rp = spec.template?.spec?.restartPolicy;
  if (rp === 'Always' || !rp) errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
  return errs;
}

/** A five-field cron schedule or a macro, as robfig/cron's standard parser accepts it. */
export function cronScheduleError(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s.startsWith('@')) {
    if (['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'].includes(s)) return undefined;
    if (s.startsWith('@every ')) return undefined;
    return `unrecognized descriptor: ${s}`;
  }
  if (/TZ=|CRON_TZ=/.test(s)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 7],
  ];
  const names = [[], [], [], ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']];
  for (let i = 0; i < 5; i++) {
    for (const part of fields[i]!.split(',')) {
      const [range, step] = part.split('/');
      if (step !== undefined && !/^\d+$/.test(step)) return `failed to parse int from ${step}: strconv.Atoi: parsing "${step}": invalid syntax`;
      if (range === '*' || range === '?') continue;
      for (const bound of range!.split('-')) {
        const named = (names[i] as string[]).indexOf(bound.toLowerCase());
        const n = named >= 0 ? named + (i === 3 ? 1 : 0) : /^\d+$/.test(bound) ? Number(bound) : NaN;
        if (Number.isNaN(n)) return `failed to parse int from ${bound}: strconv.Atoi: parsing "${bound}": invalid syntax`;
        const [lo, hi] = ranges[i]!;
        if (n < lo) return `beginning of range (${n}) below minimum (${lo}): ${part}`;
        if (n > hi) return `end of range (${n}) above maximum (${hi}): ${part}`;
      }
    }
  }
  return undefined;
}

export function validateCronJob(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(required('spec.schedule'));
  else {
    const e = cronScheduleError(spec.schedule);
    if (e) errs.push(invalid('spec.schedule', spec.schedule, e));
  }
  if (!['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy))
    errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy ?? '', ['Allow', 'Forbid', 'Replace']));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  const jobSpec = spec.jobTemplate?.spec ?? {};
  errs.push(...validatePodTemplate(jobSpec.template, 'spec.jobTemplate.spec.template'));
  const rp = jobSpec.template?.spec?.restartPolicy;
  if (rp === 'Always' || !rp) errs.push(notSupported('spec.jobTemplate.spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
  return errs;
}
