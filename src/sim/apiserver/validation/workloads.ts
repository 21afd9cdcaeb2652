/** Validation of workload kinds: selectors against template labels, replicas, strategies, schedules. */
import { parseCronSchedule, timeZoneError } from '../../cron';
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

/** The TZ rule on create: schedules may not name a zone (the old object's TZ is allowed on update). */
const TZ_IN_SCHEDULE = 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';

/** validateScheduleFormat: robfig/cron's ParseStandard error, then the TZ rule (any "TZ" in the text). */
function scheduleErrors(schedule: string): string[] {
  const errs: string[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (e) {
    errs.push((e as Error).message);
  }
  if (schedule.includes('TZ')) errs.push(TZ_IN_SCHEDULE);
  return errs;
}

/** The first error CronJob validation reports for a schedule, if any. */
export function cronScheduleError(schedule: string): string | undefined {
  return schedule === '' ? 'empty spec string' : scheduleErrors(schedule)[0];
}

/** IANA naming rules for each part of a zone name (digits and '+' tolerated for legacy names). */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone: nil or an explicit zone that loads. */
function validateTimeZone(zone: unknown, field: string): FieldError[] {
  if (zone == null) return [];
  const z = String(zone);
  if (z === '') return [invalid(field, z, 'timeZone must be nil or non-empty string')];
  for (const part of z.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TIME_ZONE_PART.test(part)) return [invalid(field, z, `unknown time zone ${z}`)];
  }
  const errs: FieldError[] = [];
  if (z.toLowerCase() === 'local') errs.push(invalid(field, z, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  const loadError = timeZoneError(z);
  if (loadError) errs.push(invalid(field, z, loadError));
  return errs;
}

/** validateCronJobSpec, in upstream's order: schedule, startingDeadlineSeconds, timeZone, concurrencyPolicy, jobTemplate, history limits. */
export function validateCronJob(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(required('spec.schedule'));
  else for (const e of scheduleErrors(String(spec.schedule))) errs.push(invalid('spec.schedule', spec.schedule, e));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  if (!['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy))
    errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy ?? '', ['Allow', 'Forbid', 'Replace']));
  const jobSpec = spec.jobTemplate?.spec ?? {};
  errs.push(...validatePodTemplate(jobSpec.template, 'spec.jobTemplate.spec.template'));
  const rp = jobSpec.template?.spec?.restartPolicy;
  if (rp === 'Always' || !rp) errs.push(notSupported('spec.jobTemplate.spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}
